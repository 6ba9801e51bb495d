"""Quiz pages: where a bank or a quiz lives, so every quiz page leads back — the breadcrumbs
(course › question bank › quiz › …, or contest › …) and, for a course's bank, the course itself for
the course navigation — and where a quiz shows to students (the course item that places it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from sqlalchemy import select

from app.extensions import db
from app.i18n import _
from contest_engine.models import Contest
from courses.models import Course, Item, Module
from courses.quiz.models import QuestionBank, Quiz

Crumbs = list[tuple[str, str]]


@dataclass
class Place:
    """The owner of a bank as the pages show it: crumbs down to the bank, and the course if any."""

    crumbs: Crumbs = field(default_factory=list)
    course: Course | None = None


def bank_place(bank: QuestionBank, *, manager: bool = True) -> Place:
    """Crumbs to the bank's owner (and to the bank itself for its managers): two queries at most."""
    place = Place()
    if bank.owner_type == "course":
        place.course = db.session.get(Course, bank.owner_id)
        if place.course is not None:
            place.crumbs.append((place.course.title, url_for("courses.view", course_id=place.course.id)))
    elif bank.owner_type == "contest":
        contest = db.session.get(Contest, bank.owner_id)
        if contest is not None:
            place.crumbs.append((contest.title, url_for("contests.view", contest_id=contest.id)))
    if manager:
        place.crumbs.append((_("Question bank"), url_for("quiz.bank", bank_id=bank.id)))
    return place


def quiz_place(quiz: Quiz, *, manager: bool = True) -> Place:
    """`bank_place` and then the quiz: its settings for managers, its start page for students."""
    place = bank_place(quiz.bank, manager=manager)
    endpoint = "quiz.quiz_edit" if manager else "quiz.quiz_view"
    place.crumbs.append((quiz.title, url_for(endpoint, quiz_id=quiz.id)))
    return place


@dataclass(frozen=True)
class Placement:
    """The course item that shows a quiz to the course's students (None: students do not see it)."""

    item_id: int
    item_title: str
    module_title: str
    hidden: bool


def quiz_placements(quiz_ids: list[int]) -> dict[int, Placement]:
    """Each quiz's course item in one query, for the bank's list and a quiz's settings."""
    if not quiz_ids:
        return {}
    rows = db.session.execute(
        select(Item.quiz_id, Item.id, Item.title, Module.title, Item.hidden, Module.hidden)
        .join(Module, Module.id == Item.module_id)
        .where(Item.quiz_id.in_(quiz_ids))
    ).all()
    return {
        quiz_id: Placement(item_id, title, module, bool(item_hidden or module_hidden))
        for quiz_id, item_id, title, module, item_hidden, module_hidden in rows
        if quiz_id is not None
    }


def page_place(bank: QuestionBank, quiz: Quiz | None = None, *, manager: bool = True) -> dict[str, Any]:
    """The template variables every quiz page passes: `crumbs` and `course` (for the course's
    navigation, templates/courses/_course_nav.html)."""
    place = quiz_place(quiz, manager=manager) if quiz is not None else bank_place(bank, manager=manager)
    return {"crumbs": place.crumbs, "course": place.course}
