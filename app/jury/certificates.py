"""Jury pages: certificates of jury work — the organiser issues and lists a stage's, a juror or
the organiser downloads one as a PDF."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.documents.delivery import document_response
from app.documents.sources import paper_for
from app.extensions import db
from app.i18n import _
from app.jury import bp
from app.jury.loading import managed
from app.permissions import jury as can
from app.permissions import require
from app.timeutil import utcnow
from app.view_actions import act
from contest_engine.jury.certificates import issue_jury_certificates, jury_certificate, jury_certificates
from contest_engine.models import Stage


@bp.route("/stages/<int:stage_id>/certificates", methods=["GET", "POST"])
@login_required
def certificates(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = managed(stage_id)
    here = url_for("jury.certificates", stage_id=stage.id)
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            return redirect(here)
        return act(
            lambda: issue_jury_certificates(stage, actor=current_user, now=utcnow()),
            done=lambda issued: _("Certificates issued: %(n)d.", n=len(issued)),
            then=here,
        )
    return render_template(
        "jury/certificates.html",
        stage=stage,
        contest=contest,
        items=jury_certificates(stage.id),
        active="certificates",
    )


@bp.route("/certificates/<code>.pdf")
@login_required
def certificate_pdf(code: str):  # type: ignore[no-untyped-def]
    certificate = jury_certificate(code)
    if certificate is None:
        abort(404)
    stage = db.get_or_404(Stage, certificate.source_id)
    require(certificate.user_id == current_user.id or can.can_manage_jury(current_user, stage))
    return document_response(paper_for(certificate), url_for("verify", code=certificate.code, _external=True))
