"""The attendee's side of an event (/events/<id>/check-in): check in with the code during the event,
download the certificate (participation, or conducting for hosts and speakers), answer the feedback
form, and find the recording and the library materials afterwards. The host's page is
attendance_host. Pages and downloads only read: certificates are issued when earned."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.certificates import Certificate
from app.documents.delivery import document_response
from app.domain_errors import DomainError
from app.events import attendance_host, bp
from app.events.attendance_forms import CheckInForm, FeedbackForm
from app.extensions import db
from app.forms_common import form_status
from app.i18n import _
from app.permissions import require
from app.permissions.events import can_open_attendee_page, can_see_link, conducts_event, is_registered
from app.timeutil import utcnow
from app.view_actions import submit
from community.events import attendance, feedback, followup
from community.events import attendance_rules as rules
from community.events.event_certificates import certificate_for, certificate_state, event_paper
from community.events.models import Event, EventRegistration, EventStatus, RegistrationStatus

__all__ = ["attendance_host"]  # the host's routes join the blueprint with this module


def _registration(event: Event) -> EventRegistration | None:
    return db.session.scalar(
        select(EventRegistration).where(
            EventRegistration.event_id == event.id,
            EventRegistration.user_id == current_user.id,
            EventRegistration.status == RegistrationStatus.REGISTERED,
        )
    )


def _page(event: Event, checkin: CheckInForm, answer: FeedbackForm) -> tuple[str, int]:
    now = utcnow()
    registration = _registration(event)
    attended = registration is not None and registration.attended_at is not None
    conducts = conducts_event(current_user, event)
    certificate, certificate_note = (
        certificate_state(event, current_user, now=now) if attended or conducts else (None, "")
    )
    opens, closes = rules.checkin_window(event.starts_at, event.ends_at)
    shows_after = can_see_link(current_user, event)
    html = render_template(
        "events/attend_checkin.html",
        event=event,
        registration=registration,
        attended=attended,
        window_open=opens <= now <= closes and event.status == EventStatus.SCHEDULED,
        opens=opens,
        closes=closes,
        conducts=conducts,
        certificate=certificate,
        certificate_note=certificate_note,
        own_feedback=feedback.own_feedback(event, current_user) if attended else None,
        materials=followup.materials(event) if shows_after else [],
        shows_recording=shows_after,
        checkin_form=checkin,
        feedback_form=answer,
        started=now >= event.starts_at,
    )
    return html, max(form_status(checkin), form_status(answer))


@bp.route("/events/<int:event_id>/check-in", methods=["GET", "POST"])
@login_required
def checkin(event_id: int):  # type: ignore[no-untyped-def]
    event = db.get_or_404(Event, event_id)
    require(can_open_attendee_page(current_user, event))
    form = CheckInForm()
    if form.is_submitted():
        require(is_registered(current_user, event))
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: attendance.check_in(event, current_user, form.code.data, now=utcnow()),
            done=_("You are checked in. Your certificate is ready."),
            then=url_for("events.checkin", event_id=event.id),
            field="code",
        )
        if done is not None:
            return done
    return _page(event, form, FeedbackForm(formdata=None))


@bp.route("/events/<int:event_id>/feedback", methods=["POST"])
@login_required
def leave_feedback(event_id: int):  # type: ignore[no-untyped-def]
    event = db.get_or_404(Event, event_id)
    require(can_open_attendee_page(current_user, event))
    form = FeedbackForm()
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: feedback.leave_feedback(
                event, current_user, score=form.score.data, comment=form.comment.data or "", now=utcnow()
            ),
            done=_("Thank you for your feedback."),
            then=url_for("events.checkin", event_id=event.id),
            field="score",
        )
        if done is not None:
            return done
    return _page(event, CheckInForm(formdata=None), form)


@bp.route("/events/<int:event_id>/certificate.pdf")
@login_required
def certificate_download(event_id: int):  # type: ignore[no-untyped-def]
    event = db.get_or_404(Event, event_id)
    require(can_open_attendee_page(current_user, event))
    try:  # reads only: a certificate not issued yet is a refusal saying so, shown on the page
        certificate = certificate_for(event, current_user, now=utcnow())
    except DomainError as error:  # a download, not a form: the refusal shows on the page
        flash(error.message, "warning")
        return redirect(url_for("events.checkin", event_id=event.id))
    return certificate_download_response(event, certificate)


def certificate_download_response(event: Event, certificate: Certificate) -> Response:
    """The certificate's PDF as a download, its verification address printed on it (the page and the
    API give the same file)."""
    return document_response(
        event_paper(event, certificate), url_for("verify", code=certificate.code, _external=True)
    )
