"""Events API: registering for an event and giving the place up (shared/API.md, «Events»).

`POST /events/{id}/registrations` `{"answers"?: {"<question id>": "text"}}` (the body may be empty)
→ `201 {"status": "registered" | "waiting", "position"}`: 403 for a pupil or a person outside the
event's audience, 409 once registration is closed, the event begun or cancelled, or for a second
registration, 422 for a missing or too long answer (named `answer_<id>`). `DELETE` gives the place
up → `200 {"status": "cancelled"}` (409 when not registered or once the event began); a freed seat
goes to the first person waiting. `GET /events/{id}/registration` → the caller's own state.
"""

from __future__ import annotations

from typing import Any

from flask import request
from pydantic import Field
from sqlalchemy.orm import joinedload

from app.api.core import Strict, api_user, endpoint, not_found, parse_body, require_api
from app.extensions import db
from app.permissions import events as can
from app.timeutil import utcnow
from community.events import registration
from community.events.models import Event, EventRegistration, RegistrationStatus

TAG = "events"


class RegistrationIn(Strict):
    answers: dict[str, str] = Field(default_factory=dict, max_length=50)


def visible_event(event_id: int) -> Event:
    """The event, for an adult of the network (pupils 403; an unknown id, or an invitation-only event
    to the uninvited, 404)."""
    user = api_user()
    require_api(can.can_see_calendar(user))
    event = db.session.get(Event, event_id, options=[joinedload(Event.institution)])
    if event is None or not can.can_see_event(user, event):
        raise not_found()
    return event


def state_json(row: EventRegistration | None) -> dict[str, Any]:
    if row is None:
        return {"status": None, "position": 0}
    return {"status": str(row.status), "position": registration.position_of(row)}


@endpoint(
    "/events/<int:event_id>/registrations",
    "POST",
    summary="Register for an event: a seat, or the waiting list when it is full (answers to its questions)",
    tag=TAG,
    body=None,
    status=201,
)
def post_registration(event_id: int) -> Any:
    user = api_user()
    event = visible_event(event_id)
    require_api(can.may_join_audience(user, event))
    body = parse_body(RegistrationIn) if request.get_data(cache=True).strip() else RegistrationIn()
    assert isinstance(body, RegistrationIn)
    row = registration.register(event, user, body.answers, now=utcnow())
    return state_json(row), 201


@endpoint(
    "/events/<int:event_id>/registrations",
    "DELETE",
    summary="Give up one's seat or waiting place; the first person waiting gets the seat",
    tag=TAG,
)
def delete_registration(event_id: int) -> Any:
    user = api_user()
    event = visible_event(event_id)
    registration.cancel(event, user, now=utcnow())
    return {"status": str(RegistrationStatus.CANCELLED)}


@endpoint(
    "/events/<int:event_id>/registration",
    summary="The caller's registration: status (registered, waiting, cancelled or null) and queue position",
    tag=TAG,
)
def get_my_registration(event_id: int) -> Any:
    user = api_user()
    event = visible_event(event_id)
    return state_json(registration.mine(event.id, user.id))
