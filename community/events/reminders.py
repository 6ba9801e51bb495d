"""The clock's "event reminders" job: a letter to each registered person a day and an hour before
the event, with the link inside.

Each reminder is claimed before its letter is queued by one conditional UPDATE … RETURNING
(`reminded_day_at IS NULL`), so a second run of the job, or two clocks at once, send nothing more.
A day reminder is due while the event is between an hour and a day away; once it is less than an
hour away only the hour's reminder goes (someone who registered 40 minutes before gets one letter).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from app.accounts import User
from app.extensions import db
from community.events import registration_letters as letters
from community.events.models import Event, EventRegistration, EventStatus, RegistrationStatus

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def send_reminders(now: datetime) -> list[str]:
    """Claim and queue the due reminders; one commit for the batch (the letters go with it)."""
    day = _claim(EventRegistration.reminded_day_at, now + HOUR, now + DAY, now)
    hour = _claim(EventRegistration.reminded_hour_at, now, now + HOUR, now)
    if not day and not hour:
        return []
    _send(day, hour=False)
    _send(hour, hour=True)
    db.session.commit()
    return [f"reminders sent: {len(day)} a day before, {len(hour)} an hour before"]


def _claim(column: Any, after: datetime, until: datetime, now: datetime) -> list[int]:
    """Mark the due reminders of this kind as sent and return their registrations' ids."""
    starting = select(Event.id).where(
        Event.status == EventStatus.SCHEDULED, Event.starts_at > after, Event.starts_at <= until
    )
    statement = (
        update(EventRegistration)
        .where(
            EventRegistration.event_id.in_(starting),
            EventRegistration.status == RegistrationStatus.REGISTERED,
            column.is_(None),
        )
        .values({column: now})
        .returning(EventRegistration.id)
        .execution_options(synchronize_session=False)
    )
    return list(db.session.scalars(statement).all())


def _send(ids: list[int], *, hour: bool) -> None:
    """The letters of the claimed reminders: the people and events read in two queries."""
    if not ids:
        return
    rows = db.session.execute(
        select(EventRegistration.user_id, EventRegistration.event_id).where(EventRegistration.id.in_(ids))
    ).all()
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_({r[0] for r in rows})))}
    events = {e.id: e for e in db.session.scalars(select(Event).where(Event.id.in_({r[1] for r in rows})))}
    for user_id, event_id in rows:
        person = people.get(user_id)
        if person is not None and person.active:
            letters.send_reminder(events[event_id], person, hour=hour)
