"""One pagination for HTML lists and API lists: two queries (the page and the count) at any size."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from app.extensions import db

T = TypeVar("T")

# The last page anyone may ask for: keeps OFFSET (page × per_page) inside a 64-bit integer, which
# both databases need; a larger ?page= is read as this one (HTML) or refused with a 422 (API).
MAX_PAGE = 1_000_000


@dataclass
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(query: Select[Any], page: int, per_page: int, *, scalars: bool = True) -> Page[Any]:
    """`query` must have a deterministic ORDER BY; the count ignores it."""
    page = min(max(1, page), MAX_PAGE)
    per_page = max(1, per_page)
    count_query = select(func.count()).select_from(query.order_by(None).subquery())
    total = db.session.scalar(count_query) or 0
    paged = query.limit(per_page).offset((page - 1) * per_page)
    items = list(db.session.scalars(paged)) if scalars else list(db.session.execute(paged).all())
    return Page(items=items, page=page, per_page=per_page, total=total)


def page_args(args: Any, default_per_page: int = 50, max_per_page: int = 200) -> tuple[int, int]:
    """Read ?page= and ?per_page= leniently for HTML (bad values fall back to defaults)."""
    try:
        page = min(max(1, int(args.get("page", 1))), MAX_PAGE)
    except (TypeError, ValueError):
        page = 1
    try:
        per_page = min(max_per_page, max(1, int(args.get("per_page", default_per_page))))
    except (TypeError, ValueError):
        per_page = default_per_page
    return page, per_page
