"""Quiz pages: the question picker — a teacher finds questions by words, category and type (named
in Russian), ticks them and sees how many are picked and their total marks. A plain form without
JavaScript: the «Найти» button resubmits the whole form by GET, so the settings typed so far and the
questions ticked on another page of results stay (static/js/quiz.js only keeps the count live)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select

from app.extensions import db
from app.pagination import Page, paginate
from app.quiz.type_names import TYPE_LABELS
from courses.quiz.banks import category_paths
from courses.quiz.models import Question, QuestionBank
from courses.quiz.picking import ROW_COLUMNS, PickerRow, picker_rows, question_mark

#: Results per picker page: the page stays short on a phone, the query bounded whatever the bank.
PER_PAGE = 25
#: At most this many already-picked questions are carried between picker pages.
MAX_PICKED = 500


@dataclass
class Picker:
    """One page of matching questions and what the form carries: filters, picks, exclusions."""

    page: Page[Any]
    rows: list[PickerRow]
    search: str
    kind: str
    category_id: int
    categories: dict[int, str]
    types: dict[str, Any]
    picked: list[int]
    picked_marks: dict[int, Decimal]

    @property
    def hidden_picked(self) -> list[int]:
        """Picked questions not on this page of results (sent again as hidden fields)."""
        shown = {row.id for row in self.rows}
        return [i for i in self.picked if i not in shown]

    @property
    def total_marks(self) -> Decimal:
        return sum(self.picked_marks.values(), Decimal(0))


def _name_matches(search: str) -> Any:
    """The name contains the words whatever their case: ILIKE (PostgreSQL folds Cyrillic), and the
    usual spellings of the words for SQLite, whose case folding knows only Latin letters."""
    spellings = {search, search.lower(), search.capitalize(), search.upper()}
    return or_(
        Question.name.ilike("%" + _escaped(search) + "%", escape="\\"),
        *(Question.name.contains(s, autoescape=True) for s in spellings),
    )


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _ids(raw: list[str]) -> list[int]:
    seen: list[int] = []
    for value in raw[:MAX_PICKED]:
        if value.isdigit() and int(value) not in seen:
            seen.append(int(value))
    return seen


def build_picker(
    bank: QuestionBank, args: Any, *, exclude: set[int] | frozenset[int] = frozenset()
) -> Picker:
    """The picker for `bank` from the request's fields (`q`, `type`, `category`, `page`,
    `question_ids`); `exclude` hides questions already in the quiz. Three queries whatever the bank."""
    search = (args.get("q") or "").strip()[:100]
    kind = args.get("type") or ""
    kind = kind if kind in TYPE_LABELS else ""
    category_id = args.get("category", 0, type=int) or 0
    picked = [i for i in _ids(args.getlist("question_ids")) if i not in exclude]
    query = select(*ROW_COLUMNS).where(Question.bank_id == bank.id, Question.hidden.is_(False))
    if exclude:
        query = query.where(Question.id.not_in(exclude))
    if search:
        query = query.where(_name_matches(search))
    if kind:
        query = query.where(Question.type == kind)
    if category_id:
        query = query.where(Question.category_id == category_id)
    page = max(1, args.get("page", 1, type=int) or 1)
    listing = paginate(query.order_by(Question.name, Question.id), page, PER_PAGE, scalars=False)
    paths = category_paths(bank.id)
    rows = picker_rows(listing.items, paths)
    marks = {row.id: row.mark for row in rows if row.id in picked}
    missing = [i for i in picked if i not in marks]
    if missing:
        found = db_rows(bank, missing)
        marks.update({r.id: question_mark(r) for r in found})
        picked = [i for i in picked if i in marks]
    return Picker(listing, rows, search, kind, category_id, paths, TYPE_LABELS, picked, marks)


def db_rows(bank: QuestionBank, ids: list[int]) -> list[Any]:
    """The picked questions that are not on the shown page (unknown or hidden ones drop out)."""
    return list(
        db.session.execute(
            select(Question.id, Question.type, Question.data).where(
                Question.bank_id == bank.id, Question.hidden.is_(False), Question.id.in_(ids)
            )
        ).all()
    )
