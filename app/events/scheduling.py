"""Calendar pages of a host: put an event or a weekly series in the calendar, edit one, cancel one."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request
from flask_babel import get_locale
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.accounts import User
from app.events import bp
from app.events.scheduling_forms import EventForm
from app.extensions import db
from app.forms_common import form_status
from app.i18n import _, ngettext
from app.main.forms import EmptyForm
from app.permissions import require
from app.permissions.events import (
    can_create_events,
    can_host_for_association,
    can_manage_event,
    runs_calendar,
)
from app.permissions.library import led_association_ids
from app.timeutil import DEFAULT_TIMEZONE, to_form_time, utcnow
from app.view_actions import act, submit
from community.events import scheduling
from community.events.models import Event, EventInvite, EventSubject


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def event_new() -> Any:
    require(can_create_events(current_user))
    form = EventForm()
    form.fill_choices(str(get_locale() or "ru"), _association_ids())
    if request.method == "GET":
        form.timezone.data = current_user.timezone or DEFAULT_TIMEZONE
        form.institution_id.data = current_user.institution_id or 0
        form.association_id.data = 0
    if form.validate_on_submit():
        data = form.event_input()
        require(data.association_id is None or can_host_for_association(current_user, data.association_id))
        done = submit(
            form,
            lambda: scheduling.schedule(data, actor=current_user, now=utcnow()),
            done=_scheduled_message,
            then=lambda events: f"/events/{events[0].id}",
            field="title",
        )
        if done:
            return done
    return render_template("events/schedule_form.html", form=form, event=None), form_status(form)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def event_edit(event_id: int) -> Any:
    event = db.get_or_404(Event, event_id)
    require(can_manage_event(current_user, event))
    form = EventForm()
    form.fill_choices(str(get_locale() or "ru"), _association_ids(event.association_id))
    if request.method == "GET":
        subjects = list(
            db.session.scalars(select(EventSubject.subject_id).where(EventSubject.event_id == event.id))
        )
        emails = list(
            db.session.scalars(
                select(User.email)
                .join(EventInvite, EventInvite.user_id == User.id)
                .where(EventInvite.event_id == event.id)
            )
        )
        form.fill_from(
            event,
            to_form_time(event.starts_at, event.timezone),
            to_form_time(event.registration_closes_at, event.timezone),
            subjects,
            emails,
        )
    if form.validate_on_submit():
        data = form.event_input()
        if data.association_id not in (None, event.association_id):
            require(can_host_for_association(current_user, data.association_id))
        done = submit(
            form,
            lambda: scheduling.edit(event, data, actor=current_user, now=utcnow()),
            done=_("The event is saved."),
            then=f"/events/{event.id}",
            field="title",
        )
        if done:
            return done
    return render_template("events/schedule_form.html", form=form, event=event), form_status(form)


@bp.route("/events/<int:event_id>/cancel-event", methods=["POST"])
@login_required
def cancel_event(event_id: int) -> Response:
    event = db.get_or_404(Event, event_id)
    require(can_manage_event(current_user, event))
    back = f"/events/{event.id}"
    if not EmptyForm().validate_on_submit():
        return redirect(back)
    return act(
        lambda: scheduling.cancel(event, actor=current_user, now=utcnow()),
        done=lambda told: ngettext(
            "The event is cancelled; %(num)s person was told.",
            "The event is cancelled; %(num)s people were told.",
            told,
        ),
        then=back,
    )


def _association_ids(current: int | None = None) -> list[int] | None:
    """The associations the form offers: all for those who run the calendar, else the led ones."""
    if runs_calendar(current_user):
        return None
    led = led_association_ids(current_user)
    return [*led, current] if current is not None else led


def _scheduled_message(events: list[Event]) -> str:
    if len(events) == 1:
        return _("The event is in the calendar.")
    return ngettext(
        "%(num)s event of the series is in the calendar.",
        "%(num)s events of the series are in the calendar.",
        len(events),
    )
