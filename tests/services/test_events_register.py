"""Registration service: a seat or the waiting list, answers, the deadline and the start, a second
registration, giving up a place with the next person promoted and told, the confirmation letter with
the event's .ics (the link only for the registered), and the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.audit import AuditEntry
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.notifications import Notification
from app.timeutil import utcnow
from community.events import registration
from community.events.models import Event, EventRegistration, EventStatus, RegistrationStatus
from tests.factories.accounts import teacher
from tests.factories.events import EventFactory

REGISTERED, WAITING, CANCELLED = (
    RegistrationStatus.REGISTERED,
    RegistrationStatus.WAITING,
    RegistrationStatus.CANCELLED,
)


def counts(event: Event) -> tuple[int, int]:
    db.session.refresh(event)
    return event.registered_count, event.waiting_count


def ics_of(message: object) -> Calendar:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]  # type: ignore[attr-defined]
    assert len(parts) == 1
    return Calendar.from_ical(parts[0].get_content())


def test_register_takes_a_seat_and_sends_the_confirmation_with_the_ics(app: object, outbox: object) -> None:
    event = EventFactory(capacity=2, timezone="Asia/Yekaterinburg")
    person = teacher(email="ivanova@school.example", timezone="Asia/Novosibirsk")
    row = registration.register(event, person, {}, now=utcnow())
    assert row.status == REGISTERED and counts(event) == (1, 0)
    (letter,) = outbox()  # type: ignore[operator]
    assert letter["To"] == "ivanova@school.example"
    assert "Вы зарегистрированы" in letter["Subject"]
    body = letter.get_body(preferencelist=("plain",)).get_content()
    assert "https://meet.example.org/webinar" in body and "Asia/Novosibirsk" in body
    (vevent,) = ics_of(letter).walk("VEVENT")
    assert vevent["DTSTART"].params["TZID"] == "Asia/Yekaterinburg"
    assert "https://meet.example.org/webinar" in str(vevent["DESCRIPTION"])
    assert str(vevent["UID"]) == f"event-{event.id}@localhost"
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions == ["event.registered"]


def test_when_full_the_person_waits_without_the_link(app: object, outbox: object) -> None:
    event = EventFactory(capacity=1)
    registration.register(event, teacher(), {}, now=utcnow())
    second = registration.register(event, teacher(), {}, now=utcnow())
    third = registration.register(event, teacher(), {}, now=utcnow())
    assert (second.status, third.status) == (WAITING, WAITING)
    assert registration.position_of(second) == 1 and registration.position_of(third) == 2
    assert counts(event) == (1, 2)
    waiting_letter = outbox()[-1]  # type: ignore[operator]
    body = waiting_letter.get_body(preferencelist=("plain",)).get_content()
    assert "номер 2" in body and "meet.example.org" not in body
    assert not list(waiting_letter.iter_attachments())


def test_a_second_registration_is_a_conflict_and_changes_nothing(app: object) -> None:
    event = EventFactory(capacity=5)
    person = teacher()
    registration.register(event, person, {}, now=utcnow())
    with pytest.raises(Conflict):
        registration.register(event, person, {}, now=utcnow())
    assert counts(event) == (1, 0)
    assert db.session.scalar(select(db.func.count(EventRegistration.id))) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"registration_closes_at": -1},
        {"starts_at": -1},
        {"status": EventStatus.CANCELLED},
    ],
)
def test_closed_started_or_cancelled_events_refuse(app: object, change: dict[str, object]) -> None:
    now = utcnow()
    values: dict[str, object] = {}
    if "registration_closes_at" in change:
        values["registration_closes_at"] = now - timedelta(minutes=1)
    if "starts_at" in change:
        values["starts_at"] = now - timedelta(minutes=5)
    if "status" in change:
        values["status"] = change["status"]
    event = EventFactory(**values)
    with pytest.raises(Conflict):
        registration.register(event, teacher(), {}, now=now)
    assert counts(event) == (0, 0)
    assert db.session.scalar(select(db.func.count(EventRegistration.id))) == 0


def test_answers_are_checked_and_kept(app: object) -> None:
    event = EventFactory(questions=[{"id": "q1", "text": "Ваша школа", "required": True}])
    with pytest.raises(Invalid) as refused:
        registration.register(event, teacher(), {"q1": "  "}, now=utcnow())
    assert "answer_q1" in refused.value.fields
    assert counts(event) == (0, 0)
    row = registration.register(event, teacher(), {"q1": "Лицей № 2", "other": "x"}, now=utcnow())
    assert row.answers == {"q1": "Лицей № 2"}


def test_cancelling_a_seat_promotes_the_first_waiting_who_is_told(app: object, outbox: object) -> None:
    event = EventFactory(capacity=1)
    first, second, third = teacher(), teacher(email="petrov@school.example"), teacher()
    for person in (first, second, third):
        registration.register(event, person, {}, now=utcnow())
    promoted = registration.cancel(event, first, now=utcnow())
    assert promoted is not None and promoted.user_id == second.id
    assert promoted.status == REGISTERED and promoted.promoted_at is not None
    assert counts(event) == (1, 1)
    assert registration.position_of(registration.mine(event.id, third.id)) == 1  # type: ignore[arg-type]
    letter = outbox()[-1]  # type: ignore[operator]
    assert letter["To"] == "petrov@school.example"
    assert "meet.example.org" in letter.get_body(preferencelist=("plain",)).get_content()
    ics_of(letter)
    note = db.session.scalar(select(Notification).where(Notification.user_id == second.id))
    assert note is not None and note.kind == "event_seat" and note.link == f"/events/{event.id}"


def test_leaving_the_waiting_list_promotes_nobody(app: object) -> None:
    event = EventFactory(capacity=1)
    first, second = teacher(), teacher()
    registration.register(event, first, {}, now=utcnow())
    registration.register(event, second, {}, now=utcnow())
    assert registration.cancel(event, second, now=utcnow()) is None
    assert counts(event) == (1, 0)


def test_cancel_without_a_place_or_after_the_start_is_a_conflict(app: object) -> None:
    event = EventFactory(capacity=3)
    with pytest.raises(Conflict):
        registration.cancel(event, teacher(), now=utcnow())
    person = teacher()
    registration.register(event, person, {}, now=utcnow())
    with pytest.raises(Conflict):
        registration.cancel(event, person, now=event.starts_at + timedelta(minutes=1))
    registration.cancel(event, person, now=utcnow())
    with pytest.raises(Conflict):
        registration.cancel(event, person, now=utcnow())
    assert counts(event) == (0, 0)


def test_registering_again_after_cancelling_queues_at_the_end(app: object) -> None:
    event = EventFactory(capacity=1)
    holder, early, late = teacher(), teacher(), teacher()
    registration.register(event, holder, {}, now=utcnow())
    registration.register(event, early, {}, now=utcnow())
    registration.register(event, late, {}, now=utcnow())
    registration.cancel(event, early, now=utcnow())
    again = registration.register(event, early, {}, now=utcnow())
    assert again.status == WAITING and registration.position_of(again) == 2
    promoted = registration.cancel(event, holder, now=utcnow())
    assert promoted is not None and promoted.user_id == late.id


def test_no_capacity_means_everyone_gets_a_seat(app: object) -> None:
    event = EventFactory(capacity=None)
    rows = [registration.register(event, teacher(), {}, now=utcnow()) for _ in range(5)]
    assert {r.status for r in rows} == {REGISTERED} and counts(event) == (5, 0)


def test_raised_capacity_fills_from_the_waiting_list_in_order(app: object) -> None:
    event = EventFactory(capacity=1)
    people = [teacher() for _ in range(4)]
    for person in people:
        registration.register(event, person, {}, now=utcnow())
    event.capacity = 3
    db.session.commit()
    promoted = registration.fill_free_seats(event, now=utcnow())
    db.session.commit()
    assert [row.user_id for row in promoted] == [people[1].id, people[2].id]
    assert counts(event) == (3, 1)
    assert registration.fill_free_seats(event, now=utcnow()) == []
