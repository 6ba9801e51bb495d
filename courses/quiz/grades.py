"""Quiz room: grades read from finished attempts — the quiz grade by its grading method (for the
gradebook) and the standing attempt of each student (for contest rankings). Reads only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.extensions import db
from courses.quiz import grading, rules
from courses.quiz.models import AttemptState, Quiz, QuizAttempt


def _finished_rows(quiz_ids: list[int], user_ids: list[int] | None) -> Any:
    query = (
        select(
            QuizAttempt.quiz_id,
            QuizAttempt.user_id,
            QuizAttempt.number,
            QuizAttempt.score,
            QuizAttempt.max_score,
            QuizAttempt.started_at,
            QuizAttempt.finished_at,
            Quiz.grading_method,
            Quiz.max_grade,
        )
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .where(QuizAttempt.quiz_id.in_(quiz_ids), QuizAttempt.state == AttemptState.FINISHED)
        .order_by(QuizAttempt.quiz_id, QuizAttempt.user_id, QuizAttempt.number)
    )
    if user_ids is not None:
        query = query.where(QuizAttempt.user_id.in_(user_ids))
    return db.session.execute(query).all()


def quiz_grades(
    quiz_ids: Iterable[int], user_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], Decimal]:
    """(quiz id, user id) → the quiz grade by its grading method (2 places), in one query."""
    ids = list(quiz_ids)
    if not ids:
        return {}
    grouped: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for row in _finished_rows(ids, list(user_ids) if user_ids is not None else None):
        grouped[(row.quiz_id, row.user_id)].append(row)
    grades = {}
    for key, rows in grouped.items():
        attempts = [
            rules.FinishedAttempt(r.number, Decimal(r.score or 0), Decimal(r.max_score)) for r in rows
        ]
        value = rules.quiz_grade(attempts, str(rows[0].grading_method), Decimal(rows[0].max_grade))
        if value is not None:
            grades[key] = value
    return grades


@dataclass(frozen=True)
class AttemptResult:
    """The attempt that stands for a student in a ranking: its grade (exact when it terminates,
    else to 7 places), the quiz's maximum, time used and when it finished."""

    user_id: int
    grade: Decimal
    max_grade: Decimal
    time_used_seconds: int
    finished_at: datetime


def attempt_results(quiz_id: int) -> list[AttemptResult]:
    """Each student's standing attempt in a contest round: the grade by the quiz's grading method
    (the same pure rule as the gradebook's, unrounded) and the time the standing attempt took."""
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in _finished_rows([quiz_id], None):
        grouped[row.user_id].append(row)
    results = []
    for user_id, rows in grouped.items():
        method = str(rows[0].grading_method)
        attempts = [
            rules.FinishedAttempt(r.number, Decimal(r.score or 0), Decimal(r.max_score)) for r in rows
        ]
        number = rules.graded_attempt_number(attempts, method)
        chosen = next(r for r in rows if r.number == number)
        max_grade = Decimal(rows[0].max_grade)
        exact = rules.exact_quiz_grade(attempts, method, max_grade)
        assert exact is not None  # a user is grouped here only with a finished attempt
        grade = grading.mark(Decimal(1), exact)
        used = int((chosen.finished_at - chosen.started_at).total_seconds()) if chosen.finished_at else 0
        results.append(AttemptResult(user_id, grade, max_grade, max(0, used), chosen.finished_at))
    return sorted(results, key=lambda r: r.user_id)


def attempt_grade_value(attempt: QuizAttempt, quiz: Quiz) -> Decimal | None:
    """One attempt's points on the quiz's grade scale (2 places); None while it is ungraded."""
    if attempt.score is None:
        return None
    return rules.to_decimal(
        rules.attempt_grade(Decimal(attempt.score), Decimal(attempt.max_score), Decimal(quiz.max_grade))
    )
