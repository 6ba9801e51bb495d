"""Open lessons made from elsewhere: a contest final's demo-lesson slot shown to colleagues as an
open-lesson event of the network calendar (one event per slot, `demo_slot_id`).

The contest side (contest_engine/jury/open_lessons.py) says what each slot's lesson is; this module
writes the events and keeps them in step. It never imports contests (community stands alone), and it
only flushes: the caller's service owns the transaction. A lesson withdrawn before anyone registered
is deleted; one with registrations is cancelled and kept, so those people still see what happened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from app.cache_versions import bump
from app.extensions import db
from app.markdown import render_markdown_uncached
from community.events.attendance_rules import new_checkin_code
from community.events.calendar import EVENTS_VERSION
from community.events.event_rules import academic_hours
from community.events.models import (
    Event,
    EventAudience,
    EventFormat,
    EventHost,
    EventKind,
    EventStatus,
    HostRole,
)


@dataclass(frozen=True)
class OpenLesson:
    """What a slot's open lesson is: its time and place, its title and who hosts and gives it."""

    slot_id: int
    title: str
    description: str
    starts_at: datetime
    duration_minutes: int
    location: str  # a video link (online) or a room (in person)
    timezone: str
    host_ids: list[int] = field(default_factory=list)  # manage it: the contest's organisers
    speaker_id: int | None = None  # gives the lesson: the finalist in the slot
    created_by_id: int | None = None


def _place(event: Event, location: str) -> None:
    online = location.startswith(("http://", "https://"))
    event.format = EventFormat.ONLINE if online or not location else EventFormat.OFFLINE
    event.link = location if online else ""
    event.address = "" if online else location


def _hosts(event: Event, lesson: OpenLesson) -> None:
    """The organisers as hosts and the finalist as speaker; people no longer in either are removed."""
    wanted: dict[int, HostRole] = {user_id: HostRole.HOST for user_id in lesson.host_ids}
    if lesson.speaker_id is not None and lesson.speaker_id not in wanted:
        wanted[lesson.speaker_id] = HostRole.SPEAKER
    current = {
        row.user_id: row
        for row in db.session.scalars(select(EventHost).where(EventHost.event_id == event.id))
    }
    for user_id, row in current.items():
        if user_id not in wanted:
            db.session.delete(row)
        elif row.role != wanted[user_id]:
            row.role = wanted[user_id]
    for user_id, role in wanted.items():
        if user_id not in current:
            db.session.add(EventHost(event_id=event.id, user_id=user_id, role=role))


def put_open_lesson(lesson: OpenLesson) -> Event:
    """Create the slot's event, or bring it in step with the slot (time, place, title, speaker)."""
    event = db.session.scalar(select(Event).where(Event.demo_slot_id == lesson.slot_id))
    if event is None:
        event = Event(
            kind=EventKind.OPEN_LESSON,
            audience=EventAudience.NETWORK,
            demo_slot_id=lesson.slot_id,
            checkin_code=new_checkin_code(),
            created_by_id=lesson.created_by_id,
            registered_count=0,
            waiting_count=0,
        )
        db.session.add(event)
    event.status = EventStatus.SCHEDULED
    event.title = lesson.title[:300]
    event.description = lesson.description
    event.description_html = str(render_markdown_uncached(lesson.description))
    event.starts_at = lesson.starts_at
    event.duration_minutes = lesson.duration_minutes
    event.ends_at = lesson.starts_at + timedelta(minutes=lesson.duration_minutes)
    event.timezone = lesson.timezone
    event.hours = academic_hours(lesson.duration_minutes)
    _place(event, lesson.location)
    db.session.flush()
    _hosts(event, lesson)
    db.session.flush()
    bump(EVENTS_VERSION)
    return event


def withdraw_open_lessons(slot_ids: Iterable[int]) -> int:
    """The slots' open lessons leave the calendar: deleted when nobody registered, otherwise
    cancelled and detached from the slot (kept for the registered). Returns how many."""
    events = db.session.scalars(select(Event).where(Event.demo_slot_id.in_(list(slot_ids)))).all()
    for event in events:
        if event.registered_count == 0 and event.waiting_count == 0:
            db.session.execute(delete(EventHost).where(EventHost.event_id == event.id))
            db.session.delete(event)
        else:
            event.status = EventStatus.CANCELLED
            event.demo_slot_id = None
    db.session.flush()
    if events:
        bump(EVENTS_VERSION)
    return len(events)


def open_lesson_of(slot_id: int) -> Event | None:
    return db.session.scalar(select(Event).where(Event.demo_slot_id == slot_id))
