"""Course certificates: a student's PDF once the course is complete, and the public page that checks
any certificate or diploma by its code."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app import certificates
from app.courses import bp
from app.courses.access import course_or_404, download, role_in
from app.domain_errors import DomainError
from app.permissions import require
from app.timeutil import utcnow
from courses.certificates import certificate_pdf, course_certificate


@bp.route("/<int:course_id>/certificate")
@login_required
def certificate(course_id: int):  # type: ignore[no-untyped-def]
    course = course_or_404(course_id)
    require(role_in(course.id) == "student")
    try:
        issued = course_certificate(course, current_user, now=utcnow())
    except DomainError as error:  # a download, not act()'s redirect: the refusal shows as a warning
        flash(error.message, "warning")
        return redirect(url_for("courses.view", course_id=course.id))
    verify_url = url_for("verify", code=issued.code, _external=True)
    return download(
        certificate_pdf(course, issued, verify_url), "application/pdf", f"certificate-{issued.code}.pdf"
    )


def verify(code: str):  # type: ignore[no-untyped-def]
    """Public: confirms a certificate or diploma, revealing only holder, title and date; a revoked
    one is named as revoked, with the date and reason (200: the code is known, the answer is no)."""
    found = certificates.lookup(code)
    return render_template("courses/verify.html", certificate=found, code=code), 200 if found else 404


@bp.record_once
def _register_verify(state: Any) -> None:
    state.app.add_url_rule("/verify/<code>", "verify", verify)
