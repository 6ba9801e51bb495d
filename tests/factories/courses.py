"""Courses, modules, items and enrolments for tests; built through the services where it matters."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from app.accounts import User
from app.extensions import db
from courses import assignments, catalogue, enrolment, items, structure
from courses.files import Upload
from courses.models import Course, CourseMember, CourseRole, Item, Module
from tests.factories.accounts import student, teacher


def course(author: User | None = None, **settings: Any) -> Course:
    settings.setdefault("title", "Дистанционные образовательные технологии в школе")
    settings.setdefault("hours", 72)
    return catalogue.create_course(catalogue.CourseSettings(**settings), actor=author or teacher())


def module(course_: Course, title: str = "Модуль", actor: User | None = None) -> Module:
    return structure.add_module(course_, title=title, actor=actor or _author(course_))


def page(module_: Module, title: str = "Страница", body: str = "Текст", **kw: Any) -> Item:
    return items.add_item(
        module_, "page", items.ItemSettings(title=title, body=body, **kw), actor=_author_of(module_.course_id)
    )


def assignment(
    module_: Module,
    title: str = "Задание",
    *,
    due_at: datetime | None = None,
    cutoff_at: datetime | None = None,
    max_points: str = "10",
    item: dict[str, Any] | None = None,
    **kw: Any,
) -> Item:
    return assignments.create_assignment(
        module_,
        items.ItemSettings(title=title, **(item or {})),
        assignments.AssignmentSettings(
            due_at=due_at, cutoff_at=cutoff_at, max_points=Decimal(max_points), **kw
        ),
        actor=_author_of(module_.course_id),
    )


def enrolled(course_: Course, user: User | None = None, role: str = "student") -> User:
    user = user or student()
    enrolment.enrol(course_, user, role, actor=_author(course_))
    return user


def upload(name: str = "work.pdf", data: bytes = b"%PDF-1.4 test") -> Upload:
    """A file as a view hands it to the course services."""
    return Upload(name, io.BytesIO(data))


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _author(course_: Course) -> User:
    return _author_of(course_.id)


def _author_of(course_id: int) -> User:
    found = db.session.scalar(
        select(User)
        .join(CourseMember, CourseMember.user_id == User.id)
        .where(CourseMember.course_id == course_id, CourseMember.role == CourseRole.AUTHOR)
        .limit(1)
    )
    assert found is not None
    return found
