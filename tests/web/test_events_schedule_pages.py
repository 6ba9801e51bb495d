"""The host's pages: the event form (a weekly series from the form, refusals by the field with a 422
and nothing written, a denial per role), editing, cancelling, and the term plan as XLSX and PDF."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.timeutil import to_zone, utcnow
from community.events.models import Event, EventStatus, EventSubject
from tests.conftest import login
from tests.factories.accounts import methodist, organiser, student, teacher
from tests.factories.community import AssociationFactory, add_member, subjects
from tests.factories.events import EventFactory, host, registration


def form(**changes: Any) -> dict[str, Any]:
    local = to_zone(utcnow() + timedelta(days=4), "Europe/Moscow")
    data: dict[str, Any] = {
        "kind": "webinar",
        "title": "Смысловое чтение на уроках истории",
        "description": "План и материалы.",
        "starts_at": local.strftime("%Y-%m-%dT16:00"),
        "duration_minutes": "60",
        "timezone": "Europe/Moscow",
        "weekly_until": "",
        "format": "online",
        "link": "https://meet.example.org/history",
        "address": "",
        "capacity": "25",
        "audience": "network",
        "registration_closes_at": "",
        "institution_id": "0",
        "association_id": "0",
        "questions": "Какой класс вы ведёте?\n",
        "invitees": "",
    }
    data.update(changes)
    return data


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Event)) or 0


def test_a_methodist_schedules_a_weekly_series_from_the_form(client: Any) -> None:
    runner = methodist()
    history = subjects()["История"]
    db.session.commit()
    login(client, runner)
    assert client.get("/events/new").status_code == 200
    until = (utcnow() + timedelta(days=4 + 21)).date().isoformat()
    response = client.post(
        "/events/new", data=form(weekly_until=until, subjects=[history.id], grades=["8", "9"])
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    events = db.session.scalars(select(Event).order_by(Event.starts_at)).all()
    assert len(events) == 4
    assert response.headers["Location"].endswith(f"/events/{events[0].id}")
    assert all(to_zone(e.starts_at, "Europe/Moscow").hour == 16 for e in events)
    assert events[0].questions == [{"id": "q1", "text": "Какой класс вы ведёте?", "required": False}]
    assert events[0].grades == [8, 9]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"duration_minutes": "-10"}, "больше нуля"),
        ({"capacity": "0"}, "не меньше 1"),
        ({"link": "ftp://x.org"}, "http"),
        ({"format": "offline"}, "адрес"),
        ({"starts_at": "2020-01-01T10:00"}, "прошлом"),
        ({"title": ""}, ""),
    ],
)
def test_refusals_are_shown_by_the_field_with_422(client: Any, changes: dict[str, str], message: str) -> None:
    runner = methodist(locale="ru")
    db.session.commit()
    login(client, runner)
    response = client.post("/events/new", data=form(**changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count() == 0


@pytest.mark.parametrize("make", [teacher, student])
def test_the_form_is_refused_to_those_who_may_not_host(client: Any, make: Any) -> None:
    user = make()
    db.session.commit()
    login(client, user)
    assert client.get("/events/new").status_code == 403
    assert client.post("/events/new", data=form()).status_code == 403
    assert count() == 0


def test_a_leader_may_not_file_an_event_under_another_association(client: Any) -> None:
    leader = teacher()
    mine, other = AssociationFactory(), AssociationFactory()
    add_member(mine, leader, leader=True)
    db.session.commit()
    login(client, leader)
    ok = client.post("/events/new", data=form(association_id=str(mine.id), audience="association"))
    assert ok.status_code == 302
    refused = client.post("/events/new", data=form(association_id=str(other.id)))
    assert refused.status_code in (403, 422)
    assert count() == 1


def test_a_host_edits_and_cancels_and_others_are_refused(client: Any) -> None:
    runner, stranger, person = teacher(), teacher(), teacher()
    event = EventFactory()
    host(event, runner)
    registration(event, person)
    db.session.commit()
    login(client, stranger)
    assert client.get(f"/events/{event.id}/edit").status_code == 403
    assert client.post(f"/events/{event.id}/cancel-event").status_code == 403
    other = client.application.test_client()
    login(other, runner)
    page = other.get(f"/events/{event.id}/edit")
    assert page.status_code == 200 and event.title in page.get_data(as_text=True)
    local = to_zone(event.starts_at, "Europe/Moscow").strftime("%Y-%m-%dT%H:%M")
    changed = other.post(f"/events/{event.id}/edit", data=form(starts_at=local, title="Новое название"))
    assert changed.status_code == 302
    db.session.refresh(event)
    assert event.title == "Новое название"
    assert other.post(f"/events/{event.id}/cancel-event").status_code == 302
    db.session.refresh(event)
    assert event.status == EventStatus.CANCELLED
    assert other.get("/events/999999/edit").status_code == 404


def test_the_term_plan_downloads_as_xlsx_and_pdf(client: Any) -> None:
    runner = methodist()
    start = utcnow() + timedelta(days=3)
    lesson = EventFactory(kind="open_lesson", title="Открытый урок «Дроби»", starts_at=start, ends_at=start)
    host(lesson, runner)
    EventFactory(kind="seminar", title="Семинар не в плане", starts_at=start, ends_at=start)
    db.session.commit()
    login(client, runner)
    local = to_zone(start, "Europe/Moscow").date()
    term = f"{local.year}-1" if local.month >= 7 else f"{local.year - 1}-2"
    page = client.get(f"/events/term-plan?term={term}").get_data(as_text=True)
    assert "Открытый урок «Дроби»" in page and "Семинар не в плане" not in page
    xlsx = client.get(f"/events/term-plan.xlsx?term={term}")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["Content-Disposition"]
    cells = [c.value for row in load_workbook(io.BytesIO(xlsx.data)).active.iter_rows() for c in row]
    assert "Открытый урок «Дроби»" in cells and "Семинар не в плане" not in cells
    assert runner.full_name in cells
    pdf = client.get(f"/events/term-plan.pdf?term={term}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get("/events/term-plan.pdf?term=2026-3").status_code == 422


@pytest.mark.parametrize("make", [teacher, student, organiser])
def test_the_term_plan_is_refused_to_those_who_do_not_plan(client: Any, make: Any) -> None:
    user = make()
    db.session.commit()
    login(client, user)
    expected = 200 if make is organiser else 403
    assert client.get("/events/term-plan").status_code == expected
    assert client.get("/events/term-plan.xlsx").status_code == expected


def test_the_term_plan_page_keeps_its_queries_at_any_size(client: Any, count_queries: Any) -> None:
    runner = methodist()
    history_id = subjects()["История"].id
    db.session.commit()
    login(client, runner)
    counts = []
    for size in (1, 8):
        for n in range(size):
            moment = utcnow() + timedelta(days=2, hours=n)
            event = EventFactory(kind="open_lesson", starts_at=moment, ends_at=moment + timedelta(hours=1))
            host(event, teacher())
            db.session.add(EventSubject(event_id=event.id, subject_id=history_id))
        db.session.commit()
        with count_queries(cold=True) as counter:
            assert client.get("/events/term-plan").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
