"""The "event reminders" tick job: a letter a day and an hour before to each registered person with
the link inside; a second run sends nothing; the waiting list, the cancelled and cancelled events get
none; once less than an hour is left only the hour's reminder goes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.mail import OutgoingMail
from app.ticks import run_tick
from app.timeutil import utcnow
from community.events import registration
from community.events.models import EventRegistration, EventStatus, RegistrationStatus
from community.events.reminders import send_reminders
from tests.factories.accounts import teacher
from tests.factories.events import EventFactory
from tests.factories.events import registration as registration_row


def letters(prefix: str) -> list[OutgoingMail]:
    query = select(OutgoingMail).where(OutgoingMail.subject.like(prefix + "%")).order_by(OutgoingMail.id)
    return list(db.session.scalars(query))


def test_a_day_before_then_an_hour_before_each_once_with_the_link(app: object) -> None:
    now = utcnow()
    event = EventFactory(starts_at=now + timedelta(hours=23), capacity=1)
    person = teacher(email="smirnova@school.example")
    registration.register(event, person, {}, now=now)
    registration.register(event, teacher(), {}, now=now)  # waiting: no reminders
    assert send_reminders(now) == ["reminders sent: 1 a day before, 0 an hour before"]
    assert send_reminders(now) == []
    (day,) = letters("Завтра")
    assert day.to_address == "smirnova@school.example"
    assert "https://meet.example.org/webinar" in day.body and f"/events/{event.id}" in day.body
    later = now + timedelta(hours=22, minutes=30)
    assert send_reminders(later) == ["reminders sent: 0 a day before, 1 an hour before"]
    assert send_reminders(later) == []
    (hour,) = letters("Через час")
    assert "https://meet.example.org/webinar" in hour.body
    row = db.session.scalar(select(EventRegistration).where(EventRegistration.user_id == person.id))
    assert row is not None and row.reminded_day_at is not None and row.reminded_hour_at is not None


def test_registering_within_the_hour_gets_only_the_hours_reminder(app: object) -> None:
    now = utcnow()
    event = EventFactory(starts_at=now + timedelta(minutes=40))
    registration.register(event, teacher(), {}, now=now)
    send_reminders(now)
    assert len(letters("Через час")) == 1 and letters("Завтра") == []
    assert send_reminders(now + timedelta(minutes=5)) == []


def test_nothing_for_far_events_cancelled_events_or_cancelled_people(app: object) -> None:
    now = utcnow()
    far = EventFactory(starts_at=now + timedelta(days=3))
    registration_row(far, teacher())
    off = EventFactory(starts_at=now + timedelta(hours=5), status=EventStatus.CANCELLED)
    registration_row(off, teacher())
    soon = EventFactory(starts_at=now + timedelta(hours=5))
    registration_row(soon, teacher(), status=RegistrationStatus.CANCELLED)
    past = EventFactory(starts_at=now - timedelta(minutes=10))
    registration_row(past, teacher())
    db.session.commit()
    assert send_reminders(now) == []
    assert db.session.scalar(select(func.count(OutgoingMail.id))) == 0


def test_the_clock_runs_the_job(app: object) -> None:
    now = utcnow()
    event = EventFactory(starts_at=now + timedelta(hours=3))
    registration_row(event, teacher())
    db.session.commit()
    lines = run_tick(now)
    assert "event reminders: reminders sent: 1 a day before, 0 an hour before" in lines
    assert not any(line.startswith("event reminders") for line in run_tick(now))
