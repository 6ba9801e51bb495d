"""Questions as a picker lists them — name, type, category path and marks — for the quiz room's
picker (app/quiz/picker.py) and the course's quiz item form (app/courses/item_editor.py), so both
count a quiz's marks by one rule (a description carries none, an unreadable mark counts as 1)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from app.extensions import db
from courses.quiz.banks import category_paths
from courses.quiz.models import Question

#: The columns a picker row is read from (the question's data only for its mark).
ROW_COLUMNS = (Question.id, Question.name, Question.type, Question.category_id, Question.data)


@dataclass(frozen=True)
class PickerRow:
    id: int
    name: str
    type: str
    category: str
    mark: Decimal


def question_mark(row: Any) -> Decimal:
    """A question's marks from a row with `type` and `data`: none for a description, else the stored
    default mark (1 when absent or unreadable)."""
    if row.type == "description":
        return Decimal(0)
    try:
        return Decimal(str((row.data or {}).get("default_mark", "1")))
    except InvalidOperation:
        return Decimal(1)


def picker_rows(rows: Iterable[Any], paths: dict[int, str]) -> list[PickerRow]:
    """Rows read with ROW_COLUMNS as picker rows, their categories named by `paths` («—» for none)."""
    return [PickerRow(r.id, r.name, r.type, paths.get(r.category_id, "—"), question_mark(r)) for r in rows]


def bank_rows(bank_id: int) -> list[PickerRow]:
    """Every visible question of a bank, by name (the course's quiz item form lists them all and
    filters in the browser), in two queries whatever the bank holds."""
    rows = db.session.execute(
        select(*ROW_COLUMNS)
        .where(Question.bank_id == bank_id, Question.hidden.is_(False))
        .order_by(Question.name, Question.id)
    ).all()
    return picker_rows(rows, category_paths(bank_id))
