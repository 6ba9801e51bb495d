"""Quiz room: building a quiz over bank questions — settings and slots (fixed or random). Touches
quiz and quiz_slot rows; slots are fixed once anyone has attempted the quiz."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from courses.quiz import rules
from courses.quiz.grade_keys import quiz_grades_key
from courses.quiz.messages import settings_texts
from courses.quiz.models import Question, QuestionBank, QuestionCategory, Quiz, QuizAttempt, QuizSlot

QUIZ_SETTINGS = (
    "title",
    "description",
    "opens_at",
    "closes_at",
    "time_limit_minutes",
    "attempts_allowed",
    "grading_method",
    "max_grade",
    "shuffle_questions",
    "shuffle_answers",
    "review_when",
    "review_score",
    "review_answers",
    "review_feedback",
)


def check_settings(values: dict[str, Any]) -> None:
    """Refuse settings the quiz rules find wrong, each message next to its field (also used by the
    course backup import before it writes anything)."""
    fields = settings_texts(rules.settings_problems(values))
    if fields:
        raise Invalid(next(iter(fields.values())), fields)


def _bank_question_rows(bank: QuestionBank, question_ids: Sequence[int]) -> list[Question]:
    rows = {
        q.id: q
        for q in db.session.scalars(
            select(Question).where(
                Question.id.in_(list(question_ids)), Question.bank_id == bank.id, Question.hidden.is_(False)
            )
        )
    }
    missing = [i for i in question_ids if i not in rows]
    if missing:
        raise Invalid(
            _("Unknown questions: %(ids)s.", ids=", ".join(map(str, missing))),
            {"question_ids": _("Unknown questions: %(ids)s.", ids=", ".join(map(str, missing)))},
        )
    if len(set(question_ids)) != len(question_ids):
        raise Invalid(_("A question appears twice."), {"question_ids": _("A question appears twice.")})
    return [rows[i] for i in question_ids]


def create_quiz(
    bank: QuestionBank, *, question_ids: Sequence[int], actor: User | None, **settings: Any
) -> Quiz:
    """A quiz over bank questions in the given order (slots 1, 2, …); `settings` as `add_quiz`."""
    question_ids = list(question_ids)
    quiz = add_quiz(bank, question_ids=question_ids, **settings)
    audit.record(
        "quiz.created",
        actor=actor,
        scope_type="question_bank",
        scope_id=bank.id,
        object_type="quiz",
        object_id=quiz.id,
        details={"title": quiz.title, "questions": len(question_ids)},
    )
    db.session.commit()
    return quiz


def add_quiz(
    bank: QuestionBank,
    *,
    title: str,
    question_ids: Sequence[int],
    time_limit_minutes: int | None = None,
    attempts_allowed: int | None = 1,
    grading_method: str = "highest",
    max_grade: Decimal = Decimal("10"),
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    shuffle_questions: bool = False,
    shuffle_answers: bool = True,
    description: str = "",
    review_when: str = "immediately",
    review_score: bool = True,
    review_answers: bool = True,
    review_feedback: bool = True,
) -> Quiz:
    """`create_quiz`'s quiz and slots added to the current transaction (flushed), with no audit entry
    and no commit: the caller commits, so a larger all-or-nothing change (a course backup) can
    include it."""
    values = dict(
        title=title,
        description=description,
        opens_at=opens_at,
        closes_at=closes_at,
        time_limit_minutes=time_limit_minutes,
        attempts_allowed=attempts_allowed,
        grading_method=str(grading_method),
        max_grade=Decimal(str(max_grade)),
        shuffle_questions=shuffle_questions,
        shuffle_answers=shuffle_answers,
        review_when=str(review_when),
        review_score=review_score,
        review_answers=review_answers,
        review_feedback=review_feedback,
    )
    check_settings(values)
    rows = _bank_question_rows(bank, list(question_ids))
    values["title"] = title.strip()[:255]
    quiz = Quiz(bank_id=bank.id, **values)
    db.session.add(quiz)
    db.session.flush()
    for position, row in enumerate(rows, start=1):
        db.session.add(QuizSlot(quiz_id=quiz.id, position=position, question_id=row.id, random_count=1))
    db.session.flush()
    return quiz


def update_quiz(quiz: Quiz, *, actor: User | None, **values: Any) -> Quiz:
    """Change settings (any of QUIZ_SETTINGS); they apply to attempts started afterwards."""
    unknown = set(values) - set(QUIZ_SETTINGS)
    if unknown:
        raise Invalid(_("The data is invalid."), {name: _("Unknown field.") for name in unknown})
    merged = {name: getattr(quiz, name) for name in QUIZ_SETTINGS}
    merged.update(values)
    merged["grading_method"] = str(merged["grading_method"])
    merged["review_when"] = str(merged["review_when"])
    check_settings(merged)
    for name, value in values.items():
        setattr(quiz, name, value.strip() if name == "title" else value)
    audit.record(
        "quiz.settings_changed",
        actor=actor,
        scope_type="question_bank",
        scope_id=quiz.bank_id,
        object_type="quiz",
        object_id=quiz.id,
        details={k: str(v) for k, v in values.items()},
    )
    bump(quiz_grades_key(quiz.id))  # the grading method or the maximum may have changed every grade
    db.session.commit()
    return quiz


def quiz_slots(quiz: Quiz) -> list[QuizSlot]:
    """The quiz's slots in order."""
    return list(
        db.session.scalars(select(QuizSlot).where(QuizSlot.quiz_id == quiz.id).order_by(QuizSlot.position))
    )


def has_attempts(quiz: Quiz) -> bool:
    """Whether anyone has started the quiz (then its questions are fixed)."""
    return bool(db.session.scalar(select(QuizAttempt.id).where(QuizAttempt.quiz_id == quiz.id).limit(1)))


def _refuse_if_attempted(quiz: Quiz) -> None:
    if has_attempts(quiz):
        raise Conflict(_("Students have already attempted this quiz: its questions can no longer change."))


def _next_position(quiz: Quiz) -> int:
    return (
        db.session.scalar(select(func.max(QuizSlot.position)).where(QuizSlot.quiz_id == quiz.id)) or 0
    ) + 1


def add_questions(quiz: Quiz, question_ids: Sequence[int], *, actor: User | None) -> list[QuizSlot]:
    """Append bank questions not yet in the quiz, in the given order (refused once attempted)."""
    _refuse_if_attempted(quiz)
    present = set(db.session.scalars(select(QuizSlot.question_id).where(QuizSlot.quiz_id == quiz.id)))
    rows = _bank_question_rows(quiz.bank, [i for i in question_ids if i not in present])
    position = _next_position(quiz)
    slots = []
    for offset, row in enumerate(rows):
        slots.append(
            QuizSlot(quiz_id=quiz.id, position=position + offset, question_id=row.id, random_count=1)
        )
    db.session.add_all(slots)
    audit.record(
        "quiz.questions_added",
        actor=actor,
        scope_type="question_bank",
        scope_id=quiz.bank_id,
        object_type="quiz",
        object_id=quiz.id,
        details={"question_ids": [r.id for r in rows]},
    )
    db.session.commit()
    return slots


def add_random_slot(quiz: Quiz, category_id: int, count: int, *, actor: User | None) -> QuizSlot:
    """A slot drawing `count` questions from a category, a fresh draw for each attempt."""
    _refuse_if_attempted(quiz)
    category = db.session.get(QuestionCategory, category_id)
    if category is None or category.bank_id != quiz.bank_id:
        raise Invalid(_("Unknown category."), {"category_id": _("Unknown category.")})
    available = (
        db.session.scalar(
            select(func.count())
            .select_from(Question)
            .where(
                Question.category_id == category_id,
                Question.hidden.is_(False),
                Question.type != "description",
            )
        )
        or 0
    )
    if not 1 <= count <= available:
        message = _("The category has %(n)s questions: draw from 1 to %(n)s.", n=available)
        raise Invalid(message, {"random_count": message})
    slot = QuizSlot(
        quiz_id=quiz.id, position=_next_position(quiz), category_id=category_id, random_count=count
    )
    db.session.add(slot)
    db.session.flush()
    audit.record(
        "quiz.random_slot_added",
        actor=actor,
        scope_type="question_bank",
        scope_id=quiz.bank_id,
        object_type="quiz",
        object_id=quiz.id,
        details={"category_id": category_id, "count": count},
    )
    db.session.commit()
    return slot


def remove_slot(slot: QuizSlot, *, actor: User | None) -> None:
    """Remove a slot and close the gap in the numbering (refused once attempted)."""
    quiz = db.session.get(Quiz, slot.quiz_id)
    assert quiz is not None
    _refuse_if_attempted(quiz)
    db.session.delete(slot)
    db.session.flush()
    _renumber(quiz)
    audit.record(
        "quiz.slot_removed",
        actor=actor,
        scope_type="question_bank",
        scope_id=quiz.bank_id,
        object_type="quiz",
        object_id=quiz.id,
    )
    db.session.commit()


def move_slot(slot: QuizSlot, offset: int, *, actor: User | None) -> None:
    """Swap a slot with its neighbour above (-1) or below (+1)."""
    quiz = db.session.get(Quiz, slot.quiz_id)
    assert quiz is not None
    _refuse_if_attempted(quiz)
    slots = quiz_slots(quiz)
    index = next(i for i, s in enumerate(slots) if s.id == slot.id)
    other = index + (1 if offset > 0 else -1)
    if not 0 <= other < len(slots):
        return
    slots[index], slots[other] = slots[other], slots[index]
    _renumber(quiz, slots)
    db.session.commit()


def _renumber(quiz: Quiz, slots: list[QuizSlot] | None = None) -> None:
    slots = slots if slots is not None else quiz_slots(quiz)
    for i, s in enumerate(slots):  # two passes: positions are unique per quiz
        s.position = -(i + 1)
    db.session.flush()
    for i, s in enumerate(slots):
        s.position = i + 1
    db.session.flush()
