"""Events API: calendar files (shared/API.md, «Events»). `GET /events/{id}.ics` is one event as
iCalendar (the video link inside only for the registered and the hosts); `GET /calendar` gives the
caller's secret feed address (null until `POST /calendar` makes it: a GET never writes) and
`POST /calendar/reset` replaces it, so every calendar subscribed to the old address stops receiving.
The feed itself is `GET /calendar/{token}.ics` outside /api/v1 (app/events/feed.py): calendar apps
fetch it without a token header."""

from __future__ import annotations

from typing import Any

from flask import Response, url_for

from app.api.core import api_user, endpoint, require_api
from app.api.events.registrations import visible_event
from app.permissions import events as can
from app.timeutil import utcnow
from community.events import feed
from community.events.registration_letters import event_file

TAG = "events"


@endpoint("/events/<int:event_id>.ics", summary="One event as an iCalendar file (the zone kept)", tag=TAG)
def event_ics(event_id: int) -> Any:
    user = api_user()
    event = visible_event(event_id)
    data = event_file(event, with_link=can.can_see_link(user, event), now=utcnow())
    return Response(
        data,
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename=event-{event.id}.ics"},
    )


def _address(token: str | None) -> dict[str, Any]:
    return {"url": url_for("events.personal_feed", token=token, _external=True) if token else None}


@endpoint("/calendar", summary="The caller's secret iCal feed address (null until POST /calendar)", tag=TAG)
def get_calendar() -> Any:
    """A GET writes nothing: the address is made by POST /calendar."""
    user = api_user()
    require_api(can.can_see_calendar(user))
    found = feed.token_of(user.id)
    return _address(found.token if found else None)


@endpoint(
    "/calendar", "POST", summary="Make the caller's secret feed address (once; again gives the same)", tag=TAG
)
def make_calendar() -> Any:
    user = api_user()
    require_api(can.can_see_calendar(user))
    return _address(feed.ensure_token(user, now=utcnow()).token)


@endpoint(
    "/calendar/reset",
    "POST",
    summary="Replace the secret feed address; calendars subscribed to the old one stop receiving",
    tag=TAG,
)
def reset_calendar() -> Any:
    user = api_user()
    require_api(can.can_see_calendar(user))
    return _address(feed.reset_token(user, now=utcnow()).token)
