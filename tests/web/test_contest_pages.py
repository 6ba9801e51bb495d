"""Contest pages in the browser: the contest page, register, submit, public pages and lists, the
dashboard panel, query counts (setup and organiser actions have their own modules)."""

from __future__ import annotations

import io
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from unittest import mock

from sqlalchemy import func, select

from app.extensions import db
from contest_engine import queries
from contest_engine.clock import clock_job
from contest_engine.models import Entry, Participation
from contest_engine.rules.stages import StageKind, StageState
from tests.conftest import login
from tests.factories.accounts import organiser, teacher
from tests.factories.contests import (
    DivisionFactory,
    ParticipationFactory,
    StageFactory,
    contest_with_organiser,
)

NOW = datetime(2027, 1, 15, 9, 0, tzinfo=UTC)


VIEW_MODULES = ("organiser", "panel", "participant", "public", "results", "running", "stage_setup")


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


def test_contest_page_shows_timeline_in_contest_zone_and_current_stage(client) -> None:
    contest, owner, division, registration, card = running_contest()
    contest.description = "**Жирный** <script>alert(1)</script>"
    db.session.commit()
    with at(NOW):
        page = client.get(f"/contests/{contest.id}").get_data(as_text=True)
    assert "<strong>Жирный</strong>" in page and "<script>alert(1)" not in page
    assert "stage-current" in page and "Москва (UTC+3)" in page and "Europe/Moscow" not in page
    # The page shows registration open from its times but writes nothing (a GET is a reader);
    # the tick job writes the move.
    assert "Войдите, чтобы зарегистрироваться" in page or "Log in to register" in page
    db.session.expire_all()
    assert db.session.get(type(registration), registration.id).state == StageState.SCHEDULED
    clock_job(NOW)
    db.session.expire_all()
    assert db.session.get(type(registration), registration.id).state == StageState.OPEN


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
            client.get(url)  # a first visit (the clock is seen from the times, never written by a page)
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
