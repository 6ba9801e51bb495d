"""Events API: attendance and the certificate (shared/API.md «Events»).

`POST /events/{id}/attendance` takes either the host's `{"user_ids": [...]}` (mark these registered
people present) or an attendee's `{"code": "..."}` (check in during the event); giving both or
neither is a 422. `GET /events/{id}/certificate` gives the caller's document for the event: the
participation certificate if they attended, the certificate of conducting if they host or speak. It
only reads: certificates are issued when earned (attendance recorded; for hosts, the start, by their
marking or the clock's next tick), and one earned but not issued yet is a 409 saying it is being
prepared (as before the start), never issued by the GET.
An event the caller may not see (pupils, anonymous) is a 404 or 401 like every calendar endpoint.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from pydantic import Field, model_validator

from app.api.core import Id, Strict, api_user, endpoint, require_api
from app.api.events.registrations import visible_event
from app.events.attendance import certificate_download_response
from app.i18n import _
from app.permissions.events import can_manage_event, can_open_attendee_page
from app.timeutil import utcnow
from community.events import attendance
from community.events.event_certificates import certificate_for


class AttendanceIn(Strict):
    user_ids: list[Id] | None = Field(default=None, min_length=1, max_length=attendance.MAX_MARKED_AT_ONCE)
    code: str | None = Field(default=None, max_length=32)

    @model_validator(mode="after")
    def _one_of(self) -> AttendanceIn:
        if (self.user_ids is None) == (self.code is None):
            raise ValueError(_("Give either user_ids (the host) or code (an attendee), not both."))
        return self


@endpoint(
    "/events/<int:event_id>/attendance",
    "POST",
    summary="Record attendance: the host marks {user_ids} present, or an attendee checks in with "
    "{code} during the event (422 wrong code, 409 outside the check-in window)",
    tag="events",
    body=AttendanceIn,
)
def record_attendance(event_id: int, body: AttendanceIn) -> Any:
    actor = api_user()
    event = visible_event(event_id)
    now = utcnow()
    if body.user_ids is not None:
        require_api(can_manage_event(actor, event))
        newly = attendance.mark(event, body.user_ids, actor=actor, now=now)
        return {"marked": newly, "attended": attendance.attended_count(event)}
    registration = attendance.check_in(event, actor, body.code, now=now)
    assert registration.attended_at is not None
    return {
        "status": "attended",
        "attended_at": registration.attended_at.isoformat(),
        "check_in": str(registration.check_in),
    }


@endpoint(
    "/events/<int:event_id>/certificate",
    summary="The caller's certificate for the event: participation (attended) or conducting (host, "
    "speaker) — {code, pdf_url}; 409 before the start or while it is being issued",
    tag="events",
)
def get_certificate(event_id: int) -> Any:
    actor = api_user()
    event = visible_event(event_id)
    require_api(can_open_attendee_page(actor, event))
    certificate = certificate_for(event, actor, now=utcnow())
    return {
        "code": certificate.code,
        "kind": str(certificate.kind),
        "hours": event.hours,
        "pdf_url": url_for("api.attendance_certificate_pdf_file", event_id=event.id, _external=True),
        "verify_url": url_for("verify", code=certificate.code, _external=True),
    }


@endpoint("/events/<int:event_id>/certificate.pdf", summary="The caller's certificate as a PDF", tag="events")
def certificate_pdf_file(event_id: int) -> Any:
    actor = api_user()
    event = visible_event(event_id)
    require_api(can_open_attendee_page(actor, event))
    return certificate_download_response(event, certificate_for(event, actor, now=utcnow()))
