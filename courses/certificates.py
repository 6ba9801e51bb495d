"""Courses room: the certificate of a completed course — issued once, with the course's hours and a
verification code — and what it says on paper (an app.documents Paper). Touches Certificate."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app import audit
from app.accounts import User
from app.certificates import Certificate, CertificateKind, issue
from app.documents.paper import Paper, Signature, issuer_zone, names_joined
from app.domain_errors import Conflict
from app.extensions import db
from app.i18n import _, force_locale, ngettext
from courses.catalogue import audit_scope
from courses.models import Course, CourseMember, CourseRole
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


def issued_certificate(course: Course, user: User) -> Certificate | None:
    """The certificate already issued to `user` for `course` (a read: downloading it again writes nothing)."""
    return db.session.scalar(
        select(Certificate).where(
            Certificate.source_type == "course",
            Certificate.source_id == course.id,
            Certificate.kind == CertificateKind.COURSE,
            Certificate.user_id == user.id,
        )
    )


def course_paper(course: Course, certificate: Certificate) -> Paper:
    """The certificate (удостоверение) as printed and as /verify describes it: the course's authors'
    institutions issue it (their names when none belongs to one; the creator when the course has no
    author left) and its first author signs as the course's head; the hours are those
    recorded at issue; the date is the network's (Moscow), as a course has no zone of its own."""
    authors = list(
        db.session.scalars(
            select(User)
            .join(CourseMember, CourseMember.user_id == User.id)
            .where(CourseMember.course_id == course.id, CourseMember.role == CourseRole.AUTHOR)
            .order_by((User.id == (course.created_by_id or 0)).desc(), User.full_name)
        )
    )
    if not authors and course.created_by_id is not None:
        creator = db.session.get(User, course.created_by_id)
        authors = [creator] if creator is not None else []
    hours = int(certificate.details) if certificate.details.isdigit() else course.hours
    institutions = names_joined([a.institution.name for a in authors if a.institution is not None])
    with force_locale("ru"):
        amount = ngettext(
            "in the amount of %(num)d academic hour", "in the amount of %(num)d academic hours", hours
        )
        return Paper(
            kind_label=_("Certificate of professional development"),
            heading=_("CERTIFICATE OF TRAINING"),
            subheading=_("of professional development"),
            preamble=_("this is to certify that"),
            holder=certificate.holder,
            statement=(_("has completed the qualification course"), f"«{certificate.title}»", amount),
            certifies=_("Qualification course «%(title)s»", title=certificate.title),
            hours=hours,
            organiser=institutions or names_joined([a.full_name for a in authors]),
            signatures=(Signature(_("Head of the course"), authors[0].full_name if authors else ""),),
            issued_at=certificate.issued_at,
            zone=issuer_zone(None),
            code=certificate.code,
        )


def course_certificate_paper(certificate: Certificate) -> Paper | None:
    """The Paper of a course certificate's row, or None when its course is gone."""
    course = db.session.get(Course, certificate.source_id)
    return course_paper(course, certificate) if course is not None else None
