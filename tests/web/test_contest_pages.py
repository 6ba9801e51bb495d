"""Contest pages in the browser: create, register, submit, organiser actions, results, permissions,
query counts."""

from __future__ import annotations

import io
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from sqlalchemy import func, select

from app.extensions import db
from contest_engine import queries
from contest_engine.models import Contest, Entry, Participation, Stage
from contest_engine.rules.stages import StageKind, StageState
from tests.conftest import login
from tests.factories.accounts import organiser, student, teacher
from tests.factories.contests import (
    DivisionFactory,
    ParticipationFactory,
    StageFactory,
    contest_with_organiser,
)

NOW = datetime(2027, 1, 15, 9, 0, tzinfo=UTC)


VIEW_MODULES = ("organiser", "panel", "participant", "public", "results", "running")


def at(moment: datetime) -> ExitStack:
    """Every contest page (and the dashboard panel) sees `moment` as now."""
    stack = ExitStack()
    for name in VIEW_MODULES:
        stack.enter_context(mock.patch(f"app.contests.{name}.utcnow", return_value=moment))
    return stack


def running_contest(n_participants: int = 0):  # type: ignore[no-untyped-def]
    contest, owner = contest_with_organiser()
    division = DivisionFactory(contest=contest, name="5-8")
    registration = StageFactory(
        contest=contest,
        position=1,
        kind=StageKind.REGISTRATION,
        title="Регистрация",
        opens_at=NOW - timedelta(days=10),
        closes_at=NOW + timedelta(days=2),
    )
    card = StageFactory(
        contest=contest,
        position=2,
        kind=StageKind.SUBMISSION,
        title="Визитная карточка",
        opens_at=NOW + timedelta(days=2),
        closes_at=NOW + timedelta(days=9),
        max_file_mb=1,
        file_types="pdf,docx",
    )
    for _ in range(n_participants):
        ParticipationFactory(contest=contest, division=division)
    db.session.commit()
    return contest, owner, division, registration, card


def test_organiser_creates_a_contest_in_the_browser(client) -> None:
    owner = organiser()
    db.session.commit()
    login(client, owner)
    form = {
        "title": "Дистанционный учитель — 2027",
        "kind": "teacher",
        "timezone": "Europe/Moscow",
        "description": "**Конкурс**",
        "rules": "Правила",
        "divisions": "Учителя\n",
        "awards": "Победитель: 1-1\nЛауреат: 2-3\nУчастник",
        "registration_opens_at": "2027-01-11T09:00",
        "registration_closes_at": "2027-01-25T09:00",
        "asks_institution": "y",
        "requires_consent": "y",
    }
    with at(NOW - timedelta(days=10)):
        response = client.post("/contests/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    contest = db.session.scalar(select(Contest))
    assert contest.award_rules[1] == {
        "title": "Лауреат",
        "ranks": [2, 3],
        "top_percent": None,
        "min_percent_of_max": None,
    }
    stage = {
        "title": "Визитная карточка",
        "kind": "submission",
        "description": "Эссе и ссылка",
        "opens_at": "2027-01-25T09:00",
        "closes_at": "2027-02-01T09:00",
        "advancement_rule": "top_n",
        "advancement_value": "30",
        "advancement_ties": "include_tied",
        "accepts_text": "y",
        "accepts_link": "y",
        "file_types": "pdf",
        "max_file_mb": "5",
        "max_files": "2",
        "jury_criteria": "Содержание; 10; 1\nОформление; 5; 0.5",
        "jury_aggregation": "mean",
    }
    with at(NOW - timedelta(days=10)):
        added = client.post(f"/contests/{contest.id}/stages/new", data=stage)
    assert added.status_code == 302, added.get_data(as_text=True)
    stages = queries.contest_stages(contest.id)
    assert [s.title for s in stages][1] == "Визитная карточка" and stages[1].has_jury
    # Overlapping: the next stage may not open before this one closes.
    bad = dict(stage, title="Урок", opens_at="2027-01-30T09:00", closes_at="2027-02-10T09:00")
    with at(NOW - timedelta(days=10)):
        refused = client.post(f"/contests/{contest.id}/stages/new", data=bad)
    assert refused.status_code == 422
    assert "overlaps the previous" in refused.get_data(as_text=True) or "перекрывает" in refused.get_data(
        as_text=True
    )
    reversed_ = dict(stage, title="Урок", opens_at="2027-02-10T09:00", closes_at="2027-02-05T09:00")
    with at(NOW - timedelta(days=10)):
        assert client.post(f"/contests/{contest.id}/stages/new", data=reversed_).status_code == 422
    zero = dict(
        stage,
        title="Урок",
        opens_at="2027-02-10T09:00",
        closes_at="2027-02-15T09:00",
        advancement_rule="top_percent",
        advancement_value="0",
    )
    with at(NOW - timedelta(days=10)):
        assert client.post(f"/contests/{contest.id}/stages/new", data=zero).status_code == 422
    assert len(queries.contest_stages(contest.id)) == 2


def test_create_form_rejects_bad_input_next_to_fields(client) -> None:
    owner = organiser()
    db.session.commit()
    login(client, owner)
    form = {
        "title": "",
        "kind": "teacher",
        "timezone": "Europe/Moscow",
        "divisions": "",
        "awards": "Победитель: первые",
        "registration_opens_at": "2027-01-11T09:00",
        "registration_closes_at": "2027-01-01T09:00",
    }
    response = client.post("/contests/new", data=form)
    assert response.status_code == 422
    assert response.get_data(as_text=True).count("invalid-feedback") >= 3
    form.update(title="X", divisions="A", awards="")
    response = client.post("/contests/new", data=form)
    assert response.status_code == 422  # closes before it opens
    assert db.session.scalar(select(func.count()).select_from(Contest)) == 0


@pytest.mark.parametrize("make", [teacher, student])
def test_only_organisers_create_contests(client, make) -> None:
    login(client, make())
    assert client.get("/contests/new").status_code == 403


def test_contest_page_shows_timeline_in_contest_zone_and_current_stage(client) -> None:
    contest, owner, division, registration, card = running_contest()
    contest.description = "**Жирный** <script>alert(1)</script>"
    db.session.commit()
    with at(NOW):
        page = client.get(f"/contests/{contest.id}").get_data(as_text=True)
    assert "<strong>Жирный</strong>" in page and "<script>alert(1)" not in page
    assert "stage-current" in page and "Europe/Moscow" in page
    # The lazy clock opened registration on page open.
    db.session.refresh(registration)
    assert registration.state == StageState.OPEN


def test_participant_registers_and_submits_and_replaces(client, outbox) -> None:
    contest, owner, division, registration, card = running_contest()
    person = teacher()
    db.session.commit()
    login(client, person)
    with at(NOW):
        refused = client.post(
            f"/contests/{contest.id}/register", data={"division": division.id, "institution": "Школа"}
        )
        assert refused.status_code == 422  # consent missing
        ok = client.post(
            f"/contests/{contest.id}/register",
            data={"division": division.id, "institution": "Школа", "consent": "y"},
        )
        assert ok.status_code == 302
    participation = queries.find_participation(contest.id, person.id)
    assert participation.institution_name == "Школа"
    later = NOW + timedelta(days=3)
    with at(later):
        page = client.get(f"/contests/stages/{card.id}")
        assert "entry-form" in page.get_data(as_text=True)
        big = client.post(
            f"/contests/stages/{card.id}",
            data={"text": "эссе", "files": (io.BytesIO(b"x" * (1024 * 1024 + 1)), "Эссе.pdf")},
            content_type="multipart/form-data",
        )
        assert big.status_code == 422 and "1.0 MB" in big.get_data(as_text=True) or big.status_code == 422
        first = client.post(
            f"/contests/stages/{card.id}",
            data={
                "text": "эссе",
                "link": "https://blog.example.org",
                "files": (io.BytesIO(b"%PDF plan"), "Сочинение Иванова.pdf"),
            },
            content_type="multipart/form-data",
        )
        assert first.status_code == 302, first.get_data(as_text=True)
        second = client.post(f"/contests/stages/{card.id}", data={"text": "эссе 2"})
        assert second.status_code == 302
        page = client.get(f"/contests/stages/{card.id}").get_data(as_text=True)
    assert "Сочинение Иванова.pdf" in page and page.count("list-group-item") >= 2
    entries = db.session.scalars(select(Entry).order_by(Entry.version)).all()
    assert [(e.version, e.is_current) for e in entries] == [(1, False), (2, True)]
    with at(NOW + timedelta(days=10)):
        closed = client.post(f"/contests/stages/{card.id}", data={"text": "поздно"})
    assert closed.status_code == 422 and db.session.scalar(select(func.count()).select_from(Entry)) == 2
    # Another participant cannot download the file.
    other = teacher()
    db.session.commit()
    client.post("/auth/logout")
    login(client, other)
    file_id = db.session.execute(select(func.min(Entry.id))).scalar()
    assert client.get(f"/contests/entries/{file_id}/files/1").status_code == 404


def test_not_advanced_participant_sees_the_reason(client) -> None:
    contest, owner, division, registration, card = running_contest()
    final = StageFactory(
        contest=contest,
        position=3,
        kind=StageKind.SUBMISSION,
        title="Финал",
        opens_at=NOW + timedelta(days=9),
        closes_at=NOW + timedelta(days=12),
    )
    person = teacher()
    ParticipationFactory(contest=contest, division=division, user=person)
    db.session.commit()
    login(client, person)
    with at(NOW + timedelta(days=10)):
        page = client.get(f"/contests/stages/{final.id}")
        assert "not-admitted" in page.get_data(as_text=True)
        refused = client.post(f"/contests/stages/{final.id}", data={"text": "работа"})
    assert refused.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Entry)) == 0


def test_organiser_closes_reopens_and_extends(client) -> None:
    contest, owner, division, registration, card = running_contest()
    login(client, owner)
    with at(NOW + timedelta(days=3)):
        client.get(f"/contests/{contest.id}")
        assert db.session.get(Stage, card.id).state == StageState.OPEN
        client.post(
            f"/contests/stages/{card.id}/extend",
            data={"extend-closes_at": "2027-01-25T12:00", "extend-reason": "просьба"},
        )
        db.session.expire_all()
        assert db.session.get(Stage, card.id).closes_at == datetime(2027, 1, 25, 9, 0, tzinfo=UTC)
        client.post(f"/contests/stages/{card.id}/close", data={"close-reason": "досрочно"})
        db.session.expire_all()
        assert db.session.get(Stage, card.id).state == StageState.CLOSED
        no_reason = client.post(
            f"/contests/stages/{card.id}/reopen", data={"reopen-reason": ""}, follow_redirects=True
        )
        assert db.session.get(Stage, card.id).state == StageState.CLOSED and no_reason.status_code == 200
        client.post(f"/contests/stages/{card.id}/reopen", data={"reopen-reason": "сбой сервера"})
        db.session.expire_all()
        assert db.session.get(Stage, card.id).state == StageState.OPEN
        audit = client.get(f"/contests/{contest.id}/audit").get_data(as_text=True)
    for action in ("stage.extended", "stage.closed", "stage.reopened", "сбой сервера"):
        assert action in audit


def test_organiser_reaches_the_jury_pages_from_a_jury_stage(client) -> None:
    contest, owner, division, registration, card = running_contest()
    final = StageFactory(
        contest=contest,
        position=3,
        kind=StageKind.JURY,
        title="Финал",
        opens_at=NOW + timedelta(days=10),
        closes_at=NOW + timedelta(days=12),
    )
    db.session.commit()
    login(client, owner)
    with at(NOW):
        jury_page = client.get(f"/contests/stages/{final.id}").get_data(as_text=True)
        submission_page = client.get(f"/contests/stages/{card.id}").get_data(as_text=True)
    for target in ("setup", "jurors", "progress", "overview", "schedule", "appeals"):
        suffix = "" if target == "setup" else f"/{target}"
        assert f'href="/jury/stages/{final.id}{suffix}"' in jury_page
    assert "data-jury-links" not in submission_page


@pytest.mark.parametrize("make", [teacher, student, organiser])
def test_organiser_pages_refuse_others(client, make) -> None:
    contest, owner, division, registration, card = running_contest()
    login(client, make())
    for url in (
        f"/contests/{contest.id}/edit",
        f"/contests/{contest.id}/participants",
        f"/contests/{contest.id}/audit",
        f"/contests/stages/{card.id}/advance",
        f"/contests/{contest.id}/questions",
        f"/contests/{contest.id}/stages/new",
    ):
        assert client.get(url).status_code == 403, url
    for url in (
        f"/contests/stages/{card.id}/close",
        f"/contests/stages/{card.id}/publish",
        f"/contests/{contest.id}/awards",
    ):
        assert client.post(url, data={}).status_code == 403, url


def test_participants_csv_import_page(client) -> None:
    contest, owner, division, registration, card = running_contest()
    login(client, owner)
    bad = client.post(
        f"/contests/{contest.id}/participants", data={"csv_text": "email,division\nx@y.org,Нет\n"}
    )
    assert bad.status_code == 422 and "import-errors" in bad.get_data(as_text=True)
    good = client.post(
        f"/contests/{contest.id}/participants",
        data={"csv_text": "email,full_name,division\nnew@example.org,Новый,5-8\n"},
    )
    assert good.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 1


def test_contest_page_runs_a_fixed_number_of_queries(client, count_queries) -> None:
    counts, statements = [], []
    for size in (2, 20):
        contest, owner, division, registration, card = running_contest(size)
        for extra in range(size // 2):
            StageFactory(
                contest=contest,
                position=3 + extra,
                kind=StageKind.SUBMISSION,
                opens_at=NOW + timedelta(days=20 + 2 * extra),
                closes_at=NOW + timedelta(days=21 + 2 * extra),
            )
        db.session.commit()
        person = db.session.scalars(select(Participation)).first()
        from app.accounts import User

        client.post("/auth/logout")
        login(client, db.session.get(User, person.user_id))
        url = f"/contests/{contest.id}"
        with at(NOW):
            client.get(url)  # the lazy clock's moves happen here, once
        db.session.remove()  # an empty identity map: the count must not depend on what GC kept
        with at(NOW), count_queries() as counter:
            assert client.get(url).status_code == 200
        counts.append(counter.count)
        statements.append(counter.statements)
        from tests.conftest import empty_database

        empty_database()
    assert counts[0] == counts[1], (counts, [s[:90] for s in statements[0]], [s[:90] for s in statements[1]])


def test_dashboard_panel_lists_the_participants_contests(client) -> None:
    contest, owner, division, registration, card = running_contest()
    person = teacher()
    ParticipationFactory(contest=contest, division=division, user=person)
    db.session.commit()
    login(client, person)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "contests-panel" in page and contest.title in page


def test_public_pages_for_anonymous_visitors(client) -> None:
    contest, owner, division, registration, card = running_contest(2)
    with at(NOW):
        assert client.get("/contests/").status_code == 200
        page = client.get(f"/contests/{contest.id}").get_data(as_text=True)
        assert "/auth/login" in page
        assert client.get(f"/contests/{contest.id}/awards").status_code == 200
        results_page = client.get(f"/contests/stages/{card.id}/results")
        assert results_page.status_code == 200 and "own-status" not in results_page.get_data(as_text=True)
        assert client.get(f"/contests/{contest.id}/edit").status_code == 302  # to the login page
    contest.is_public = False
    db.session.commit()
    assert client.get(f"/contests/{contest.id}").status_code == 404


def test_contest_lists_show_a_hidden_contest_to_its_organisers_and_admins_only(client, api) -> None:
    from tests.factories.accounts import admin

    contest_with_organiser(title="Открытый конкурс")
    _hidden, owner = contest_with_organiser(title="Скрытый конкурс", is_public=False)
    other, boss = organiser(), admin()
    db.session.commit()

    def titles(user) -> set[str]:  # type: ignore[no-untyped-def]
        if user is not None:
            login(client, user)
        page = client.get("/contests/").get_data(as_text=True)
        client.post("/auth/logout")
        listed = {t for t in ("Открытый конкурс", "Скрытый конкурс") if t in page}
        if user is not None:
            via_api = {c["title"] for c in api(user).get("/contests").get_json()["items"]}
            assert via_api == listed, (user.email, via_api, listed)
        return listed

    assert titles(None) == {"Открытый конкурс"}
    assert titles(other) == {"Открытый конкурс"}
    assert titles(owner) == {"Открытый конкурс", "Скрытый конкурс"}
    assert titles(boss) == {"Открытый конкурс", "Скрытый конкурс"}


def test_dashboard_panel_runs_a_fixed_number_of_queries(client, count_queries) -> None:
    from app.accounts import User
    from tests.factories.accounts import UserFactory

    person = UserFactory()
    db.session.commit()
    person_id = person.id
    login(client, person)
    counts = []
    for size in (1, 6):
        for _ in range(size):
            contest, owner, division, registration, card = running_contest()
            ParticipationFactory(contest=contest, division=division, user=db.session.get(User, person_id))
        db.session.commit()
        db.session.remove()  # an empty identity map: the count must not depend on what GC kept
        with count_queries() as counter:
            page = client.get("/dashboard")
        assert page.status_code == 200 and "contests-panel" in page.get_data(as_text=True)
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_organiser_edits_a_stage(client) -> None:
    contest, owner, division, registration, card = running_contest()
    login(client, owner)
    with at(NOW):
        form = client.get(f"/contests/stages/{card.id}/edit")
        assert form.status_code == 200 and "2027-01-17T12:00" in form.get_data(as_text=True)
        data = {
            "title": "Визитка",
            "kind": "submission",
            "description": "Эссе",
            "opens_at": "2027-01-18T09:00",
            "closes_at": "2027-01-25T09:00",
            "advancement_rule": "top_n",
            "advancement_value": "10",
            "advancement_ties": "exclude_tied",
            "accepts_text": "y",
            "file_types": "pdf",
            "max_file_mb": "2",
            "max_files": "1",
        }
        assert client.post(f"/contests/stages/{card.id}/edit", data=data).status_code == 302
        overlap = client.post(
            f"/contests/stages/{card.id}/edit", data=dict(data, opens_at="2027-01-16T09:00")
        )
        assert overlap.status_code == 422
    db.session.expire_all()
    stage = db.session.get(Stage, card.id)
    assert (stage.title, stage.advancement_rule, stage.advancement_value, stage.max_files) == (
        "Визитка",
        "top_n",
        10,
        1,
    )
    assert stage.opens_at == datetime(2027, 1, 18, 6, 0, tzinfo=UTC)
    with at(NOW + timedelta(days=4)):  # open now: the dates can no longer move
        moved = client.post(f"/contests/stages/{card.id}/edit", data=dict(data, closes_at="2027-01-26T09:00"))
    assert moved.status_code == 422
