"""An event's page for every colleague: the details with times in the viewer's zone (and the host's),
the register form with the event's questions, the place on the waiting list, cancelling, and the
video link only for those who may see it (the registered and the hosts). Pupils take no part (403).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from app.accounts import User
from app.domain_errors import DomainError
from app.events import bp
from app.extensions import db
from app.forms_common import apply_domain_error, strip_whitespace
from app.i18n import _
from app.main.forms import EmptyForm
from app.permissions import events as can
from app.permissions import require
from app.timeutil import utcnow
from app.view_actions import act
from community.events import registration
from community.events.labels import FORMAT_LABELS, KIND_LABELS
from community.events.models import Event, EventHost, EventStatus, RegistrationStatus
from community.events.registration_rules import ANSWER_LIMIT, answer_field


class RegisterForm(FlaskForm):
    """The register button; the event's questions are added as fields `answer_<id>` per event."""


def register_form(event: Event, data: Any = None) -> FlaskForm:
    """A form with one text field per question of the event (required ones marked)."""

    class Form(RegisterForm):
        pass

    for question in event.questions or []:
        label = str(question.get("text", "")) + (" *" if question.get("required") else "")
        length = Length(max=ANSWER_LIMIT)
        setattr(
            Form,
            answer_field(str(question.get("id", ""))),
            TextAreaField(label, filters=[strip_whitespace], validators=[Optional(), length]),
        )
    return Form(formdata=data)


def shown_event(event_id: int) -> Event:
    """The event for an adult of the network; an invitation-only one is a 404 to the uninvited."""
    require(can.can_see_calendar(current_user))
    event = db.get_or_404(Event, event_id)
    if not can.can_see_event(current_user, event):
        abort(404)
    return event


@bp.route("/events/<int:event_id>")
@login_required
def event_page(event_id: int):  # type: ignore[no-untyped-def]
    event = shown_event(event_id)
    return _render(event, register_form(event, data=None))


@bp.route("/events/<int:event_id>/register", methods=["POST"])
@login_required
def event_register(event_id: int):  # type: ignore[no-untyped-def]
    event = shown_event(event_id)
    require(can.may_join_audience(current_user, event))
    form = register_form(event, data=request.form)
    if not form.validate_on_submit():
        return _render(event, form), 422
    answers = {key: form[answer_field(key)].data or "" for key in _question_ids(event)}
    try:
        row = registration.register(event, current_user, answers, now=utcnow())
    except DomainError as error:
        if error.fields:
            apply_domain_error(form, error)
            return _render(event, form), error.status
        return _render(event, form, refusal=error.message), error.status
    if row.status == RegistrationStatus.REGISTERED:
        flash(
            _("You are registered. The confirmation with the event for your calendar is in your mail."),
            "success",
        )
    else:
        flash(_("All seats are taken: you are on the waiting list. We will write when a seat frees."), "info")
    return redirect(url_for("events.event_page", event_id=event.id))


def _question_ids(event: Event) -> list[str]:
    return [str(q.get("id", "")) for q in event.questions or [] if q.get("id")]


@bp.route("/events/<int:event_id>/cancel", methods=["POST"])
@login_required
def event_cancel(event_id: int):  # type: ignore[no-untyped-def]
    event = shown_event(event_id)
    form = EmptyForm()
    page = url_for("events.event_page", event_id=event.id)
    if not form.validate_on_submit():
        return redirect(page)
    return act(
        lambda: registration.cancel(event, current_user, now=utcnow()),
        done=_("Your registration is cancelled."),
        then=page,
    )


def _render(event: Event, form: FlaskForm, refusal: str = "") -> str:
    mine = registration.mine(event.id, current_user.id)
    active = mine is not None and mine.status != RegistrationStatus.CANCELLED
    now = utcnow()
    closes = event.registration_closes_at
    open_now = (
        event.status == EventStatus.SCHEDULED and now < event.starts_at and (closes is None or now < closes)
    )
    return render_template(
        "events/register_event.html",
        event=event,
        form=form,
        refusal=refusal,
        cancel_form=EmptyForm(),
        mine=mine if active else None,
        position=registration.position_of(mine) if mine is not None else 0,
        hosts=_hosts(event.id),
        show_link=can.can_see_link(current_user, event),
        may_join=can.may_join_audience(current_user, event),
        manages=can.can_manage_event(current_user, event),
        open_now=open_now,
        started=now >= event.starts_at,
        kind_label=KIND_LABELS.get(str(event.kind), str(event.kind)),
        format_label=FORMAT_LABELS.get(str(event.format), str(event.format)),
        cancelled=event.status == EventStatus.CANCELLED,
        registered_status=RegistrationStatus.REGISTERED,
    )


def _hosts(event_id: int) -> list[tuple[str, str]]:
    """Hosts and speakers by name (adults: their names are shown to colleagues)."""
    rows = db.session.execute(
        select(User.full_name, EventHost.role)
        .join(EventHost, EventHost.user_id == User.id)
        .where(EventHost.event_id == event_id)
        .order_by(EventHost.id)
    ).all()
    return [(name, str(role)) for name, role in rows]
