"""Course certificates: a student's PDF once the course is complete (the public check of any
document is app.verify)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from app.courses import bp
from app.courses.access import course_or_404, role_in
from app.documents.delivery import document_response
from app.domain_errors import DomainError
from app.permissions import require
from app.timeutil import utcnow
from courses.certificates import course_certificate, course_paper


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
    return document_response(
        course_paper(course, issued), url_for("verify", code=issued.code, _external=True)
    )
