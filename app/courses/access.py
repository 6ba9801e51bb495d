"""Course views' shared first steps: load the course or 404, learn the caller's course role, refuse
who may not teach or author; and the one way they send a download."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response
from flask_login import current_user

from app.extensions import db
from app.permissions import require
from app.permissions.courses import course_role, role_can_author, role_can_teach
from courses.models import Course


def course_or_404(course_id: int) -> Course:
    return db.get_or_404(Course, course_id)


def role_in(course_id: int) -> str | None:
    """The signed-in user's role in the course ("author", "tutor", "student") or None."""
    return course_role(current_user, course_id)


def require_teach(course_id: int) -> str | None:
    """403 unless the caller teaches the course (or is an admin); their role otherwise."""
    role = role_in(course_id)
    require(role_can_teach(role, current_user))
    return role


def require_author(course_id: int) -> str | None:
    """403 unless the caller authors the course (or is an admin); their role otherwise."""
    role = role_in(course_id)
    require(role_can_author(role, current_user))
    return role


def download(data: bytes | str, mimetype: str, name: str) -> Response:
    """An attachment under a UTF-8 file name (Russian titles stay readable)."""
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )
