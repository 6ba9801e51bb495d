"""Courses API, shared by its modules: loading a course or module (404 otherwise) and the course's shape."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.api.core import not_found
from app.extensions import db
from courses.models import Course, Module


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def course_json(course: Course) -> dict[str, Any]:
    return {
        "id": course.id,
        "title": course.title,
        "summary": course.summary,
        "hours": course.hours,
        "starts_on": course.starts_on.isoformat() if course.starts_on else None,
        "ends_on": course.ends_on.isoformat() if course.ends_on else None,
        "enrolment_mode": str(course.enrolment_mode),
        "missing_grades": str(course.missing_grades),
        "bank_id": course.bank_id,
    }


def course_or_404(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None:
        raise not_found()
    return course


def module_or_404(module_id: int) -> Module:
    module = db.session.get(Module, module_id)
    if module is None:
        raise not_found()
    return module
