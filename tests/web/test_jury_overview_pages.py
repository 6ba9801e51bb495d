"""The organiser's scores overview: built once per standing version and rebuilt by a juror's
score or draft; 50 rows a page; a row's points and comments on its own page (refused to jurors
and participants, 404 for an entry of another stage); fixed query counts, built and served."""

from __future__ import annotations

from sqlalchemy import update

from app.extensions import db
from app.memo import forget_everything
from app.timeutil import utcnow
from contest_engine.jury.sheets import save_scores
from contest_engine.jury.standing import refresh_standing
from contest_engine.models import Entry
from tests.conftest import empty_database, login
from tests.factories.jury import jury_stage

FULL = {"Содержание": 8, "Методика": 4}


def test_overview_follows_a_score_and_a_draft(app, client) -> None:
    built = jury_stage(entries=2, jurors=2)
    refresh_standing(built.stage.id)
    db.session.commit()
    url = f"/jury/stages/{built.stage.id}/overview"
    login(client, built.organiser)
    page = client.get(url).get_data(as_text=True)
    assert "не оценено" in page and "черновик" not in page
    save_scores(built.entries[0], built.jurors[0], {"Содержание": 3}, "", submit=False, now=utcnow())
    assert "черновик" in client.get(url).get_data(as_text=True)
    for user in built.jurors:
        save_scores(built.entries[0], user, FULL, "Хорошо", submit=True, now=utcnow())
    page = client.get(url).get_data(as_text=True)
    assert "16 из 20" in page and "Работ, ожидающих оценок: 1." in page


def test_row_details_show_points_and_comments_to_the_organiser_only(app, client) -> None:
    built = jury_stage(entries=2, jurors=1)
    save_scores(built.entries[0], built.jurors[0], FULL, "Сильная работа", submit=True, now=utcnow())
    other = jury_stage(entries=1, jurors=1)
    refresh_standing(other.stage.id)
    db.session.commit()
    url = f"/jury/stages/{built.stage.id}/overview/{built.entries[0].id}"
    login(client, built.organiser)
    page = client.get(url).get_data(as_text=True)
    assert "Сильная работа" in page and "Содержание" in page and "Методика" in page
    assert f'href="{url}"' in client.get(f"/jury/stages/{built.stage.id}/overview").get_data(as_text=True)
    assert client.get(f"/jury/stages/{built.stage.id}/overview/{other.entries[0].id}").status_code == 404
    for user in (built.jurors[0], built.participants[0]):
        client.post("/auth/logout")
        login(client, user)
        assert client.get(url).status_code == 403


def test_overview_pages_fifty_rows(app, client) -> None:
    built = jury_stage(entries=55, jurors=1)
    refresh_standing(built.stage.id)
    db.session.commit()
    login(client, built.organiser)
    first = client.get(f"/jury/stages/{built.stage.id}/overview").get_data(as_text=True)
    second = client.get(f"/jury/stages/{built.stage.id}/overview?page=2").get_data(as_text=True)
    assert first.count("data-entry=") == 50 and second.count("data-entry=") == 5


def test_overview_built_and_served_in_fixed_query_counts(app, client, count_queries) -> None:
    built_counts, served_counts = [], []
    for entries, jurors in ((2, 2), (20, 4)):
        built = jury_stage(entries=entries, jurors=jurors)
        for entry in built.entries[: entries // 2]:
            for user in built.jurors:
                save_scores(entry, user, FULL, "", submit=True, now=utcnow())
        url = f"/jury/stages/{built.stage.id}/overview"
        login(client, built.organiser)
        for counts in (built_counts, served_counts):
            with count_queries(cold=True) as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        client.post("/auth/logout")
        empty_database()
        forget_everything()  # the versions restart at 0 with the database
    assert built_counts[0] == built_counts[1] and served_counts[0] == served_counts[1]
    assert served_counts[0] < built_counts[0], (built_counts, served_counts)


def test_an_entry_no_longer_current_leaves_the_overview(app, client) -> None:
    built = jury_stage(entries=1, jurors=1)
    refresh_standing(built.stage.id)
    db.session.commit()
    db.session.execute(update(Entry).where(Entry.id == built.entries[0].id).values(is_current=False))
    refresh_standing(built.stage.id)
    db.session.commit()
    login(client, built.organiser)
    assert "data-entry=" not in client.get(f"/jury/stages/{built.stage.id}/overview").get_data(as_text=True)
