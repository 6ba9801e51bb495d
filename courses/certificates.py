"""Courses room: the certificate of a completed course — issued once, with the course's hours and a
verification code — and its PDF. Touches Certificate (app.certificates)."""

from __future__ import annotations

from datetime import datetime

from app import audit
from app.accounts import User
from app.certificates import Certificate, CertificateKind, issue
from app.domain_errors import Conflict
from app.extensions import db
from app.i18n import _, force_locale
from app.pdf import render_certificate_pdf
from courses.catalogue import audit_scope
from courses.models import Course
from courses.progress import student_progress


def course_certificate(course: Course, user: User, *, now: datetime) -> Certificate:
    """Issue (once) the certificate of a completed course; refused while anything required is left."""
    state = student_progress(course, user, now)
    if not state.course_complete:
        raise Conflict(_("Complete every required item of the course to get the certificate."))
    certificate = issue(
        kind=CertificateKind.COURSE,
        user_id=user.id,
        holder=user.full_name,
        title=course.title,
        source_type="course",
        source_id=course.id,
        details=str(course.hours),
        now=now,
    )
    audit.record(
        "course.certificate_issued",
        actor=user,
        object_type="certificate",
        object_id=None,
        details={"code": certificate.code},
        **audit_scope(course.id),
    )
    db.session.commit()
    return certificate


def certificate_pdf(course: Course, certificate: Certificate, verify_url: str) -> bytes:
    """The PDF is always in Russian: it is an official document of a Russian school network."""
    with force_locale("ru"):
        lines = [
            _("has completed the qualification course"),
            f"«{course.title}»",
            _("in the amount of %(hours)s academic hours", hours=course.hours),
        ]
        heading = _("CERTIFICATE")
    return render_certificate_pdf(
        heading=heading,
        holder=certificate.holder,
        title=course.title,
        lines=lines,
        code=certificate.code,
        verify_url=verify_url,
        issued_on=certificate.issued_at.date(),
    )
