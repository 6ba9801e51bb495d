"""Calendar events made directly as rows (any state), and registrations, so a test of the feed,
attendance or certificates need not go through scheduling and registering first."""

from __future__ import annotations

from datetime import timedelta

import factory

from app.cache_versions import bump
from app.extensions import db
from app.timeutil import utcnow
from community.events.models import (
    Event,
    EventAudience,
    EventFormat,
    EventHost,
    EventKind,
    EventRegistration,
    HostRole,
    RegistrationStatus,
)
from tests.factories.base import Factory


class EventFactory(Factory):
    class Meta:
        model = Event

    kind = EventKind.WEBINAR
    title = factory.Sequence(lambda n: f"Вебинар «Формирующее оценивание» № {n + 1}")
    description = "Разбор приёмов формирующего оценивания на уроках."
    starts_at = factory.LazyFunction(lambda: (utcnow() + timedelta(days=3)).replace(microsecond=0))
    duration_minutes = 90
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + timedelta(minutes=e.duration_minutes))
    timezone = "Europe/Moscow"
    format = EventFormat.ONLINE
    link = "https://meet.example.org/webinar"
    audience = EventAudience.NETWORK
    checkin_code = "482913"
    hours = 2

    @classmethod
    def _create(cls, model_class: type, *args: object, **kwargs: object) -> Event:
        """As the scheduling service does, the calendar's cached grids see the new row."""
        event = super()._create(model_class, *args, **kwargs)
        bump("events")
        return event


def host(event: Event, user: object, *, role: HostRole = HostRole.HOST) -> EventHost:
    row = EventHost(event_id=event.id, user_id=user.id, role=role)  # type: ignore[attr-defined]
    db.session.add(row)
    db.session.flush()
    bump("events")
    return row


def registration(
    event: Event, user: object, *, status: RegistrationStatus = RegistrationStatus.REGISTERED
) -> EventRegistration:
    """A registration row; the event's counters follow, as the registration service keeps them."""
    row = EventRegistration(event_id=event.id, user_id=user.id, status=status)  # type: ignore[attr-defined]
    db.session.add(row)
    if status == RegistrationStatus.REGISTERED:
        event.registered_count += 1
    elif status == RegistrationStatus.WAITING:
        event.waiting_count += 1
    db.session.flush()
    return row
