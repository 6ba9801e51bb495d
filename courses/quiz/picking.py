"""The question picker shared by the quiz room (app/quiz/picker.py) and the course's quiz item form
(app/courses/item_editor.py): one page of a bank's questions found by words, category and type,
each row with its name, an excerpt of its text, its category and marks, and the questions ticked on
other pages carried along. Both count a quiz's marks by one rule (a description carries none, an
unreadable mark counts as 1). The web layers pass the type names in their reader's language."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import or_, select

from app.extensions import db
from app.i18n import lazy_ as _l
from app.pagination import Page, paginate
from courses.quiz.banks import category_paths
from courses.quiz.models import Question

#: The columns a picker row is read from (the question's data for its mark and its excerpt).
ROW_COLUMNS = (Question.id, Question.name, Question.type, Question.category_id, Question.data)
#: Results per picker page: the page stays short on a phone, the query bounded whatever the bank.
PER_PAGE = 25
#: At most this many already-picked questions are carried between picker pages.
MAX_PICKED = 500
#: An excerpt's length in characters: a line under the name, enough to tell «Дроби-1» from «Дроби-2».
EXCERPT_CHARS = 80

#: Question types by the names a teacher knows, for a picker whose web layer may not import the quiz
#: room's (app/quiz/type_names.py holds the same msgids for the quiz room's own pages).
TYPE_NAMES = {
    "single": _l("Single choice"),
    "multiple": _l("Multiple choice"),
    "truefalse": _l("True/false"),
    "shortanswer": _l("Short answer"),
    "numerical": _l("Numerical"),
    "matching": _l("Matching"),
    "essay": _l("Essay"),
    "cloze": _l("Embedded answers (cloze)"),
    "description": _l("Description"),
}

_BLOCK_TAG = re.compile(r"</?(p|br|div|li|ul|ol|tr|td|th|h[1-6]|table|blockquote)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
#: Emphasis and code marks at a word's edge (not «2*3»), heading, quote and list marks at a line's start.
_MARKS = re.compile(r"(?<!\w)[*_`]+(?=\w)|(?<=[\w.?!])[*_`]+(?!\w)|^\s*(#+|>|[-+*]|\d+\.)\s+", re.M)
_GAP = re.compile(r"\{#\d+\}")


@dataclass(frozen=True)
class PickerRow:
    id: int
    name: str
    type: str
    category: str
    mark: Decimal
    excerpt: str = ""


@dataclass
class Picker:
    """One page of matching questions and what the form carries: filters, picks, exclusions."""

    page: Page[Any]
    rows: list[PickerRow]
    search: str
    kind: str
    category_id: int
    categories: dict[int, str]
    types: Mapping[str, Any]
    picked: list[int]
    picked_marks: dict[int, Decimal]
    field: str = "question_ids"

    @property
    def hidden_picked(self) -> list[int]:
        """Picked questions not on this page of results (sent again as hidden fields)."""
        shown = {row.id for row in self.rows}
        return [i for i in self.picked if i not in shown]

    @property
    def total_marks(self) -> Decimal:
        return sum(self.picked_marks.values(), Decimal(0))


def question_mark(row: Any) -> Decimal:
    """A question's marks from a row with `type` and `data`: none for a description, else the stored
    default mark (1 when absent or unreadable)."""
    if row.type == "description":
        return Decimal(0)
    try:
        return Decimal(str((row.data or {}).get("default_mark", "1")))
    except InvalidOperation:
        return Decimal(1)


def excerpt(text: Any, size: int = EXCERPT_CHARS) -> str:
    """The question's text as one short plain line: tags and Markdown marks dropped, a cloze gap as
    «…», entities decoded, cut at a word with «…» when longer than `size`."""
    if not isinstance(text, str):
        return ""
    plain = _TAG.sub("", _BLOCK_TAG.sub(" ", text))
    plain = _MARKS.sub("", _GAP.sub("…", _LINK.sub(lambda m: m.group(1), plain)))
    plain = " ".join(html.unescape(plain).split())
    if len(plain) <= size:
        return plain
    cut = plain[: size - 1].rsplit(" ", 1)[0] if " " in plain[: size - 1] else plain[: size - 1]
    return cut.rstrip(" ,.;:—-") + "…"


def picker_rows(rows: Iterable[Any], paths: dict[int, str]) -> list[PickerRow]:
    """Rows read with ROW_COLUMNS as picker rows, their categories named by `paths` («—» for none)."""
    return [
        PickerRow(
            r.id,
            r.name,
            r.type,
            paths.get(r.category_id, "—"),
            question_mark(r),
            excerpt((r.data or {}).get("text")),
        )
        for r in rows
    ]


def _name_matches(search: str) -> Any:
    """The name contains the words whatever their case: ILIKE (PostgreSQL folds Cyrillic), and the
    usual spellings of the words for SQLite, whose case folding knows only Latin letters."""
    spellings = {search, search.lower(), search.capitalize(), search.upper()}
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(
        Question.name.ilike("%" + escaped + "%", escape="\\"),
        *(Question.name.contains(s, autoescape=True) for s in spellings),
    )


def _ids(raw: list[str]) -> list[int]:
    seen: list[int] = []
    for value in raw[:MAX_PICKED]:
        if str(value).isdigit() and int(value) not in seen:
            seen.append(int(value))
    return seen


def build_picker(
    bank_id: int,
    args: Any,
    *,
    types: Mapping[str, Any],
    field: str = "question_ids",
    exclude: set[int] | frozenset[int] = frozenset(),
) -> Picker:
    """The picker for a bank from the request's fields (`q`, `type`, `category`, `page` and the
    ticked ids under `field`); `types` names the types a teacher may filter by, in the reader's
    language; `exclude` hides questions already in the quiz. Four queries whatever the bank."""
    search = (args.get("q") or "").strip()[:100]
    kind = args.get("type") or ""
    kind = kind if kind in types else ""
    category_id = args.get("category", 0, type=int) or 0
    picked = [i for i in _ids(args.getlist(field)) if i not in exclude]
    query = select(*ROW_COLUMNS).where(Question.bank_id == bank_id, Question.hidden.is_(False))
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
    paths = category_paths(bank_id)
    rows = picker_rows(listing.items, paths)
    marks = {row.id: row.mark for row in rows if row.id in picked}
    missing = [i for i in picked if i not in marks]
    if missing:
        marks.update({r.id: question_mark(r) for r in _picked_rows(bank_id, missing)})
        picked = [i for i in picked if i in marks]
    return Picker(listing, rows, search, kind, category_id, paths, types, picked, marks, field)


def _picked_rows(bank_id: int, ids: list[int]) -> list[Any]:
    """The picked questions that are not on the shown page (unknown or hidden ones drop out)."""
    return list(
        db.session.execute(
            select(Question.id, Question.type, Question.data).where(
                Question.bank_id == bank_id, Question.hidden.is_(False), Question.id.in_(ids)
            )
        ).all()
    )
