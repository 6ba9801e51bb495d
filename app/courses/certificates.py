"""Course certificates: a student's PDF once the course is complete (the public check of any
document is app.verify)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from app.courses import bp
from app.courses.access import course_or_404, role_in
from app.documents.delivery import document_response
from app.domain_errors import DomainError
from app.i18n import _
from app.permissions import require
from app.timeutil import utcnow
from courses.certificates import course_certificate, course_paper, issued_certificate


@bp.route("/<int:course_id>/certificate", methods=["GET", "POST"])
@login_required
def certificate(course_id: int):  # type: ignore[no-untyped-def]
    """POST (the course page's button) issues the certificate once and sends it; GET sends one
    already issued (a download link stays a read) and otherwise leads back to the course page."""
    course = course_or_404(course_id)
    require(role_in(course.id) == "student")
    if request.method == "POST":
        try:
            issued = course_certificate(course, current_user, now=utcnow())
        except DomainError as error:  # a download, not act()'s redirect: the refusal shows as a warning
            flash(error.message, "warning")
            return redirect(url_for("courses.view", course_id=course.id))
    else:
        found = issued_certificate(course, current_user)
        if found is None:
            flash(_("Press «Download the certificate (PDF)» on the course page to receive it."), "info")
            return redirect(url_for("courses.view", course_id=course.id))
        issued = found
    return document_response(
        course_paper(course, issued), url_for("verify", code=issued.code, _external=True)
    )
