"""Quiz room: drawing an attempt's questions (fixed slots, random picks from categories, the
shuffle) and the attempt's items as pages and the API show them. Reads questions only; the start
(courses/quiz/attempts.py) writes the drawn rows and shows them without reading them back."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, bindparam, select

from app.extensions import db
from courses.quiz import grading, questions
from courses.quiz.bank_questions import load_question
from courses.quiz.models import Question, Quiz, QuizAnswer, QuizSlot
from courses.quiz.student_view import public_view


@dataclass
class AttemptItem:
    """One slot of an attempt as pages and the API show it."""

    slot: int
    answer_row: QuizAnswer
    row: Question
    question: questions.AnyQuestion
    view: dict[str, Any]


@dataclass(frozen=True)
class Drawn:
    """One drawn question: its row, the decoded question, its mark and whether it is graded."""

    row: Question
    question: questions.AnyQuestion
    mark: Decimal
    graded: bool


_SLOTS = (
    select(QuizSlot.question_id, QuizSlot.category_id, QuizSlot.random_count, QuizSlot.mark)
    .where(QuizSlot.quiz_id == bindparam("quiz_id"))
    .order_by(QuizSlot.position)
)


def draw(quiz: Quiz, seed: int) -> list[Drawn]:
    """The attempt's questions: fixed slots as they are, random slots drawn with the attempt's seed,
    shuffled when the quiz says so."""
    rng = random.Random(seed)
    slots = db.session.execute(_SLOTS, {"quiz_id": quiz.id}).all()  # plain rows: no objects to build
    fixed_ids = [s.question_id for s in slots if s.question_id is not None]
    category_ids = [s.category_id for s in slots if s.category_id is not None]
    query = select(Question).where(Question.id.in_(fixed_ids))
    if category_ids:
        query = select(Question).where(
            (Question.id.in_(fixed_ids))
            | (
                and_(
                    Question.category_id.in_(category_ids),
                    Question.hidden.is_(False),
                    Question.type != "description",
                )
            )
        )
    rows = {q.id: q for q in db.session.scalars(query.order_by(Question.id))}
    used = set(fixed_ids)
    picked: list[tuple[Question, Decimal | None]] = []
    for slot in slots:
        if slot.question_id is not None:
            picked.append((rows[slot.question_id], slot.mark))
            continue
        pool = [q for q in rows.values() if q.category_id == slot.category_id and q.id not in used]
        for question in rng.sample(pool, min(slot.random_count, len(pool))):
            used.add(question.id)
            picked.append((question, slot.mark))
    if quiz.shuffle_questions:
        rng.shuffle(picked)
    drawn = []
    for row, mark in picked:
        decoded = load_question(row)
        graded = grading.is_graded(decoded)
        chosen = (mark if mark is not None else decoded.default_mark) if graded else Decimal(0)
        drawn.append(Drawn(row, decoded, chosen, graded))
    return drawn


def item(
    slot: int, answer_row: QuizAnswer, row: Question, question: Any, seed: int, quiz: Quiz
) -> AttemptItem:
    """A slot as shown: the public view of its question, choices shuffled per attempt and slot."""
    shuffle_seed = seed + slot if quiz.shuffle_answers else None
    return AttemptItem(slot, answer_row, row, question, public_view(question, shuffle_seed=shuffle_seed))
