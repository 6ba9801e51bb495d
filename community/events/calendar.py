"""Events calendar: what the network's calendar shows — the events of a month, a week or a paginated
list, filtered by district, institution, association, subject and kind, in a fixed number of queries
whatever the number of events. Invitation-only events are shown to their invitees and hosts only."""

from __future__ import annotations

import calendar as month_calendar
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import exists, or_, select, union
from sqlalchemy.orm import joinedload

from app.accounts import Institution
from app.extensions import db
from app.pagination import Page, paginate
from community.events.event_rules import KINDS
from community.events.models import (
    Event,
    EventAudience,
    EventHost,
    EventInvite,
    EventRegistration,
    EventSubject,
    HostRole,
    RegistrationStatus,
)
from community.rules import RuleError
from community.subjects import subjects_by_ids

FILTER_INTS = ("district", "institution_id", "association_id", "subject")


@dataclass(frozen=True)
class Filters:
    district: int | None = None
    institution_id: int | None = None
    association_id: int | None = None
    subject: int | None = None
    kind: str | None = None
    hosted_by: int | None = None  # only the events this person hosts ("mine")

    def as_args(self) -> dict[str, Any]:
        """The filters as query arguments (links between the views keep them)."""
        values = {name: getattr(self, name) for name in (*FILTER_INTS, "kind")}
        if self.hosted_by is not None:
            values["mine"] = 1
        return {name: value for name, value in values.items() if value not in (None, "")}


@dataclass(frozen=True)
class Viewer:
    """Who looks: `sees_all` for those who run the calendar (invitation-only events included)."""

    user_id: int | None
    sees_all: bool = False


@dataclass(frozen=True)
class Seen:
    """What a cached grid was built for: everything (those who run the calendar) or the open events
    plus the few invitation-only ones this viewer may see — so viewers with the same answer share
    one grid, and an invitation or registration changes the answer, not the cache."""

    everything: bool
    invited: tuple[int, ...] = ()


@dataclass(frozen=True)
class GridEvent:
    """What a month or week cell needs of an event: no description, no link."""

    id: int
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    cancelled: bool


@dataclass(frozen=True)
class CellEvent:
    """An event as a grid cell prints it: `time` already in the viewer's zone ("09:30" in the month,
    "09:30–11:00" in the week), so the template formats nothing per row."""

    id: int
    title: str
    kind: str
    time: str
    cancelled: bool


@dataclass(frozen=True)
class DayCell:
    """A month cell: the day's first events and how many more it has (shown as a link)."""

    events: list[CellEvent]
    more: int


# The version that scheduling, editing, cancelling and open lessons move on (app/cache_versions.py):
# the month grids are cached under it. Registrations do not move it: the grid shows no counts.
EVENTS_VERSION = "events"


def read_filters(args: Mapping[str, Any], *, strict: bool, user_id: int | None = None) -> Filters:
    """Filters from query arguments; a malformed one is dropped (pages) or refused (API, `strict`).
    `?mine=1` keeps the events `user_id` hosts."""
    values: dict[str, Any] = {}
    for name in FILTER_INTS:
        raw = str(args.get(name) or "").strip()
        if not raw:
            continue
        if raw.isdigit() and 0 < int(raw) < 2**31:
            values[name] = int(raw)
        elif strict:
            raise RuleError("calendar_bad_filter", name)
    kind = str(args.get("kind") or "").strip()
    if kind in KINDS:
        values["kind"] = kind
    elif kind and strict:
        raise RuleError("event_bad_kind", "kind")
    if user_id is not None and str(args.get("mine") or "") in ("1", "true"):
        values["hosted_by"] = user_id
    return Filters(**values)


def events_between(
    filters: Filters, viewer: Viewer | Seen, start: datetime, end: datetime
) -> list[GridEvent]:
    """Events starting in [start, end), by start time: one query of the few columns a grid shows."""
    query = filtered(
        select(Event.id, Event.title, Event.kind, Event.starts_at, Event.ends_at, Event.status),
        filters,
        viewer,
    ).where(Event.starts_at >= start, Event.starts_at < end)
    rows = db.session.execute(query.order_by(Event.starts_at, Event.id)).all()
    return [
        GridEvent(row.id, row.title, str(row.kind), row.starts_at, row.ends_at, row.status == "cancelled")
        for row in rows
    ]


def seen_by(viewer: Viewer, start: datetime, end: datetime) -> Seen:
    """What `viewer` may see of the span beyond the open events: one small query (the invitation-only
    events starting in it that they are invited to, host, or registered for); none for those who run
    the calendar."""
    if viewer.sees_all:
        return Seen(everything=True)
    if viewer.user_id is None:
        return Seen(everything=False)
    user_id = viewer.user_id
    mine = union(
        select(EventInvite.event_id).where(EventInvite.user_id == user_id),
        select(EventHost.event_id).where(EventHost.user_id == user_id),
        select(EventRegistration.event_id).where(
            EventRegistration.user_id == user_id, EventRegistration.status == RegistrationStatus.REGISTERED
        ),
    )
    query = select(Event.id).where(
        Event.id.in_(mine),
        Event.audience == EventAudience.INVITED,
        Event.starts_at >= start,
        Event.starts_at < end,
    )
    return Seen(everything=False, invited=tuple(db.session.scalars(query.order_by(Event.id))))


def month_cells(
    filters: Filters, viewer: Viewer | Seen, start: datetime, end: datetime, zone: str, limit: int
) -> dict[date, DayCell]:
    """The month grid: each local day's first `limit` events and the count of the rest, in two
    queries — the start times of every event of the span (one narrow column to place them on days),
    then titles and kinds of only the events the cells show (at most 42 × `limit`)."""
    tz = zone_info(zone)
    query = filtered(select(Event.id, Event.starts_at), filters, viewer)
    query = query.where(Event.starts_at >= start, Event.starts_at < end).order_by(Event.starts_at, Event.id)
    shown: dict[date, list[tuple[int, datetime]]] = defaultdict(list)
    more: dict[date, int] = defaultdict(int)
    for event_id, starts_at in db.session.execute(query):
        local = starts_at.astimezone(tz)
        cell = shown[local.date()]
        if len(cell) < limit:
            cell.append((event_id, local))
        else:
            more[local.date()] += 1
    ids = [event_id for cell in shown.values() for event_id, _local in cell]
    details = select(Event.id, Event.title, Event.kind, Event.status).where(Event.id.in_(ids))
    rows = {row.id: row for row in db.session.execute(details)}  # the same two queries when empty
    cells: dict[date, DayCell] = {}
    for day, events in shown.items():
        listed = [(rows[i], local) for i, local in events if i in rows]
        cells[day] = DayCell(
            [
                CellEvent(r.id, r.title, str(r.kind), f"{local:%H:%M}", r.status == "cancelled")
                for r, local in listed
            ],
            more[day],
        )
    return cells


def week_cells(events: list[GridEvent], zone: str) -> dict[date, list[CellEvent]]:
    """The week's days: every event under its local day with its local start and end times."""
    tz = zone_info(zone)
    days: dict[date, list[CellEvent]] = defaultdict(list)
    for event in events:
        local = event.starts_at.astimezone(tz)
        time_span = f"{local:%H:%M}–{event.ends_at.astimezone(tz):%H:%M}"
        days[local.date()].append(CellEvent(event.id, event.title, event.kind, time_span, event.cancelled))
    return dict(days)


@lru_cache(maxsize=128)
def zone_info(zone: str) -> ZoneInfo:
    return ZoneInfo(zone)


def list_events(
    filters: Filters, viewer: Viewer, start: datetime | None, end: datetime | None, page: int, per_page: int
) -> Page[Event]:
    """A page of events (institution loaded with them), soonest first; three queries."""
    query = filtered(select(Event).options(joinedload(Event.institution)), filters, viewer)
    query = _overlapping(query, start, end)
    return paginate(query.order_by(Event.starts_at, Event.id), page, per_page)


def list_rows(
    filters: Filters, viewer: Viewer, start: datetime | None, end: datetime | None, page: int, per_page: int
) -> Page[Any]:
    """The list page's rows: only the columns it prints and the host institution's name (no ORM
    objects with their descriptions), soonest first; two queries."""
    columns = (Event.id, Event.title, Event.kind, Event.format, Event.status, Event.starts_at)
    query = select(*columns, Event.capacity, Event.registered_count, Institution.name.label("institution"))
    query = filtered(query.outerjoin(Institution, Institution.id == Event.institution_id), filters, viewer)
    query = _overlapping(query, start, end)
    return paginate(query.order_by(Event.starts_at, Event.id), page, per_page, scalars=False)


def _overlapping(query: Any, start: datetime | None, end: datetime | None) -> Any:
    """Events that overlap [start, end); an open side is unbounded."""
    if start is not None:
        query = query.where(Event.ends_at > start)
    if end is not None:
        query = query.where(Event.starts_at < end)
    return query


def subjects_of(event_ids: list[int], locale: str) -> dict[int, list[str]]:
    """Each event's subject names (two queries for the whole page)."""
    if not event_ids:
        return {}
    pairs = db.session.execute(
        select(EventSubject.event_id, EventSubject.subject_id).where(EventSubject.event_id.in_(event_ids))
    ).all()
    if not pairs:
        return {}
    names = subjects_by_ids(sorted({subject_id for _event, subject_id in pairs}))
    found: dict[int, list[str]] = defaultdict(list)
    for event_id, subject_id in pairs:
        if subject_id in names:
            found[event_id].append(names[subject_id].label(locale))
    return dict(found)


def month_weeks(year: int, month: int) -> list[list[date]]:
    """The month's weeks, Monday first, padded with the neighbouring months' days."""
    return month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)


def week_days(day: date) -> list[date]:
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=n) for n in range(7)]


def local_span(first: date, after_last: date, zone: str) -> tuple[datetime, datetime]:
    """Midnight of `first` to midnight of `after_last` in the viewer's zone, as UTC."""
    tz = zone_info(zone)

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)

    return midnight(first), midnight(after_last)


def filtered(query: Any, filters: Filters, viewer: Viewer | Seen) -> Any:
    conditions: list[Any] = []
    add: Callable[[Any], None] = conditions.append
    if filters.kind:
        add(Event.kind == filters.kind)
    if filters.institution_id is not None:
        add(Event.institution_id == filters.institution_id)
    if filters.association_id is not None:
        add(Event.association_id == filters.association_id)
    if filters.district is not None:
        in_district = select(Institution.id).where(Institution.district_id == filters.district)
        add(Event.institution_id.in_(in_district))
    if filters.subject is not None:
        add(exists().where(EventSubject.event_id == Event.id, EventSubject.subject_id == filters.subject))
    if filters.hosted_by is not None:
        hosts = exists().where(EventHost.event_id == Event.id, EventHost.user_id == filters.hosted_by)
        add(hosts.where(EventHost.role == HostRole.HOST))
    if isinstance(viewer, Seen):
        if not viewer.everything:
            add(or_(Event.audience != EventAudience.INVITED, Event.id.in_(viewer.invited)))
    elif not viewer.sees_all:
        add(_visible_to(viewer.user_id))
    return query.where(*conditions)


def _visible_to(user_id: int | None) -> Any:
    """Open events for everyone; an invitation-only one for its invitees, hosts, speakers and the
    people registered (as app.permissions.events.can_see_event decides for one event)."""
    if user_id is None:
        return Event.audience != EventAudience.INVITED
    return or_(
        Event.audience != EventAudience.INVITED,
        exists().where(EventInvite.event_id == Event.id, EventInvite.user_id == user_id),
        exists().where(EventHost.event_id == Event.id, EventHost.user_id == user_id),
        exists().where(
            EventRegistration.event_id == Event.id,
            EventRegistration.user_id == user_id,
            EventRegistration.status == RegistrationStatus.REGISTERED,
        ),
    )
