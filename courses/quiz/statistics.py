"""Per-question statistics of a quiz: facility (share of the mark earned) and the distribution of
the answers given, read in one query over finished attempts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from sqlalchemy import select

from app.extensions import db
from courses.quiz.answer_words import describe_answer
from courses.quiz.bank_questions import load_question
from courses.quiz.models import AttemptState, Question, QuizAnswer, QuizAttempt


@dataclass
class QuestionStats:
    """One question's answers over finished attempts: how many, facility, most frequent answers."""

    question_id: int
    name: str
    type: str
    answered: int = 0
    facility: Fraction | None = None
    distribution: list[tuple[str, int]] = field(default_factory=list)


def quiz_statistics(quiz_id: int, *, top: int = 8) -> list[QuestionStats]:
    """Facility and the most frequent answers per question, over finished attempts."""
    rows = db.session.execute(
        select(
            QuizAnswer.question_id, QuizAnswer.answer, QuizAnswer.fraction, QuizAnswer.needs_grading, Question
        )
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .join(Question, Question.id == QuizAnswer.question_id)
        .where(QuizAttempt.quiz_id == quiz_id, QuizAttempt.state == AttemptState.FINISHED)
        .order_by(QuizAnswer.slot, QuizAnswer.question_id)
    ).all()
    stats: dict[int, QuestionStats] = {}
    sums: dict[int, Fraction] = {}
    graded: dict[int, int] = {}
    counters: dict[int, Counter[str]] = {}
    for question_id, answer, fraction, needs_grading, row in rows:
        if question_id not in stats:
            stats[question_id] = QuestionStats(question_id, row.name, row.type)
            sums[question_id], graded[question_id], counters[question_id] = Fraction(0), 0, Counter()
        item = stats[question_id]
        item.answered += answer is not None
        if fraction is not None and not needs_grading:
            sums[question_id] += Fraction(fraction)
            graded[question_id] += 1
        counters[question_id][describe_answer(load_question(row), answer)] += 1
    for question_id, item in stats.items():
        item.facility = sums[question_id] / graded[question_id] if graded[question_id] else None
        item.distribution = counters[question_id].most_common(top)
    return list(stats.values())
