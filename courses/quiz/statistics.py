"""Per-question statistics of a quiz: facility (share of the mark earned) and the distribution of
the answers given, read in one query over finished attempts."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sqlalchemy import select

from app.extensions import db
from courses.quiz import questions
from courses.quiz.models import AttemptState, Question, QuizAnswer, QuizAttempt


@dataclass
class QuestionStats:
    question_id: int
    name: str
    type: str
    answered: int = 0
    facility: Fraction | None = None
    distribution: list[tuple[str, int]] = field(default_factory=list)


def describe_answer(question: questions.Question, answer: Any) -> str:
    """A stored answer in words (choice texts instead of ids), for tutors' pages."""
    if answer is None:
        return "—"
    try:
        if isinstance(question, questions.SingleChoice):
            return next((c.text for c in question.choices if c.id == int(answer)), str(answer))
        if isinstance(question, questions.MultipleChoice):
            chosen = {int(a) for a in answer}
            return "; ".join(c.text for c in question.choices if c.id in chosen) or "—"
        if isinstance(question, questions.TrueFalse):
            return "true" if answer else "false"
        if isinstance(question, questions.Matching):
            right = {r.id: r.text for r in question.right}
            left = {item.id: item.text for item in question.left}
            return "; ".join(f"{left.get(int(k), k)} → {right.get(int(v), v)}" for k, v in sorted(answer.items()))
        if isinstance(question, questions.Cloze):
            parts = []
            for number, value in sorted(answer.items(), key=lambda kv: int(kv[0])):
                gap = question.gaps[int(number) - 1]
                if isinstance(gap, questions.ChoiceGap):
                    value = next((c.text for c in gap.choices if c.id == int(value)), value)
                parts.append(f"{number}: {value}")
            return "; ".join(parts)
    except (TypeError, ValueError, AttributeError, IndexError):
        return json.dumps(answer, ensure_ascii=False)
    return str(answer)


def quiz_statistics(quiz_id: int, *, top: int = 8) -> list[QuestionStats]:
    """Facility and the most frequent answers per question, over finished attempts."""
    from courses.quiz.services import load_question

    rows = db.session.execute(
        select(QuizAnswer.question_id, QuizAnswer.answer, QuizAnswer.fraction, QuizAnswer.needs_grading, Question)
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .join(Question, Question.id == QuizAnswer.question_id)
        .where(QuizAttempt.quiz_id == quiz_id, QuizAttempt.state == AttemptState.FINISHED)
        .order_by(QuizAnswer.slot, QuizAnswer.question_id)).all()
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
