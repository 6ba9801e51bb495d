"""Who may do what in a course. A course role (author, tutor, student) adds to the site role;
admins may do everything. Each predicate runs at most one small query."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.accounts import Role
from app.extensions import db
from app.permissions import _signed_in, has_role, is_admin
from courses.models import CourseMember


def course_role(user: Any, course_id: int) -> str | None:
    """The caller's role in the course ("author", "tutor", "student") or None."""
    if not _signed_in(user):
        return None
    role = db.session.scalar(
        select(CourseMember.role).where(CourseMember.course_id == course_id, CourseMember.user_id == user.id)
    )
    return str(role) if role is not None else None


def can_create_course(user: Any) -> bool:
    """Teachers and organisers build courses (the author of a qualification course is a teacher)."""
    return has_role(user, Role.ADMIN, Role.ORGANISER, Role.TEACHER)


def can_teach_course(user: Any, course_id: int) -> bool:
    """Author or tutor of that course, or an admin: grade, enrol, see progress and the gradebook."""
    return is_admin(user) or course_role(user, course_id) in ("author", "tutor")


def can_author_course(user: Any, course_id: int) -> bool:
    """Change the course's structure and settings, export it."""
    return is_admin(user) or course_role(user, course_id) == "author"


def is_course_student(user: Any, course_id: int) -> bool:
    return course_role(user, course_id) == "student"


def can_view_course(user: Any, course_id: int) -> bool:
    """Members (and admins) open the course's content."""
    return is_admin(user) or course_role(user, course_id) is not None


def role_can_teach(role: str | None, user: Any) -> bool:
    """The same as can_teach_course when the view already knows the caller's role (no query)."""
    return is_admin(user) or role in ("author", "tutor")


def role_can_author(role: str | None, user: Any) -> bool:
    return is_admin(user) or role == "author"


def can_view_submission(user: Any, submission: Any, course_id: int) -> bool:
    """The student who handed it in and the course's teachers; nobody else learns it exists."""
    if not _signed_in(user):
        return False
    return submission.user_id == user.id or can_teach_course(user, course_id)
