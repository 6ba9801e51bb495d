"""Jury HTML pages: the juror's queue and scoring, the organiser's pages and dashboard cards; refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.timeutil import utcnow
from contest_engine.jury import schedule
from contest_engine.jury.assignment import stage_assignments
from contest_engine.jury.closing import close_scoring, scoring_closed
from contest_engine.jury.jurors import stage_jurors
from contest_engine.jury.models import JuryCriterion, ScoreSheet
from contest_engine.jury.setup import jury_config, stage_criteria
from contest_engine.jury.sheets import save_scores
from contest_engine.jury.standing import refresh_standing
from contest_engine.models import Stage
from tests.conftest import login as login_form
from tests.factories.accounts import admin, juror, organiser, student, teacher
from tests.factories.jury import jury_stage

FULL = {"Содержание": 8, "Методика": 4}


def login(client, user) -> None:  # type: ignore[no-untyped-def]
    """Log out whoever is signed in on this client, then log `user` in."""
    client.post("/auth/logout")
    login_form(client, user)


def _form(built, entry_index: int = 0, **values):  # type: ignore[no-untyped-def]
    criteria = stage_criteria(built.stage.id)
    data = {f"c{c.id}": values.get(c.name, "") for c in criteria}
    data["comment"] = values.get("comment", "")
    data["action"] = values.get("action", "submit")
    return data


def test_queue_and_entry_in_blind_mode_never_show_names(app, client) -> None:
    built = jury_stage(entries=2, jurors=1, blind=True)
    secret = built.participants[0].full_name
    institution = built.participants[0].institution.name
    login(client, built.jurors[0])
    pages = [
        client.get("/jury/"),
        client.get(f"/jury/entries/{built.entries[0].id}"),
        client.get("/dashboard"),
        client.get(f"/jury/stages/{built.stage.id}/schedule"),
    ]
    response = client.post(f"/jury/entries/{built.entries[0].id}", data=_form(built, **FULL))
    pages.append(client.get(response.headers["Location"]))
    for page in pages:
        body = page.get_data(as_text=True)
        assert page.status_code == 200, body[:500]
        assert secret not in body and institution not in body
    assert "data-blind" in pages[1].get_data(as_text=True)


def test_entry_page_shows_names_when_not_blind_and_levels(app, client) -> None:
    built = jury_stage(entries=1, jurors=1)
    login(client, built.jurors[0])
    body = client.get(f"/jury/entries/{built.entries[0].id}").get_data(as_text=True)
    assert built.participants[0].full_name in body
    assert "не раскрыто" in body and "Текст работы 0" in body


def test_score_form_saves_draft_then_submits(app, client) -> None:
    built = jury_stage(entries=1, jurors=1)
    login(client, built.jurors[0])
    url = f"/jury/entries/{built.entries[0].id}"
    response = client.post(url, data=_form(built, action="draft", **{"Содержание": "7,5"}))
    assert response.status_code == 302
    assert db.session.scalar(select(ScoreSheet.state)) == "draft"
    response = client.post(url, data=_form(built, comment="Отлично", **FULL))
    assert response.status_code == 302
    assert db.session.scalar(select(ScoreSheet.state)) == "submitted"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"Содержание": "11", "Методика": "4"}, "10"),
        ({"Содержание": "abc", "Методика": "4"}, "Must be a number"),
        ({"Содержание": "-1", "Методика": "4"}, "0"),
        ({"Содержание": "5"}, "Give points"),
    ],
)
def test_score_form_rejects_bad_points_next_to_the_field(app, client, values, message) -> None:
    built = jury_stage(entries=1, jurors=1)
    user = built.jurors[0]
    user.locale = "en"
    db.session.commit()
    login(client, user)
    response = client.post(f"/jury/entries/{built.entries[0].id}", data=_form(built, **values))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "invalid-feedback" in body and message in body
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 0


def test_score_form_after_close_is_refused(app, client) -> None:
    built = jury_stage(entries=1, jurors=1)
    close_scoring(built.stage, actor=built.organiser, now=utcnow())
    login(client, built.jurors[0])
    response = client.post(f"/jury/entries/{built.entries[0].id}", data=_form(built, **FULL))
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 0


@pytest.mark.parametrize("role", [juror, teacher, student, organiser])
def test_entry_page_refused_to_unassigned(app, client, role) -> None:
    built = jury_stage(entries=1, jurors=1)
    other = role()
    db.session.commit()
    login(client, other)
    assert client.get(f"/jury/entries/{built.entries[0].id}").status_code == 403
    assert client.post(f"/jury/entries/{built.entries[0].id}/conflict").status_code == 403


def test_juror_declares_i_know_this_participant(app, client) -> None:
    built = jury_stage(entries=1, jurors=1)
    login(client, built.jurors[0])
    response = client.post(f"/jury/entries/{built.entries[0].id}/conflict")
    assert response.status_code == 302
    assert client.get(f"/jury/entries/{built.entries[0].id}").status_code == 403


ORGANISER_PAGES = [
    "/jury/stages/{id}",
    "/jury/stages/{id}/jurors",
    "/jury/stages/{id}/progress",
    "/jury/stages/{id}/overview",
    "/jury/stages/{id}/appeals",
    "/jury/stages/{id}/certificates",
]


@pytest.mark.parametrize("path", ORGANISER_PAGES)
def test_organiser_pages_open_for_organiser_and_admin(app, client, path) -> None:
    built = jury_stage(entries=2, jurors=2)
    save_scores(built.entries[0], built.jurors[0], FULL, "", submit=True, now=utcnow())
    boss = admin()
    db.session.commit()
    for user in (built.organiser, boss):
        login(client, user)
        response = client.get(path.format(id=built.stage.id))
        assert response.status_code == 200, response.get_data(as_text=True)[:1000]


@pytest.mark.parametrize("path", ORGANISER_PAGES)
@pytest.mark.parametrize("role", [juror, teacher, student, organiser])
def test_organiser_pages_refused_to_other_roles(app, client, path, role) -> None:
    built = jury_stage(entries=1, jurors=1)
    other = role()
    db.session.commit()
    login(client, other)
    assert client.get(path.format(id=built.stage.id)).status_code == 403


def test_organiser_posts_are_refused_to_jurors(app, client) -> None:
    built = jury_stage(entries=1, jurors=1)
    login(client, built.jurors[0])
    stage_id = built.stage.id
    for path in (
        f"/jury/stages/{stage_id}/allocate",
        f"/jury/stages/{stage_id}/close",
        f"/jury/stages/{stage_id}/remind",
        f"/jury/stages/{stage_id}/criteria",
        f"/jury/stages/{stage_id}/conflicts",
        f"/jury/stages/{stage_id}/certificates",
        f"/jury/stages/{stage_id}/schedule",
    ):
        assert client.post(path).status_code == 403, path


def test_settings_and_criteria_forms(app, client) -> None:
    built = jury_stage(entries=0, jurors=0)
    login(client, built.organiser)
    url = f"/jury/stages/{built.stage.id}"
    response = client.post(
        url,
        data={
            "aggregation": "median",
            "jurors_per_entry": "3",
            "blind": "y",
            "disagreement_threshold": "2,5",
            "scoring_due_at": "2027-02-01T18:00",
        },
    )
    assert response.status_code == 302
    config = jury_config(built.stage)
    assert config.aggregation == "median" and config.jurors_per_entry == 3 and config.blind
    assert config.scoring_due_at.hour == 15  # 18:00 in Moscow is 15:00 UTC
    assert client.post(url, data={"aggregation": "best"}).status_code == 422
    assert client.post(url, data={"aggregation": "mean", "disagreement_threshold": "x"}).status_code == 422
    assert client.post(url, data={"aggregation": "mean", "jurors_per_entry": "0"}).status_code == 422
    response = client.post(
        f"{url}/criteria",
        data={
            "name": "Оформление",
            "max_points": "3",
            "weight": "1",
            "levels-0-points": "0",
            "levels-0-text": "нет",
            "levels-1-points": "",
            "levels-1-text": "",
            "levels-2-points": "3",
            "levels-2-text": "отлично",
        },
    )
    assert response.status_code == 302
    added = db.session.scalar(select(JuryCriterion).where(JuryCriterion.name == "Оформление"))
    assert added.levels == [{"points": "0", "text": "нет"}, {"points": "3", "text": "отлично"}]
    response = client.post(f"{url}/criteria", data={"name": "Оформление", "max_points": "0", "weight": "1"})
    assert response.status_code == 422 and "invalid-feedback" in response.get_data(as_text=True)
    assert client.post(f"{url}/criteria", data={"name": "", "max_points": "3"}).status_code == 422
    assert client.post(f"/jury/criteria/{added.id}/delete").status_code == 302
    assert db.session.get(JuryCriterion, added.id) is None


def test_invite_conflict_allocate_and_move(app, client, outbox) -> None:
    built = jury_stage(entries=2, jurors=1, allocate=False)
    login(client, built.organiser)
    url = f"/jury/stages/{built.stage.id}/jurors"
    assert client.post(url, data={"email": "not-an-email", "division_id": "0"}).status_code == 422
    assert (
        client.post(url, data={"email": "new@example.org", "full_name": "", "division_id": "0"}).status_code
        == 422
    )
    response = client.post(
        url, data={"email": "new@example.org", "full_name": "Новый Член Жюри", "division_id": "0"}
    )
    assert response.status_code == 302
    assert outbox()[-1]["To"] == "new@example.org"
    assert client.post(f"/jury/stages/{built.stage.id}/allocate").status_code == 302
    assert len(stage_assignments(built.stage.id)) == 4
    response = client.post(
        f"/jury/stages/{built.stage.id}/conflicts",
        data={"juror_id": built.jurors[0].id, "participation_id": built.participations[0].id},
    )
    assert response.status_code == 302
    assert len(stage_assignments(built.stage.id)) == 3
    assert (
        client.post(
            f"/jury/stages/{built.stage.id}/conflicts",
            data={"juror_id": 999999, "participation_id": built.participations[0].id},
        ).status_code
        == 422
    )
    assignment = stage_assignments(built.stage.id)[0]
    target = next(u.id for _j, u in stage_jurors(built.stage.id) if u.id != assignment.juror_id)
    response = client.post(f"/jury/assignments/{assignment.id}/move", data={"juror_id": target})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Новый Член Жюри" in page


def test_progress_reminder_and_close(app, client, outbox) -> None:
    built = jury_stage(entries=1, jurors=2)
    config = jury_config(built.stage)
    config.scoring_due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    login(client, built.organiser)
    assert client.post(f"/jury/stages/{built.stage.id}/remind").status_code == 302
    assert {m["To"] for m in outbox()} == {u.email for u in built.jurors}
    assert client.post(f"/jury/stages/{built.stage.id}/close").status_code == 302
    assert scoring_closed(db.session.get(Stage, built.stage.id))
    assert (
        client.post(
            f"/jury/stages/{built.stage.id}/reopen", data={"reason": "Болезнь члена жюри"}
        ).status_code
        == 302
    )
    assert not scoring_closed(db.session.get(Stage, built.stage.id))


def test_overview_page_runs_a_fixed_number_of_queries(app, client, count_queries) -> None:
    small = jury_stage(entries=2, jurors=2)
    refresh_standing(small.stage.id)  # the factory writes entries directly: the standing as scoring keeps it
    db.session.commit()
    login(client, small.organiser)
    with count_queries() as few:
        assert client.get(f"/jury/stages/{small.stage.id}/overview").status_code == 200
    large = jury_stage(entries=20, jurors=4)
    for entry in large.entries[:10]:
        for user in large.jurors:
            save_scores(entry, user, FULL, "", submit=True, now=utcnow())
    other_client = app.test_client()
    login(other_client, large.organiser)
    with count_queries() as many:
        assert other_client.get(f"/jury/stages/{large.stage.id}/overview").status_code == 200
    assert few.count == many.count


def test_organiser_finds_jury_stages_and_participant_panel_links(app, client) -> None:
    built = jury_stage(entries=1, jurors=1)
    save_scores(built.entries[0], built.jurors[0], FULL, "", submit=True, now=utcnow())
    schedule.create_slot(
        built.stage,
        starts_at=utcnow() + timedelta(days=1),
        duration_minutes=30,
        location="",
        actor=built.organiser,
    )
    stage = db.session.get(Stage, built.stage.id)
    stage.opens_at, stage.closes_at = utcnow() - timedelta(days=3), utcnow() + timedelta(days=3)
    stage.results_published_at = utcnow() - timedelta(minutes=1)
    stage.appeals_close_at = utcnow() + timedelta(days=1)
    db.session.commit()
    login(client, built.organiser)
    body = client.get("/jury/").get_data(as_text=True)
    assert f"/jury/stages/{built.stage.id}" in body and "organised-stages" in body
    stranger = organiser()
    db.session.commit()
    login(client, stranger)
    assert f'/jury/stages/{built.stage.id}"' not in client.get("/jury/").get_data(as_text=True)
    login(client, built.participants[0])
    body = client.get("/dashboard").get_data(as_text=True)
    assert f"/jury/stages/{built.stage.id}/schedule" in body
    assert f"/jury/entries/{built.entries[0].id}/appeal" in body


def test_dashboard_panels_run_a_fixed_number_of_queries(app, client, count_queries) -> None:
    small = jury_stage(entries=1, jurors=1)
    login(client, small.jurors[0])
    with count_queries() as few:
        client.get("/dashboard")
    large = jury_stage(entries=8, jurors=1)
    login(client, large.jurors[0])
    with count_queries() as many:
        client.get("/dashboard")
    assert few.count == many.count


@pytest.mark.parametrize("path", ["/jury/", "/jury/stages/{id}/jurors", "/jury/stages/{id}/progress"])
def test_lists_run_a_fixed_number_of_queries(app, count_queries, path) -> None:
    counts = []
    for size in (2, 12):
        built = jury_stage(entries=size, jurors=3)
        for entry in built.entries[: size // 2]:
            save_scores(entry, built.jurors[0], FULL, "", submit=True, now=utcnow())
        client = app.test_client()
        login(client, built.jurors[0] if path == "/jury/" else built.organiser)
        with count_queries() as counter:
            assert client.get(path.format(id=built.stage.id)).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
