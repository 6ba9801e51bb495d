"""Quiz room: the questions of a bank — write, duplicate, move, delete, and decode a stored one.
Touches question rows only."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import func, select

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.i18n import _
from app.timeutil import utcnow
from courses.quiz import questions
from courses.quiz.banks import check_category
from courses.quiz.models import Question, QuestionBank, QuizAnswer, QuizSlot
from courses.quiz.question_data import from_data, to_data


def load_question(row: Question) -> questions.AnyQuestion:
    """The pure question a row holds (decoded once per version)."""
    return decode_question(row.id, row.version, row.data)


_DECODED: dict[tuple[int, int], tuple[dict[str, Any], questions.AnyQuestion]] = {}


def decode_question(question_id: int, version: int, data: dict[str, Any]) -> questions.AnyQuestion:
    """Decoded questions, cached per version: grading a class's attempts decodes each question once.
    The data is compared too, so a reused id (an emptied test database) never serves a stale one."""
    key = (question_id, version)
    found = _DECODED.get(key)
    if found is not None and (found[0] is data or found[0] == data):
        return found[1]
    question = from_data(data)
    if len(_DECODED) > 20_000:
        _DECODED.clear()
    _DECODED[key] = (data, question)
    return question


def bank_questions(bank: QuestionBank, *, category_id: int | None = None) -> Any:
    """The bank's visible questions, newest last (a query for pagination)."""
    query = select(Question).where(Question.bank_id == bank.id, Question.hidden.is_(False))
    if category_id is not None:
        query = query.where(Question.category_id == category_id)
    return query.order_by(Question.id)


def save_question(
    bank: QuestionBank,
    question: questions.Question,
    *,
    category_id: int | None,
    actor: User | None,
    row: Question | None = None,
) -> Question:
    """Create a question, or replace `row`'s content (its version grows; attempts keep pointing at
    it and are regraded on request)."""
    check_category(bank, category_id)
    question = replace(question, category=None)
    data = to_data(question)
    if row is None:
        row = Question(
            bank_id=bank.id,
            category_id=category_id,
            type=question.type,
            name=question.name[:255],
            data=data,
            version=1,
        )
        db.session.add(row)
        action = "quiz.question_created"
    else:
        if row.bank_id != bank.id:
            raise NotFound(_("Not found."))
        if row.type != question.type:
            raise Invalid(_("A question's type cannot change."))
        row.data = data
        row.name = question.name[:255]
        row.category_id = category_id
        row.version = row.version + 1
        row.updated_at = utcnow()
        action = "quiz.question_edited"
    db.session.flush()
    audit.record(
        action,
        actor=actor,
        scope_type="question_bank",
        scope_id=bank.id,
        object_type="question",
        object_id=row.id,
        details={"name": row.name, "version": row.version},
    )
    db.session.commit()
    return row


def duplicate_question(row: Question, *, actor: User | None) -> Question:
    """A copy of the question under a new name in the same category (an author's starting point)."""
    bank = db.session.get(QuestionBank, row.bank_id)
    assert bank is not None
    copy = replace(load_question(row), name=_("%(name)s (copy)", name=row.name)[:255])
    return save_question(bank, copy, category_id=row.category_id, actor=actor)


def move_question(row: Question, category_id: int | None, *, actor: User | None) -> Question:
    """Put the question in another category of its bank (None: no category)."""
    bank = db.session.get(QuestionBank, row.bank_id)
    assert bank is not None
    check_category(bank, category_id)
    row.category_id = category_id
    audit.record(
        "quiz.question_moved",
        actor=actor,
        scope_type="question_bank",
        scope_id=bank.id,
        object_type="question",
        object_id=row.id,
        details={"category_id": category_id},
    )
    db.session.commit()
    return row


def delete_question(row: Question, *, actor: User | None) -> None:
    """A question no quiz or attempt uses is deleted; one still in use is hidden from the bank
    (its attempts keep their history) and cannot be added to new quizzes."""
    in_slot = db.session.scalar(
        select(func.count()).select_from(QuizSlot).where(QuizSlot.question_id == row.id)
    )
    if in_slot:
        raise Conflict(_("The question is used in a quiz: remove it from the quiz first."))
    used = db.session.scalar(
        select(func.count()).select_from(QuizAnswer).where(QuizAnswer.question_id == row.id)
    )
    audit.record(
        "quiz.question_deleted",
        actor=actor,
        scope_type="question_bank",
        scope_id=row.bank_id,
        object_type="question",
        object_id=row.id,
        details={"name": row.name},
    )
    if used:
        row.hidden = True
    else:
        db.session.delete(row)
    db.session.commit()


def is_used_in_attempts(question_id: int) -> bool:
    """Whether any attempt holds this question (then an edit offers to regrade)."""
    return (
        db.session.scalar(select(QuizAnswer.id).where(QuizAnswer.question_id == question_id).limit(1))
        is not None
    )
