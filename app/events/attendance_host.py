"""The host's side of an event (/events/<id>/attendance): the check-in code to show on screen, the
registered people to mark present (or take a mark back), the feedback summary, and after the event
the recording and the library materials. Only those who manage the event (permissions.events)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_login import current_user, login_required

from app.domain_errors import DomainError
from app.events import bp
from app.events.attendance_forms import MaterialForm, RecordingForm
from app.extensions import db
from app.forms_common import form_status
from app.i18n import _
from app.pagination import page_args
from app.permissions import require
from app.permissions.events import can_manage_event
from app.timeutil import utcnow
from app.view_actions import act, submit
from community.events import attendance, feedback, followup
from community.events import attendance_rules as rules
from community.events.event_certificates import certificate_state
from community.events.models import Event


def _managed(event_id: int) -> Event:
    event = db.get_or_404(Event, event_id)
    require(can_manage_event(current_user, event))
    return event


def _here(event: Event) -> str:
    return url_for("events.attendance_page", event_id=event.id)


def _render(event: Event, recording: RecordingForm, material: MaterialForm) -> tuple[str, int]:
    page, per_page = page_args(request.args)
    comments_page, _per = page_args({"page": request.args.get("comments", 1)}, 20)
    opens, closes = rules.checkin_window(event.starts_at, event.ends_at)
    found = feedback.summary(event, comments_page)
    now = utcnow()
    certificate, certificate_note = certificate_state(event, current_user, now=now)
    html = render_template(
        "events/attend_host.html",
        event=event,
        attendees=attendance.attendees(event, page, per_page),
        attended=attendance.attended_count(event),
        summary=found,
        average=_("%(rating)s out of 5", rating=format_decimal(found.average, format="0.##"))
        if found.average is not None
        else "",
        materials=followup.materials(event),
        recording_form=recording,
        material_form=material,
        opens=opens,
        closes=closes,
        now=now,
        certificate=certificate,
        certificate_note=certificate_note,
    )
    return html, max(form_status(recording), form_status(material))


@bp.route("/events/<int:event_id>/attendance")
@login_required
def attendance_page(event_id: int):  # type: ignore[no-untyped-def]
    event = _managed(event_id)
    recording = RecordingForm(formdata=None, recording_url=event.recording_url)
    return _render(event, recording, MaterialForm(formdata=None))


@bp.route("/events/<int:event_id>/attendance/mark", methods=["POST"])
@login_required
def mark_attendance(event_id: int):  # type: ignore[no-untyped-def]
    event = _managed(event_id)
    ids: list[int] = []
    for value in request.form.getlist("user_id"):
        if not value.isdigit() or len(value) > 10:
            flash(_("Choose people from the list."), "danger")
            return redirect(_here(event))
        ids.append(int(value))
    if not ids:
        flash(_("Tick the people who came."), "warning")
        return redirect(_here(event))
    return act(
        lambda: attendance.mark(event, ids, actor=current_user, now=utcnow()),
        done=lambda newly: _("Marked present: %(count)s.", count=len(newly)),
        then=_here(event),
    )


@bp.route("/events/<int:event_id>/attendance/<int:user_id>/unmark", methods=["POST"])
@login_required
def unmark_attendance(event_id: int, user_id: int):  # type: ignore[no-untyped-def]
    event = _managed(event_id)
    if attendance.unmark(event, user_id, actor=current_user, now=utcnow()):
        flash(_("The mark was taken back and the certificate revoked."), "success")
    else:
        flash(_("This person was not marked present."), "warning")
    return redirect(_here(event))


@bp.route("/events/<int:event_id>/recording", methods=["POST"])
@login_required
def save_recording(event_id: int):  # type: ignore[no-untyped-def]
    event = _managed(event_id)
    form = RecordingForm()
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: followup.set_recording(
                event, form.recording_url.data or "", actor=current_user, now=utcnow()
            ),
            done=_("The recording was saved."),
            then=_here(event),
            field="recording_url",
        )
        if done is not None:
            return done
    return _render(event, form, MaterialForm(formdata=None))


@bp.route("/events/<int:event_id>/materials", methods=["POST"])
@login_required
def add_material(event_id: int):  # type: ignore[no-untyped-def]
    event = _managed(event_id)
    form = MaterialForm()
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: followup.link_material(event, form.material.data, actor=current_user),
            done=_("The material was linked."),
            then=_here(event),
            field="material",
        )
        if done is not None:
            return done
    return _render(event, RecordingForm(formdata=None, recording_url=event.recording_url), form)


@bp.route("/events/<int:event_id>/materials/<int:material_id>/remove", methods=["POST"])
@login_required
def remove_material(event_id: int, material_id: int):  # type: ignore[no-untyped-def]
    event = _managed(event_id)
    try:
        removed = followup.unlink_material(event, material_id, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
        return redirect(_here(event))
    flash(_("The material was removed from the event.") if removed else _("It was not linked."), "info")
    return redirect(_here(event))
