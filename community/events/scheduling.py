"""Events calendar: a host puts events in the calendar — one event or a weekly series at once, edits
one, cancels one (the registered and the waiting are told)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfoNotFoundError

from sqlalchemy import delete, func, select, update

from app import audit
from app.accounts import Institution, User
from app.cache_versions import bump
from app.domain_errors import Conflict
from app.extensions import db, rows_changed
from app.i18n import _
from app.markdown import render_markdown_uncached
from app.timeutil import to_zone
from community.associations.models import Association
from community.events import registration, telling
from community.events.attendance_rules import new_checkin_code
from community.events.calendar import EVENTS_VERSION
from community.events.event_rules import CleanEvent, EventDraft, check_event
from community.events.messages import refusal
from community.events.models import (
    Event,
    EventAudience,
    EventFormat,
    EventHost,
    EventInvite,
    EventKind,
    EventSeries,
    EventStatus,
    EventSubject,
    HostRole,
)
from community.rules import RuleError
from community.subjects import subjects_by_ids


@dataclass
class EventInput:
    """The form's or the API's fields. `starts_at` is either naive (wall-clock in `timezone`, from a
    form) or aware (from the API); so is `registration_closes_at`."""

    kind: str
    title: str
    description: str
    starts_at: datetime
    duration_minutes: int
    timezone: str
    format: str
    link: str = ""
    address: str = ""
    capacity: int | None = None
    audience: str = "network"
    registration_closes_at: datetime | None = None
    institution_id: int | None = None
    association_id: int | None = None
    subject_ids: list[int] = field(default_factory=list)
    grades: list[int] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    invitee_emails: list[str] = field(default_factory=list)
    weekly_until: date | None = None


def schedule(data: EventInput, *, actor: User, now: datetime) -> list[Event]:
    """One event, or with `weekly_until` a series of them (one a week, same wall-clock time); the
    actor becomes the host of each. Nothing is written when any field is refused."""
    clean = _clean(data, now)
    invitees = _invitees(data)
    _check_links(data)
    series_id = None
    if data.weekly_until is not None:
        series = EventSeries(weekly_until=data.weekly_until, created_by_id=actor.id, created_at=now)
        db.session.add(series)
        db.session.flush()
        series_id = series.id
    events = []
    for sitting in clean.sittings:
        event = Event(series_id=series_id, created_by_id=actor.id, created_at=now, updated_at=now)
        _fill(event, data, clean)
        event.starts_at, event.ends_at = sitting.starts_at, sitting.ends_at
        event.registration_closes_at = sitting.closes_at
        event.checkin_code = new_checkin_code()
        db.session.add(event)
        events.append(event)
    db.session.flush()
    for event in events:
        db.session.add(EventHost(event_id=event.id, user_id=actor.id, role=HostRole.HOST))
        _write_links(event, data.subject_ids, invitees)
    audit.record(
        "events.scheduled",
        actor=actor,
        scope_type="event",
        scope_id=events[0].id,
        details={"count": len(events), "series_id": series_id},
    )
    bump(EVENTS_VERSION)
    db.session.commit()
    return events


def edit(event: Event, data: EventInput, *, actor: User, now: datetime) -> Event:
    """Change one event (a series' other events stay as they are). Seats cannot drop below the
    people registered; seats added go to the waiting list in order (each told); a start already
    past may stay, a new start must be in the future."""
    if event.status == EventStatus.CANCELLED:
        raise Conflict(_("The event is cancelled."))
    one = replace(data, weekly_until=None)
    moment = _local(one.starts_at, one.timezone)
    if _same_moment(event, moment, one.timezone):
        clean = _clean(one, min(now, event.starts_at))
    else:
        clean = _clean(one, now)
    invitees = _invitees(one)
    _check_links(one)
    _set_capacity(event, clean.capacity)
    sitting = clean.sittings[0]
    moved = sitting.starts_at != event.starts_at
    _fill(event, one, clean)
    event.starts_at, event.ends_at = sitting.starts_at, sitting.ends_at
    event.registration_closes_at = sitting.closes_at
    event.updated_at = now
    db.session.execute(delete(EventSubject).where(EventSubject.event_id == event.id))
    db.session.execute(delete(EventInvite).where(EventInvite.event_id == event.id))
    _write_links(event, one.subject_ids, invitees)
    promoted = registration.fill_free_seats(event, now=now) if event.waiting_count else []
    told = telling.tell_moved(event, now=now) if moved else 0
    audit.record(
        "events.edited",
        actor=actor,
        scope_type="event",
        scope_id=event.id,
        details={"promoted": len(promoted), "told_moved": told},
    )
    bump(EVENTS_VERSION)
    db.session.commit()
    return event


def cancel(event: Event, *, actor: User, now: datetime) -> int:
    """Cancel the event once (a conditional UPDATE: two clicks tell people once); everyone registered
    or waiting is told. Returns how many were told."""
    changed = rows_changed(
        update(Event)
        .where(Event.id == event.id, Event.status == EventStatus.SCHEDULED)
        .values(status=EventStatus.CANCELLED, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if not changed:
        raise Conflict(_("The event is already cancelled."))
    db.session.refresh(event)
    told = telling.tell_cancelled(event, now=now)
    audit.record(
        "events.cancelled", actor=actor, scope_type="event", scope_id=event.id, details={"told": told}
    )
    bump(EVENTS_VERSION)
    db.session.commit()
    return told


def _set_capacity(event: Event, capacity: int | None) -> None:
    """Seats never below the people registered: a conditional UPDATE, so a registration at the same
    moment either comes first (and the change is refused) or waits for this transaction."""
    query = update(Event).where(Event.id == event.id)
    if capacity is not None:
        query = query.where(Event.registered_count <= capacity)
    if not rows_changed(query.values(capacity=capacity).execution_options(synchronize_session=False)):
        db.session.rollback()
        count = db.session.scalar(select(Event.registered_count).where(Event.id == event.id))
        raise refusal(RuleError("event_capacity_below_registered", "capacity", count=count))


def _clean(data: EventInput, now: datetime) -> CleanEvent:
    try:
        return check_event(_draft(data), now)
    except RuleError as error:
        raise refusal(error) from None


def _draft(data: EventInput) -> EventDraft:
    closes = data.registration_closes_at
    return EventDraft(
        kind=data.kind,
        title=data.title,
        description=data.description,
        starts_local=_local(data.starts_at, data.timezone),
        duration_minutes=data.duration_minutes,
        timezone=data.timezone,
        format=data.format,
        link=data.link,
        address=data.address,
        capacity=data.capacity,
        audience=data.audience,
        closes_local=_local(closes, data.timezone) if closes is not None else None,
        association_id=data.association_id,
        grades=tuple(data.grades),
        questions=tuple(data.questions),
        weekly_until=data.weekly_until,
    )


def _local(moment: datetime, zone: str) -> datetime:
    """An aware moment as the wall-clock time in `zone` (naive); a naive one is that already."""
    if moment.tzinfo is None:
        return moment
    try:
        return to_zone(moment, zone).replace(tzinfo=None)
    except (ZoneInfoNotFoundError, ValueError):  # an unknown zone: the rules refuse it by the field
        return moment.replace(tzinfo=None)


def _same_moment(event: Event, local: datetime, zone: str) -> bool:
    try:
        return to_zone(event.starts_at, zone).replace(tzinfo=None) == local
    except (ZoneInfoNotFoundError, ValueError):
        return False


def _fill(event: Event, data: EventInput, clean: CleanEvent) -> None:
    event.kind = EventKind(clean.kind)
    event.title = clean.title
    event.description = clean.description
    event.description_html = str(render_markdown_uncached(clean.description)) if clean.description else ""
    event.duration_minutes = clean.duration_minutes
    event.hours = clean.hours
    event.timezone = clean.timezone
    event.format = EventFormat(clean.format)
    event.link = clean.link
    event.address = clean.address
    event.capacity = clean.capacity
    event.audience = EventAudience(clean.audience)
    event.institution_id = data.institution_id
    event.association_id = data.association_id
    event.grades = clean.grades
    event.questions = clean.questions


def _check_links(data: EventInput) -> None:
    """The institution, association and subjects named must exist (a 422 by the field otherwise)."""
    if data.institution_id is not None and db.session.get(Institution, data.institution_id) is None:
        raise refusal(RuleError("event_unknown_institution", "institution_id"))
    if data.association_id is not None and db.session.get(Association, data.association_id) is None:
        raise refusal(RuleError("event_unknown_association", "association_id"))
    wanted = set(data.subject_ids)
    if wanted and len(subjects_by_ids(sorted(wanted))) != len(wanted):
        raise refusal(RuleError("event_unknown_subject", "subjects"))


def _invitees(data: EventInput) -> list[int]:
    """The invited colleagues' ids from their e-mail addresses (one query); an unknown one is refused."""
    emails = sorted({email.strip().lower() for email in data.invitee_emails if email.strip()})
    if not emails:
        return []
    found: dict[str, int] = dict(
        db.session.execute(
            select(func.lower(User.email), User.id).where(func.lower(User.email).in_(emails))
        ).all()
    )
    for email in emails:
        if email not in found:
            raise refusal(RuleError("event_unknown_invitee", "invitees", email=email))
    return sorted(found.values())


def _write_links(event: Event, subject_ids: list[int], invitees: list[int]) -> None:
    for subject_id in sorted(set(subject_ids)):
        db.session.add(EventSubject(event_id=event.id, subject_id=subject_id))
    for user_id in invitees:
        db.session.add(EventInvite(event_id=event.id, user_id=user_id))
