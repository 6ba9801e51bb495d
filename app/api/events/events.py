"""Events API: put an event or a weekly series in the calendar, list the calendar with its filters,
read one event — the same services as the calendar's pages. The video link is in an answer only
for those who may see it (the registered and the hosts)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from flask import request
from flask_babel import get_locale
from pydantic import Field

from app.api.core import (
    ApiError,
    Id,
    Strict,
    api_user,
    endpoint,
    page_params,
    paginated,
    require_api,
)
from app.api.events.registrations import visible_event
from app.domain_errors import Invalid
from app.i18n import _
from app.permissions.events import (
    can_create_events,
    can_host_for_association,
    can_manage_event,
    can_see_calendar,
    can_see_link,
    runs_calendar,
)
from app.timeutil import in_range, out_of_range_message, utcnow
from community.events import calendar, scheduling
from community.events.calendar import Viewer
from community.events.event_rules import DESCRIPTION_MAX, LINK_MAX, QUESTIONS_MAX
from community.events.messages import refusal
from community.events.models import Event
from community.rules import RuleError

TAG = "events"
EVENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        name: {"type": kind}
        for name, kind in (
            ("id", "integer"),
            ("series_id", "integer"),
            ("kind", "string"),
            ("status", "string"),
            ("title", "string"),
            ("description_html", "string"),
            ("starts_at", "string"),
            ("ends_at", "string"),
            ("duration_minutes", "integer"),
            ("timezone", "string"),
            ("format", "string"),
            ("link", "string"),
            ("address", "string"),
            ("capacity", "integer"),
            ("audience", "string"),
            ("registration_closes_at", "string"),
            ("institution_id", "integer"),
            ("association_id", "integer"),
            ("hours", "integer"),
            ("registered_count", "integer"),
            ("waiting_count", "integer"),
        )
    },
}


class RepeatIn(Strict):
    weekly_until: date


class EventIn(Strict):
    kind: Literal["webinar", "open_lesson", "seminar", "master_class", "conference", "round_table"]
    title: str = Field(max_length=1000)
    description: str = Field(default="", max_length=DESCRIPTION_MAX)
    starts_at: datetime
    duration_minutes: int = Field(ge=-100_000, le=100_000)
    timezone: str = Field(default="Europe/Moscow", max_length=64)
    format: Literal["online", "offline", "hybrid"]
    link: str = Field(default="", max_length=LINK_MAX)
    address: str = Field(default="", max_length=500)
    capacity: int | None = Field(default=None, ge=-100_000, le=1_000_000)
    audience: Literal["network", "association", "invited"] = "network"
    registration_closes_at: datetime | None = None
    institution_id: Id | None = None
    association_id: Id | None = None
    subjects: list[Id] = Field(default_factory=list, max_length=50)
    grades: list[int] = Field(default_factory=list, max_length=11)
    questions: list[str] = Field(default_factory=list, max_length=QUESTIONS_MAX)
    invitees: list[str] = Field(default_factory=list, max_length=500)
    repeat: RepeatIn | None = None


@endpoint(
    "/events",
    "POST",
    summary=(
        "Put an event in the calendar (methodists, association leaders, organisers, teachers trusted to "
        "host); `repeat: {weekly_until}` makes a weekly series at the same wall-clock time and answers "
        "{ids}; the caller hosts each"
    ),
    tag=TAG,
    body=EventIn,
    response=EVENT_SCHEMA,
    status=201,
)
def create_event(body: EventIn) -> Any:
    user = api_user()
    require_api(can_create_events(user))
    if body.association_id is not None:
        require_api(can_host_for_association(user, body.association_id))
    data = scheduling.EventInput(
        kind=body.kind,
        title=body.title,
        description=body.description,
        starts_at=body.starts_at,
        duration_minutes=body.duration_minutes,
        timezone=body.timezone,
        format=body.format,
        link=body.link,
        address=body.address,
        capacity=body.capacity,
        audience=body.audience,
        registration_closes_at=body.registration_closes_at,
        institution_id=body.institution_id,
        association_id=body.association_id,
        subject_ids=list(body.subjects),
        grades=list(body.grades),
        questions=list(body.questions),
        invitee_emails=list(body.invitees),
        weekly_until=body.repeat.weekly_until if body.repeat else None,
    )
    try:
        events = scheduling.schedule(data, actor=user, now=utcnow())
    except Invalid as error:  # the series' end is `repeat.weekly_until` in this body
        if "weekly_until" in error.fields:
            error.fields["repeat.weekly_until"] = error.fields.pop("weekly_until")
        raise
    if body.repeat is not None:
        return {"ids": [event.id for event in events], "series_id": events[0].series_id}, 201
    return event_json(events[0], show_link=True), 201


@endpoint(
    "/events",
    summary=(
        "The network's calendar, soonest first: events overlapping ?from= … ?to= (ISO 8601), filtered by "
        "district (id), institution_id, association_id, subject (id) and kind; ?mine=1: the events the "
        "caller hosts; paginated"
    ),
    tag=TAG,
    query={
        "from": "string",
        "to": "string",
        "district": "integer",
        "institution_id": "integer",
        "association_id": "integer",
        "subject": "integer",
        "kind": "string",
        "mine": "integer",
        "page": "integer",
        "per_page": "integer",
    },
)
def list_events() -> Any:
    user = api_user()
    require_api(can_see_calendar(user))
    page, per_page = page_params(default_per_page=50)
    try:
        filters = calendar.read_filters(request.args, strict=True, user_id=user.id)
    except RuleError as error:
        raise refusal(error) from None
    start, end = _moment("from"), _moment("to")
    found = calendar.list_events(filters, Viewer(user.id, runs_calendar(user)), start, end, page, per_page)
    names = calendar.subjects_of([event.id for event in found.items], str(get_locale() or "ru"))
    return paginated(
        found, lambda event: event_json(event, show_link=False, subjects=names.get(event.id, []))
    )


@endpoint("/events/<int:event_id>", summary="An event; `link` only for the registered and its hosts", tag=TAG)
def show_event(event_id: int) -> Any:
    user = api_user()
    event = visible_event(event_id)
    names = calendar.subjects_of([event.id], str(get_locale() or "ru"))
    return event_json(event, show_link=can_see_link(user, event), subjects=names.get(event.id, []))


@endpoint(
    "/events/<int:event_id>/cancel",
    "POST",
    summary="Cancel an event (its hosts, methodists): the registered and the waiting are told; 409 twice",
    tag=TAG,
)
def cancel_event(event_id: int) -> Any:
    user = api_user()
    event = visible_event(event_id)
    require_api(can_manage_event(user, event))
    told = scheduling.cancel(event, actor=user, now=utcnow())
    return {"id": event.id, "status": str(event.status), "told": told}


def event_json(event: Event, *, show_link: bool, subjects: list[str] | None = None) -> dict[str, Any]:
    """An event's fields; `link` present only when the caller may see it."""
    data: dict[str, Any] = {
        "id": event.id,
        "series_id": event.series_id,
        "kind": str(event.kind),
        "status": str(event.status),
        "title": event.title,
        "description": event.description,
        "description_html": event.description_html,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "duration_minutes": event.duration_minutes,
        "timezone": event.timezone,
        "format": str(event.format),
        "address": event.address,
        "capacity": event.capacity,
        "audience": str(event.audience),
        "registration_closes_at": (
            event.registration_closes_at.isoformat() if event.registration_closes_at else None
        ),
        "institution_id": event.institution_id,
        "association_id": event.association_id,
        "grades": list(event.grades or []),
        "questions": list(event.questions or []),
        "hours": event.hours,
        "registered_count": event.registered_count,
        "waiting_count": event.waiting_count,
    }
    if subjects is not None:
        data["subjects"] = subjects
    if show_link:
        data["link"] = event.link
    return data


def _moment(name: str) -> datetime | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise ApiError(422, _("The data is invalid."), {name: _("A date and time in ISO 8601.")}) from None
    if not in_range(value):
        raise ApiError(422, _("The data is invalid."), {name: out_of_range_message()})
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)  # a bare date: UTC
