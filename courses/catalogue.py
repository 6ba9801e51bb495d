"""Courses room: creating a course, its settings, and the catalogue a user may browse.

Touches Course and CourseMember (the creator becomes the author) and the course's question bank."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.extensions import db
from app.i18n import _
from community.forums import places as forum_places
from community.forums.models import ForumScope
from courses.cache_keys import course_key
from courses.messages import invalid, too_long
from courses.models import Course, CourseMember, CourseRole, EnrolmentMode, MissingGrades
from courses.quiz import banks as quiz_banks

MAX_TITLE = 255


def audit_scope(course_id: int) -> dict[str, Any]:
    """Every audit entry of a course's use cases is filed under the course."""
    return {"scope_type": "course", "scope_id": course_id}


@dataclass
class CourseSettings:
    title: str
    summary: str = ""
    hours: int = 0
    starts_on: date | None = None
    ends_on: date | None = None
    enrolment_mode: str = EnrolmentMode.INVITATION.value
    enrolment_key: str = ""
    missing_grades: str = MissingGrades.ZERO.value


def check_settings(settings: CourseSettings) -> None:
    """Trim and check the settings (the backup import checks with the same rules)."""
    fields: dict[str, str] = {}
    settings.title = settings.title.strip()
    settings.enrolment_key = settings.enrolment_key.strip()
    if not settings.title:
        fields["title"] = _("Enter the course title.")
    elif len(settings.title) > MAX_TITLE:
        fields["title"] = too_long(MAX_TITLE)
    if settings.hours < 0 or settings.hours > 10000:
        fields["hours"] = _("Hours must be between 0 and 10000.")
    if settings.starts_on and settings.ends_on and settings.ends_on < settings.starts_on:
        fields["ends_on"] = _("The course cannot end before it starts.")
    if settings.enrolment_mode not in {m.value for m in EnrolmentMode}:
        fields["enrolment_mode"] = _("Unknown enrolment mode.")
    elif settings.enrolment_mode == EnrolmentMode.KEY and not settings.enrolment_key:
        fields["enrolment_key"] = _("Set the enrolment key.")
    if len(settings.enrolment_key) > 64:
        fields["enrolment_key"] = too_long(64)
    if settings.missing_grades not in {m.value for m in MissingGrades}:
        fields["missing_grades"] = _("Unknown setting.")
    if fields:
        raise invalid(fields)


def create_course(settings: CourseSettings, *, actor: User) -> Course:
    """The creator becomes the course's author; the course gets its own question bank."""
    check_settings(settings)
    course = Course(
        title=settings.title,
        summary=settings.summary,
        hours=settings.hours,
        starts_on=settings.starts_on,
        ends_on=settings.ends_on,
        enrolment_mode=EnrolmentMode(settings.enrolment_mode),
        enrolment_key=settings.enrolment_key,
        missing_grades=MissingGrades(settings.missing_grades),
        created_by_id=actor.id,
    )
    db.session.add(course)
    db.session.flush()
    db.session.add(CourseMember(course_id=course.id, user_id=actor.id, role=CourseRole.AUTHOR))
    audit.record(
        "course.created", actor=actor, object_type="course", object_id=course.id, **audit_scope(course.id)
    )
    db.session.flush()
    attach_bank(course)
    forum_places.add_default_forums(ForumScope.COURSE, course.id, actor_id=actor.id)  # news + general
    bump(course_key(course.id))  # an id SQLite reuses after a deletion must not find the old pages
    db.session.commit()
    return course


def attach_bank(course: Course) -> None:
    """Every course owns one question bank, named after it (flushed, not committed)."""
    bank = quiz_banks.create_bank("course", course.id, course.title)
    course.bank_id = bank.id


def update_course(course: Course, settings: CourseSettings, *, actor: User) -> Course:
    """Change the settings; existing members stay whatever the new enrolment mode."""
    check_settings(settings)
    course.title, course.summary, course.hours = settings.title, settings.summary, settings.hours
    course.starts_on, course.ends_on = settings.starts_on, settings.ends_on
    course.enrolment_mode = EnrolmentMode(settings.enrolment_mode)
    course.enrolment_key = settings.enrolment_key
    course.missing_grades = MissingGrades(settings.missing_grades)
    audit.record(
        "course.updated", actor=actor, object_type="course", object_id=course.id, **audit_scope(course.id)
    )
    db.session.commit()
    return course


def catalogue_query(user: User, *, admin: bool, search: str = "") -> Any:
    """Courses the user is in, plus courses open for self-enrolment; admins see all.
    A tutor thus sees the courses they teach, never other invitation-only courses."""
    mine = select(CourseMember.course_id).where(CourseMember.user_id == user.id)
    query = select(Course)
    if not admin:
        query = query.where(Course.id.in_(mine) | (Course.enrolment_mode != EnrolmentMode.INVITATION))
    if search:
        query = query.where(Course.title.ilike(f"%{search}%"))
    return query.order_by(Course.created_at.desc(), Course.id.desc())


def roles_in(user: User, course_ids: Sequence[int]) -> dict[int, str]:
    """The user's role in each of these courses (a catalogue page's badges, one query)."""
    if not course_ids:
        return {}
    return {
        row.course_id: str(row.role)
        for row in db.session.execute(
            select(CourseMember.course_id, CourseMember.role).where(
                CourseMember.user_id == user.id, CourseMember.course_id.in_(course_ids)
            )
        )
    }
