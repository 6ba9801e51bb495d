"""Quiz pages: loading a bank, question, quiz or attempt for the page that asks (404 when missing,
403 when the bank is not the viewer's to manage), and the category list their forms share."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user

from app.extensions import db
from app.forms_common import select_options
from app.i18n import _
from app.permissions import require
from app.permissions.quiz import can_manage_bank, can_manage_quiz, can_view_attempt
from courses.quiz.attempts import get_attempt
from courses.quiz.banks import category_paths
from courses.quiz.models import Question, QuestionBank, Quiz, QuizAttempt


def managed_bank(bank_id: int) -> QuestionBank:
    bank = db.get_or_404(QuestionBank, bank_id)
    require(can_manage_bank(current_user, bank))
    return bank


def managed_question(question_id: int) -> tuple[Question, QuestionBank]:
    row = db.get_or_404(Question, question_id)
    return row, managed_bank(row.bank_id)


def managed_quiz(quiz_id: int) -> Quiz:
    quiz = db.get_or_404(Quiz, quiz_id)
    require(can_manage_quiz(current_user, quiz))
    return quiz


def visible_attempt(attempt_id: int) -> tuple[QuizAttempt, Quiz]:
    """The attempt if the viewer may see it; anyone else's is a 404 (its existence is not theirs)."""
    found = get_attempt(attempt_id)
    if found is None or not can_view_attempt(current_user, found[0], found[1]):
        abort(404)
    return found


def category_choices(bank: QuestionBank, blank: str | bool | None = None) -> list[Any]:
    """The bank's categories by path; `blank` labels the "none" entry (False: no such entry)."""
    paths = category_paths(bank.id)
    first = [(0, blank or _("— no category —"))] if blank is not False else []
    return select_options(first + list(paths.items()))
