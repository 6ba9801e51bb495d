"""Quiz room: a tutor's marking — grading an essay (or overriding a mark), regrading a question's
answers after an edit, and the queue of answers waiting. Touches quiz_answer and quiz_attempt totals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select, update

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from courses.quiz.attempts import grade_one
from courses.quiz.bank_questions import load_question
from courses.quiz.grade_keys import user_grades_key
from courses.quiz.models import AttemptState, Question, QuizAnswer, QuizAttempt


def _recompute(attempt_id: int) -> None:
    totals = db.session.execute(
        select(
            func.coalesce(func.sum(QuizAnswer.points), 0),
            func.count().filter(QuizAnswer.needs_grading.is_(True)),
        ).where(QuizAnswer.attempt_id == attempt_id)
    ).one()
    db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt_id)
        .values(score=Decimal(str(totals[0])), needs_grading=bool(totals[1]))
        .execution_options(synchronize_session=False)
    )


def grade_answer(
    answer: QuizAnswer, points: Decimal, comment: str, *, actor: User | None, now: datetime
) -> QuizAnswer:
    """A tutor's mark for one answer (an essay, or an override): 0..the question's mark."""
    attempt = db.session.get(QuizAttempt, answer.attempt_id)
    assert attempt is not None
    if attempt.state != AttemptState.FINISHED:
        raise Conflict(_("The attempt is still in progress."))
    if not Decimal(points).is_finite() or not Decimal(0) <= Decimal(points) <= answer.max_mark:
        message = _("Give from 0 to %(max)s points.", max=format(answer.max_mark.normalize(), "f"))
        raise Invalid(message, {"points": message})
    answer.points = Decimal(points)
    answer.fraction = str(Fraction(Decimal(points)) / Fraction(answer.max_mark)) if answer.max_mark else "0"
    answer.needs_grading = False
    answer.comment = comment.strip()
    answer.graded_by_id = actor.id if actor is not None else None
    answer.graded_at = now
    db.session.flush()
    _recompute(attempt.id)
    audit.record(
        "quiz.answer_graded",
        actor=actor,
        scope_type="quiz",
        scope_id=attempt.quiz_id,
        object_type="quiz_answer",
        object_id=answer.id,
        details={"points": str(points)},
    )
    bump(user_grades_key(attempt.user_id))
    db.session.commit()
    return answer


@dataclass(frozen=True)
class RegradeChange:
    """One answer whose points a regrade changed (for the tutor's report)."""

    attempt_id: int
    user_id: int
    slot: int
    old_points: Decimal | None
    new_points: Decimal


def regrade_question(row: Question, *, actor: User | None) -> list[RegradeChange]:
    """Regrade every finished attempt's answer to this question with its current version; hand
    grades stay. Returns what changed (attempt, student, old → new points)."""
    question = load_question(row)
    found = db.session.execute(
        select(QuizAnswer, QuizAttempt.user_id)
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .where(
            QuizAnswer.question_id == row.id,
            QuizAttempt.state == AttemptState.FINISHED,
            QuizAnswer.graded_by_id.is_(None),
        )
        .order_by(QuizAnswer.attempt_id)
    ).all()
    changes = []
    touched: set[int] = set()
    for answer, user_id in found:
        fraction, points, needs, feedback = grade_one(question, answer.max_mark, answer.answer)
        if answer.points is None or Decimal(answer.points) != points or answer.needs_grading != needs:
            changes.append(RegradeChange(answer.attempt_id, user_id, answer.slot, answer.points, points))
            touched.add(answer.attempt_id)
        answer.fraction, answer.points, answer.needs_grading, answer.feedback = (
            str(fraction),
            points,
            needs,
            feedback,
        )
    db.session.flush()
    for attempt_id in sorted(touched):
        _recompute(attempt_id)
    audit.record(
        "quiz.question_regraded",
        actor=actor,
        scope_type="question_bank",
        scope_id=row.bank_id,
        object_type="question",
        object_id=row.id,
        details={"version": row.version, "answers": len(found), "changed": len(changes)},
    )
    bump(*(user_grades_key(change.user_id) for change in changes))
    db.session.commit()
    return changes


def grading_queue(quiz_ids: Iterable[int]) -> Any:
    """Answers waiting for a tutor (a query for pagination, oldest first)."""
    return (
        select(QuizAnswer)
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .where(
            QuizAttempt.quiz_id.in_(list(quiz_ids)),
            QuizAttempt.state == AttemptState.FINISHED,
            QuizAnswer.needs_grading.is_(True),
        )
        .order_by(QuizAttempt.finished_at, QuizAnswer.id)
    )
