"""Editing an event's start: its registered and waiting people are told the new time (in their zone
and language) and the day-before and hour-before reminders go again; an edit that keeps the time
tells no one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from babel.dates import format_datetime
from sqlalchemy import select

from app.extensions import db
from app.notifications import Notification
from app.timeutil import utcnow
from community.events import reminders, scheduling
from community.events.models import EventRegistration, RegistrationStatus
from tests.factories.accounts import methodist, teacher
from tests.factories.events import EventFactory, registration
from tests.services.test_events_schedule import data

pytestmark = pytest.mark.usefixtures("app")


def _notices(kind: str) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.kind == kind)))


def test_a_moved_event_tells_its_people_and_reminds_them_again() -> None:
    actor = methodist()
    start = (utcnow() + timedelta(hours=20)).replace(second=0, microsecond=0)
    event = EventFactory(starts_at=start, ends_at=start + timedelta(minutes=90), capacity=1)
    seated = teacher(timezone="Asia/Novosibirsk")
    waiting = teacher()
    registration(event, seated)
    registration(event, waiting, status=RegistrationStatus.WAITING)
    db.session.commit()
    assert reminders.send_reminders(utcnow())  # the day-before reminder went out
    later = start + timedelta(days=1)
    scheduling.edit(event, data(starts_at=later, timezone="Europe/Moscow"), actor=actor, now=utcnow())
    moved = _notices("event_moved")
    assert {notice.user_id for notice in moved} == {seated.id, waiting.id}
    local = (later + timedelta(hours=7)).replace(tzinfo=None)
    novosibirsk = format_datetime(local, "d MMMM y, HH:mm", locale="ru") + " (Asia/Novosibirsk)"
    mine = next(notice for notice in moved if notice.user_id == seated.id)
    assert mine.text == f"Перенесено: «Функциональная грамотность» теперь {novosibirsk}"
    row = db.session.scalar(select(EventRegistration).where(EventRegistration.user_id == seated.id))
    assert row is not None and row.reminded_day_at is None and row.reminded_hour_at is None


def test_an_edit_that_keeps_the_time_tells_no_one() -> None:
    actor = methodist()
    event = EventFactory()
    registration(event, teacher())
    db.session.commit()
    db.session.expire_all()
    same = data(starts_at=event.starts_at, timezone="Europe/Moscow", title="Новая тема")
    scheduling.edit(event, same, actor=actor, now=utcnow())
    assert _notices("event_moved") == []
