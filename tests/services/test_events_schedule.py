"""The scheduling service: a series in a zone with daylight saving, invitations, editing (seats never
below the registered), cancelling once and telling the registered and the waiting, nothing half-written."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts import User
from app.audit import AuditEntry
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.mail import OutgoingMail
from app.notifications import Notification
from app.timeutil import utcnow
from community.events import scheduling
from community.events.models import Event, EventInvite, EventRegistration, EventStatus
from community.events.scheduling import EventInput
from tests.concurrency import at_once, skip_memory_database
from tests.factories.accounts import methodist, teacher
from tests.factories.events import EventFactory, registration

pytestmark = pytest.mark.usefixtures("app")
NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def data(**changes: object) -> EventInput:
    base = EventInput(
        kind="webinar",
        title="Функциональная грамотность",
        description="",
        starts_at=datetime(2026, 10, 15, 16, 0),
        duration_minutes=60,
        timezone="Europe/Berlin",
        format="online",
        link="https://meet.example.org/fg",
    )
    for name, value in changes.items():
        setattr(base, name, value)
    return base


def test_a_series_keeps_16_00_local_after_the_clocks_go_back() -> None:
    actor = methodist()
    events = scheduling.schedule(data(weekly_until=date(2026, 11, 5)), actor=actor, now=NOW)
    hours = [event.starts_at.astimezone(UTC).hour for event in events]
    assert hours == [14, 14, 15, 15]
    assert all(event.hours == 2 and event.series_id == events[0].series_id for event in events)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) >= 1


def test_invitees_by_address_and_an_unknown_one_writes_nothing() -> None:
    actor, guest = methodist(), teacher(email="guest@school.example")
    (event,) = scheduling.schedule(
        data(audience="invited", invitee_emails=["GUEST@school.example"]), actor=actor, now=NOW
    )
    assert db.session.scalars(select(EventInvite.user_id).where(EventInvite.event_id == event.id)).all() == [
        guest.id
    ]
    with pytest.raises(Invalid) as refused:
        scheduling.schedule(
            data(audience="invited", invitee_emails=["ghost@school.example"], weekly_until=date(2026, 11, 5)),
            actor=actor,
            now=NOW,
        )
    assert "invitees" in refused.value.fields
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Event)) == 1


def test_edit_refuses_fewer_seats_than_the_registered() -> None:
    actor = methodist()
    event = EventFactory(capacity=5)
    for _ in range(3):
        registration(event, teacher())
    db.session.commit()
    change = data(starts_at=event.starts_at, timezone="Europe/Moscow", capacity=2)
    with pytest.raises(Invalid) as refused:
        scheduling.edit(event, change, actor=actor, now=utcnow())
    assert "capacity" in refused.value.fields
    db.session.rollback()
    edited = scheduling.edit(
        event,
        data(starts_at=event.starts_at, timezone="Europe/Moscow", capacity=3),
        actor=actor,
        now=utcnow(),
    )
    assert edited.capacity == 3 and edited.title == "Функциональная грамотность"


def test_edit_keeps_a_start_that_has_passed_but_refuses_moving_it_into_the_past() -> None:
    actor = methodist()
    event = EventFactory(starts_at=utcnow() + timedelta(hours=1))
    db.session.commit()
    later = utcnow() + timedelta(hours=2)
    same = data(starts_at=event.starts_at, timezone="Europe/Moscow", title="Новая тема")
    assert scheduling.edit(event, same, actor=actor, now=later).title == "Новая тема"
    with pytest.raises(Invalid):
        scheduling.edit(
            event,
            data(starts_at=utcnow() - timedelta(days=1), timezone="Europe/Moscow"),
            actor=actor,
            now=later,
        )


def test_cancel_tells_the_registered_and_the_waiting_once() -> None:
    actor = methodist()
    event = EventFactory(capacity=1)
    first, second, gone = teacher(), teacher(), teacher()
    registration(event, first)
    registration(event, second, status="waiting")
    registration(event, gone, status="cancelled")
    db.session.commit()
    assert scheduling.cancel(event, actor=actor, now=utcnow()) == 2
    assert event.status == EventStatus.CANCELLED
    told = db.session.scalars(
        select(Notification.user_id).where(Notification.kind == "event_cancelled")
    ).all()
    assert sorted(told) == sorted([first.id, second.id])
    letters = db.session.scalars(select(OutgoingMail.to_address)).all()
    assert sorted(letters) == sorted([first.email, second.email])
    with pytest.raises(Conflict):
        scheduling.cancel(event, actor=actor, now=utcnow())
    with pytest.raises(Conflict):
        scheduling.edit(
            event, data(starts_at=event.starts_at, timezone="Europe/Moscow"), actor=actor, now=utcnow()
        )


def test_two_cancellations_at_once_tell_people_once(app: Flask) -> None:
    skip_memory_database()
    actor = methodist()
    event = EventFactory()
    registration(event, teacher())
    db.session.commit()
    event_id, actor_id = event.id, actor.id
    db.session.close()

    def cancel() -> int:
        return scheduling.cancel(
            db.session.get(Event, event_id), actor=db.session.get(User, actor_id), now=utcnow()
        )  # type: ignore[arg-type]

    outcomes = at_once(app, [cancel, cancel])
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "int"], outcomes
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 1


def test_the_cancellation_notice_is_in_the_recipient_language_and_zone() -> None:
    event = EventFactory(title="Вебинар", starts_at=datetime(2030, 3, 1, 10, 0, tzinfo=UTC))
    registration(event, teacher(locale="ru", timezone="Asia/Vladivostok"))
    db.session.commit()
    scheduling.cancel(event, actor=methodist(), now=utcnow())
    text = db.session.scalar(select(Notification.text).where(Notification.kind == "event_cancelled"))
    assert text == "Отменено: «Вебинар» 1 марта 2030, 20:00 (Asia/Vladivostok)"


def test_more_seats_go_to_the_waiting_list_in_order() -> None:
    actor = methodist()
    event = EventFactory(capacity=1)
    registration(event, teacher())
    first, second, third = teacher(), teacher(), teacher()
    for person in (first, second, third):
        registration(event, person, status="waiting")
    db.session.commit()
    scheduling.edit(
        event,
        data(starts_at=event.starts_at, timezone="Europe/Moscow", capacity=3),
        actor=actor,
        now=utcnow(),
    )
    db.session.refresh(event)
    assert (event.registered_count, event.waiting_count) == (3, 1)
    statuses = dict(
        db.session.execute(
            select(EventRegistration.user_id, EventRegistration.status).where(
                EventRegistration.event_id == event.id
            )
        ).all()
    )
    assert (statuses[first.id], statuses[second.id], statuses[third.id]) == (
        "registered",
        "registered",
        "waiting",
    )
