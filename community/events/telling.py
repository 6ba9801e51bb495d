"""Telling an event's people when it changes under them: cancelled, or moved to another time.

Both the registered and the waiting hear (they keep the date free). Each notice is worded in the
reader's language with the time in the reader's zone. A moved event also clears the reminders already
sent, so the day-before and hour-before letters come again for the new time. The calling service
commits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select, update

from app.accounts import User
from app.extensions import db
from app.i18n import _, force_locale
from community.events.models import Event, EventRegistration, RegistrationStatus
from community.events.registration_letters import event_path, when
from community.notices.delivery import tell
from community.notices.kinds import Kind

HOLDING = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


def people_of(event: Event) -> list[User]:
    """Everyone registered for the event or waiting for a seat, in one query."""
    query = (
        select(User)
        .join(EventRegistration, EventRegistration.user_id == User.id)
        .where(EventRegistration.event_id == event.id, EventRegistration.status.in_(HOLDING))
    )
    return list(db.session.scalars(query))


def tell_cancelled(event: Event, *, now: datetime) -> int:
    """A notice to each of the event's people; returns how many were told."""

    def words(person: User) -> str:
        return _("Cancelled: «%(title)s» on %(when)s", title=event.title, when=when(event, person))

    return _tell_each(event, Kind.EVENT_CANCELLED, words, now=now)


def tell_moved(event: Event, *, now: datetime) -> int:
    """The event has a new start: the reminders go again, and each of its people is told."""
    db.session.execute(
        update(EventRegistration)
        .where(EventRegistration.event_id == event.id)
        .values(reminded_day_at=None, reminded_hour_at=None)
        .execution_options(synchronize_session=False)
    )

    def words(person: User) -> str:
        return _("Moved: «%(title)s» is now on %(when)s", title=event.title, when=when(event, person))

    return _tell_each(event, Kind.EVENT_MOVED, words, now=now)


def _tell_each(event: Event, kind: Kind, words: Callable[[User], str], *, now: datetime) -> int:
    """A notice to each of the event's people, worded in the recipient's language (not the host's)."""
    people = people_of(event)
    for person in people:
        with force_locale(person.locale or "ru"):
            text = words(person)
        tell(person, kind, text, event_path(event.id), now=now)
    return len(people)
