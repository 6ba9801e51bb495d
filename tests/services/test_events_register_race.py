"""Registration races on real connections in threads (SQLite file here; PostgreSQL with
TEST_DATABASE_URL): fifty people at once for ten seats leave exactly ten registered and forty
waiting in a queue without gaps; two cancellations at once promote two different people; one person
pressing twice at once registers once; the reminder job run twice (or twice at once) sends each
reminder once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts import User
from app.extensions import db
from app.mail import OutgoingMail
from app.timeutil import utcnow
from community.events import registration
from community.events.models import Event, EventRegistration, RegistrationStatus
from community.events.reminders import send_reminders
from tests.concurrency import at_once, skip_memory_database
from tests.factories.accounts import teacher
from tests.factories.events import EventFactory

REGISTERED, WAITING = RegistrationStatus.REGISTERED, RegistrationStatus.WAITING


def _register(event_id: int, user_id: int) -> Callable[[], object]:
    def call() -> object:
        event, user = db.session.get(Event, event_id), db.session.get(User, user_id)
        assert event is not None and user is not None
        return str(registration.register(event, user, {}, now=utcnow()).status)

    return call


def _cancel(event_id: int, user_id: int) -> Callable[[], object]:
    def call() -> object:
        event, user = db.session.get(Event, event_id), db.session.get(User, user_id)
        assert event is not None and user is not None
        promoted = registration.cancel(event, user, now=utcnow())
        return promoted.user_id if promoted is not None else None

    return call


def _statuses(event_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(EventRegistration.status, func.count())
        .where(EventRegistration.event_id == event_id)
        .group_by(EventRegistration.status)
    ).all()
    return {str(status): count for status, count in rows}


def test_fifty_at_once_for_ten_seats(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    skip_memory_database()
    # Letters stay queued in the outbox table: the development file outbox delivers each committed
    # transaction's letters on a second pooled connection, and fifty writers would exhaust the pool.
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.invalid")
    event = EventFactory(capacity=10)
    people = [teacher().id for _ in range(50)]
    event_id = event.id
    db.session.commit()
    db.session.close()
    outcomes = at_once(app, [_register(event_id, user_id) for user_id in people])
    assert sorted(map(str, outcomes)) == ["registered"] * 10 + ["waiting"] * 40, outcomes
    assert _statuses(event_id) == {"registered": 10, "waiting": 40}
    stored = db.session.get(Event, event_id)
    assert stored is not None and (stored.registered_count, stored.waiting_count) == (10, 40)
    waiting = db.session.scalars(
        select(EventRegistration).where(EventRegistration.status == WAITING).order_by(EventRegistration.id)
    ).all()
    assert [registration.position_of(row) for row in waiting] == list(range(1, 41))
    letters = db.session.scalars(select(OutgoingMail.subject)).all()
    assert len(letters) == 50 and sum(1 for s in letters if s.startswith("Лист ожидания")) == 40


def test_two_cancellations_at_once_promote_two_people(app: Flask) -> None:
    skip_memory_database()
    event = EventFactory(capacity=2)
    holders = [teacher() for _ in range(2)]
    queue = [teacher() for _ in range(3)]
    for person in holders + queue:
        registration.register(event, person, {}, now=utcnow())
    event_id, holder_ids, queue_ids = event.id, [h.id for h in holders], [q.id for q in queue]
    db.session.commit()
    db.session.close()
    promoted = at_once(app, [_cancel(event_id, user_id) for user_id in holder_ids])
    assert sorted(promoted) == sorted(queue_ids[:2]), promoted  # type: ignore[type-var]
    assert _statuses(event_id) == {"registered": 2, "waiting": 1, "cancelled": 2}
    stored = db.session.get(Event, event_id)
    assert stored is not None and (stored.registered_count, stored.waiting_count) == (2, 1)
    seat_letters = db.session.scalar(
        select(func.count(OutgoingMail.id)).where(OutgoingMail.subject.like("Вы зарегистрированы%"))
    )
    assert seat_letters == 5 + 2 - 3  # two seat letters beside the two first confirmations


def test_one_person_twice_at_once_registers_once(app: Flask) -> None:
    skip_memory_database()
    event = EventFactory(capacity=5)
    person = teacher()
    event_id, user_id = event.id, person.id
    db.session.commit()
    db.session.close()
    outcomes = at_once(app, [_register(event_id, user_id) for _ in range(2)])
    assert sum(1 for o in outcomes if o == "registered") == 1, outcomes
    assert sum(1 for o in outcomes if "already registered" in repr(o) or "уже" in repr(o)) == 1, outcomes
    stored = db.session.get(Event, event_id)
    assert stored is not None and (stored.registered_count, stored.waiting_count) == (1, 0)


def test_reminder_job_twice_at_once_sends_each_reminder_once(app: Flask) -> None:
    skip_memory_database()
    now = utcnow()
    event = EventFactory(starts_at=now + timedelta(hours=20))
    people = [teacher() for _ in range(3)]
    for person in people:
        registration.register(event, person, {}, now=now)
    db.session.commit()
    db.session.close()
    before = db.session.scalar(select(func.count(OutgoingMail.id)))
    db.session.close()
    at_once(app, [lambda: send_reminders(now), lambda: send_reminders(now)])
    sent = db.session.scalar(select(func.count(OutgoingMail.id)))
    assert sent == (before or 0) + 3
    assert send_reminders(now) == []
