"""Courses room: who is in a course — self-enrolment (open or with a key), enrolment by a tutor, by
e-mail or a class list (CSV or XLSX), removal, and the members list. Touches CourseMember and
notifications."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import User
from app.domain_errors import Conflict
from app.extensions import db
from app.i18n import _
from app.notifications import notify
from app.tabular import LineError
from app.tabular_messages import header_error, open_table
from courses.catalogue import audit_scope
from courses.email_list import read_email_rows
from courses.messages import invalid
from courses.models import Course, CourseMember, CourseRole, EnrolmentMode


def self_enrol(course: Course, user: User, *, key: str = "") -> CourseMember:
    """Open courses take anyone signed in; key courses need the key; invitation-only refuse."""
    if course.enrolment_mode == EnrolmentMode.INVITATION:
        raise Conflict(_("This course is by invitation only."))
    if course.enrolment_mode == EnrolmentMode.KEY and key.strip() != course.enrolment_key:
        raise invalid({"key": _("Wrong enrolment key.")})
    member = _add_member(course, user, CourseRole.STUDENT)
    audit.record(
        "course.enrolled",
        actor=user,
        object_type="user",
        object_id=user.id,
        details={"role": "student", "how": "self"},
        **audit_scope(course.id),
    )
    db.session.commit()
    return member


def enrol(course: Course, user: User, role: str, *, actor: User) -> CourseMember:
    """A tutor enrols someone as a student or a tutor; they are told."""
    _check_role(role)
    member = _add_member(course, user, CourseRole(role))
    audit.record(
        "course.enrolled",
        actor=actor,
        object_type="user",
        object_id=user.id,
        details={"role": role, "how": "tutor"},
        **audit_scope(course.id),
    )
    _tell_enrolled(course, user)
    db.session.commit()
    return member


def enrol_by_email(course: Course, email: str, role: str, *, actor: User) -> CourseMember:
    """`enrol` for a tutor who knows only the address; an unknown address is a field error."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise invalid({"email": _("No user with this e-mail.")})
    return enrol(course, user, role, actor=actor)


@dataclass
class EnrolReport:
    enrolled: list[str]
    already: list[str]
    errors: list[LineError] = field(default_factory=list)


def enrol_from_file(
    course: Course, data: bytes | str, role: str, *, actor: User, valid_only: bool = False
) -> EnrolReport:
    """Enrol a class list: an e-mail column («email», «почта»…) or one e-mail a line, in CSV of any
    usual encoding or XLSX. All or nothing: a malformed line or an unknown e-mail refuses the whole
    file, each listed, unless `valid_only`, when the others are enrolled. People already in the
    course are reported and left as they are."""
    _check_role(role)
    table = open_table(data, headerless=("email",))
    missing = header_error(table, ("email",), ("email",))
    if missing:
        return EnrolReport([], [], [missing])
    emails, bad_lines = read_email_rows((row.line, row.text, row.get("email")) for row in table.rows)
    errors = [
        LineError(bad.line, bad.text, _("“%(value)s” is not an e-mail address.", value=bad.value))
        for bad in bad_lines
    ]
    found = {
        u.email: u for u in db.session.scalars(select(User).where(User.email.in_([e.email for e in emails])))
    }
    errors += [
        LineError(e.line, e.text, _("No user with this e-mail.")) for e in emails if e.email not in found
    ]
    errors.sort(key=lambda error: error.line)
    if not emails and not errors:
        errors.append(LineError(1, "", _("The file has no e-mail addresses.")))
    if errors and not valid_only:
        return EnrolReport([], [], errors)
    members = set(
        db.session.scalars(
            select(CourseMember.user_id).where(
                CourseMember.course_id == course.id, CourseMember.user_id.in_([u.id for u in found.values()])
            )
        )
    )
    report = EnrolReport(enrolled=[], already=[], errors=errors)
    for line in emails:
        user = found.get(line.email)
        if user is None:
            continue
        if user.id in members:
            report.already.append(user.email)
            continue
        db.session.add(CourseMember(course_id=course.id, user_id=user.id, role=CourseRole(role)))
        _tell_enrolled(course, user)
        report.enrolled.append(user.email)
    if not report.enrolled:
        return report
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("Someone enrolled the same people at the same time; try again.")) from None
    audit.record(
        "course.enrolled_csv",
        actor=actor,
        details={"count": len(report.enrolled), "role": role, "refused_lines": len(errors)},
        **audit_scope(course.id),
    )
    db.session.commit()
    return report


def unenrol(course: Course, member: CourseMember, *, actor: User) -> None:
    """Anyone but the author may be removed (a course always keeps its author)."""
    if member.role == CourseRole.AUTHOR:
        raise Conflict(_("The author cannot be removed from the course."))
    audit.record(
        "course.unenrolled",
        actor=actor,
        object_type="user",
        object_id=member.user_id,
        **audit_scope(course.id),
    )
    db.session.delete(member)
    db.session.commit()


def members_page(course: Course, *, page: int, per_page: int) -> tuple[list[tuple[CourseMember, User]], int]:
    """One page of members, authors first, then tutors, then students, by name."""
    total = (
        db.session.scalar(
            select(func.count()).select_from(CourseMember).where(CourseMember.course_id == course.id)
        )
        or 0
    )
    rows = db.session.execute(
        select(CourseMember, User)
        .join(User, User.id == CourseMember.user_id)
        .where(CourseMember.course_id == course.id)
        .order_by(CourseMember.role, User.full_name, User.id)
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    return [(m, u) for m, u in rows], total


def _check_role(role: str) -> None:
    if role not in (CourseRole.STUDENT, CourseRole.TUTOR):
        raise invalid({"role": _("Choose student or tutor.")})


def _add_member(course: Course, user: User, role: CourseRole) -> CourseMember:
    member = CourseMember(course_id=course.id, user_id=user.id, role=role)
    try:
        with db.session.begin_nested():
            db.session.add(member)
    except IntegrityError:
        raise Conflict(
            _("%(name)s is already enrolled in this course.", name=user.full_name),
            {"user_id": _("Already enrolled.")},
        ) from None
    return member


def _tell_enrolled(course: Course, user: User) -> None:
    notify(
        user.id,
        _("You have been enrolled in the course “%(title)s”.", title=course.title),
        f"/courses/{course.id}",
    )
