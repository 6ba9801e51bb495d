"""Courses room: a quiz as an item of a course — built from the course's question bank — and the
course's say on who may attempt it. Touches Item and, through courses.quiz, Quiz."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from courses.cache_keys import course_key
from courses.catalogue import audit_scope
from courses.items import ItemSettings, check_item, new_item
from courses.models import Course, CourseMember, CourseRole, Item, ItemKind, Module
from courses.progress import item_access
from courses.quiz import quizzes as quiz_quizzes
from courses.quiz.models import QuestionBank, Quiz
from courses.quiz.policies import AttemptPolicy

# The owner name under which courses.quiz asks this room about attempts (app/wiring.py registers
# course_attempt_policy under it).
POLICY_OWNER = "course"


def add_quiz_item(
    module: Module,
    settings: ItemSettings,
    *,
    question_ids: list[int],
    quiz_options: dict[str, Any],
    actor: User,
) -> Item:
    """A quiz built from the course's bank, added as an item of the module."""
    course = db.session.get(Course, module.course_id)
    assert course is not None
    check_item(settings, ItemKind.QUIZ, module.course_id, None)
    if course.bank_id is None:
        raise Conflict(_("The course has no question bank."))
    bank = db.session.get(QuestionBank, course.bank_id)
    quiz = quiz_quizzes.create_quiz(
        bank, title=settings.title, question_ids=question_ids, actor=actor, **quiz_options
    )
    return _quiz_item(module, settings, quiz, actor)


def place_quiz(module: Module, quiz: Quiz, *, actor: User) -> Item:
    """Show a quiz made in the course's question bank to the course's students: a quiz item at the
    end of the module (the one way students see a course quiz). Refused for another course's quiz
    and for a quiz already placed.

    Race-safety: the quiz row is touched first, so two placements at once queue on it (a write
    lock on SQLite, a row lock on PostgreSQL) and the second finds the first's item."""
    course = db.session.get(Course, module.course_id)
    assert course is not None
    if course.bank_id is None or quiz.bank_id != course.bank_id:
        raise Invalid(
            _("This quiz belongs to another course."),
            {"module_id": _("Choose a module of the quiz's course.")},
        )
    db.session.execute(update(Quiz).where(Quiz.id == quiz.id).values(title=Quiz.title))
    if db.session.scalar(select(Item.id).where(Item.quiz_id == quiz.id).limit(1)) is not None:
        db.session.rollback()
        raise Conflict(_("The quiz is already in a module of the course."))
    return _quiz_item(module, ItemSettings(title=quiz.title), quiz, actor)


def _quiz_item(module: Module, settings: ItemSettings, quiz: Quiz, actor: User) -> Item:
    """The quiz's item at the end of the module, audited and committed (both ways of adding one)."""
    item = new_item(module, ItemKind.QUIZ, settings)
    item.quiz_id = quiz.id
    db.session.flush()
    audit.record(
        "course.item_added",
        actor=actor,
        object_type="item",
        object_id=item.id,
        details={"kind": "quiz", "quiz_id": quiz.id},
        **audit_scope(module.course_id),
    )
    bump(course_key(module.course_id))
    db.session.commit()
    return item


def course_attempt_policy(user: User, quiz: Any, now: datetime) -> AttemptPolicy:
    """The 'course' owner's say on quiz attempts: an enrolled student, the quiz item visible and
    unlocked. No deadline cap (the quiz's own close time applies)."""
    item = db.session.scalar(select(Item).where(Item.quiz_id == quiz.id))
    if item is None:
        return AttemptPolicy(False, _("This quiz is not part of a course."), None)
    role = db.session.scalar(
        select(CourseMember.role).where(
            CourseMember.course_id == item.course_id, CourseMember.user_id == user.id
        )
    )
    if role != CourseRole.STUDENT:
        return AttemptPolicy(False, _("Only the course's students take its quizzes."), None, forbidden=True)
    visible, locked_by = item_access(item, user, now=now)
    if not visible:
        return AttemptPolicy(False, _("This quiz is not open yet."), None)
    if locked_by is not None:
        return AttemptPolicy(False, _("Complete “%(title)s” first.", title=locked_by.title), None)
    return AttemptPolicy(True, "", None)
