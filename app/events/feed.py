"""The personal calendar feed and the .ics files: an event's file (/events/<id>.ics, the video link
inside only for those who may see it), the secret feed (/calendar/<token>.ics, no login: calendars
fetch it on their own; an unknown or reset token is a 404), and "my calendar" (/calendar) with the
secret address, how to add it to Google, Yandex or Outlook, and the reset button. The address is made
by a POST (the page's first button), so showing the page never writes."""

from __future__ import annotations

from flask import Response, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.events import bp
from app.events.event_page import shown_event
from app.i18n import _
from app.main.forms import EmptyForm
from app.permissions import events as can
from app.permissions import require
from app.timeutil import utcnow
from app.view_actions import act
from community.events import feed, ics
from community.events.registration_letters import event_file

ICS = "text/calendar; charset=utf-8"


def ics_response(data: bytes, filename: str) -> Response:
    headers = {"Content-Disposition": f"attachment; filename={filename}", "Cache-Control": "no-store"}
    return Response(data, content_type=ICS, headers=headers)


@bp.route("/events/<int:event_id>.ics")
@login_required
def event_ics(event_id: int):  # type: ignore[no-untyped-def]
    event = shown_event(event_id)  # an invitation-only event does not exist for the uninvited
    data = event_file(event, with_link=can.can_see_link(current_user, event), now=utcnow())
    return ics_response(data, f"event-{event.id}.ics")


@bp.route("/calendar/<token>.ics")
def personal_feed(token: str):  # type: ignore[no-untyped-def]
    """Calendars poll the feed every few hours: it carries a (weak) ETag of what it says, and a poll
    sending that tag back is answered 304 with no file written. `private, no-cache` lets the
    subscriber keep its copy and ask again, while no shared cache keeps the secret feed."""
    owner = feed.owner_of(token)
    if owner is None or not owner.active or not can.can_see_calendar(owner):
        abort(404)
    now = utcnow()
    entries, name = feed.feed_entries(owner, now=now)
    tag = ics.content_tag(entries, name=name)
    if request.if_none_match.contains_weak(tag):
        answer = Response(status=304)
    else:
        answer = ics_response(ics.build_calendar(entries, name=name, now=now), "vmeste.ics")
    answer.set_etag(tag, weak=True)
    answer.headers["Cache-Control"] = "private, no-cache"
    return answer


@bp.route("/calendar")
@login_required
def my_calendar():  # type: ignore[no-untyped-def]
    """The address once made; before that, the button that makes it (a GET writes nothing)."""
    require(can.can_see_calendar(current_user))
    token = feed.token_of(current_user.id)
    address = url_for("events.personal_feed", token=token.token, _external=True) if token else None
    return render_template(
        "events/register_feed.html",
        address=address,
        webcal=address.replace("https://", "webcal://").replace("http://", "webcal://") if address else None,
        reset_form=EmptyForm(),
    )


@bp.route("/calendar/address", methods=["POST"])
@login_required
def make_calendar_address():  # type: ignore[no-untyped-def]
    require(can.can_see_calendar(current_user))
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect(url_for("events.my_calendar"))
    return act(
        lambda: feed.ensure_token(current_user, now=utcnow()),
        done=_("Your calendar's address is ready: subscribe to it from your calendar app."),
        then=url_for("events.my_calendar"),
    )


@bp.route("/calendar/reset", methods=["POST"])
@login_required
def reset_calendar():  # type: ignore[no-untyped-def]
    require(can.can_see_calendar(current_user))
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect(url_for("events.my_calendar"))
    return act(
        lambda: feed.reset_token(current_user, now=utcnow()),
        done=_("The address is new: calendars subscribed to the old one no longer receive your events."),
        then=url_for("events.my_calendar"),
    )
