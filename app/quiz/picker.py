"""Quiz pages: the question picker — a teacher finds questions by words, category and type (named
in Russian), ticks them and sees how many are picked and their total marks. A plain form without
JavaScript: «Найти» and the page buttons post the whole form back, so the settings typed so far and
the questions ticked on another page of results stay (static/js/quiz.js only keeps the count live).
The picker itself is courses/quiz/picking.py, shared with the course's quiz item form."""

from __future__ import annotations

from typing import Any

from app.quiz.type_names import TYPE_LABELS
from courses.quiz.models import QuestionBank
from courses.quiz.picking import MAX_PICKED, PER_PAGE, Picker
from courses.quiz.picking import build_picker as _build

__all__ = ["MAX_PICKED", "PER_PAGE", "Picker", "build_picker"]


def build_picker(
    bank: QuestionBank, args: Any, *, exclude: set[int] | frozenset[int] = frozenset()
) -> Picker:
    """The quiz room's picker: the bank's questions, types named in the reader's language, the
    ticked ids under `question_ids`."""
    return _build(bank.id, args, types=TYPE_LABELS, field="question_ids", exclude=exclude)
