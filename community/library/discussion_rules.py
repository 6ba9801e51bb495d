"""Pure rules of a material's discussion: comment text, threading, the edit window, stars, the
average shown beside them. Plain values in, plain values out; refusals are RuleErrors with a code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from community.rules import RuleError, bounded_text

COMMENT_MAX_CHARS = 5000
REASON_MAX_CHARS = 500
EDIT_WINDOW = timedelta(minutes=30)
STARS_MIN, STARS_MAX = 1, 5


def comment_text(text: object) -> str:
    """The comment as stored: stripped, not empty, at most COMMENT_MAX_CHARS characters."""
    return bounded_text(text, field="text", limit=COMMENT_MAX_CHARS, empty="comment_empty")


def reason_text(text: object, *, required: bool) -> str:
    """A moderator's reason for hiding (required) or a reader's reason for a report (optional)."""
    return bounded_text(text, field="reason", limit=REASON_MAX_CHARS, required=required)


@dataclass(frozen=True)
class ParentFacts:
    """What the threading rule needs to know of the comment being replied to."""

    material_id: int
    parent_id: int | None


def thread_root(material_id: int, parent_id: int | None, parent: ParentFacts | None) -> int | None:
    """The top comment a new comment hangs under (threads are one level deep).

    No parent: a top comment (None). A reply to a reply attaches to that reply's top comment, as a
    reader who pressed «Ответить» under a reply expects. A parent that does not exist or belongs to
    another material is refused the same way, so a reply cannot probe other materials' comments."""
    if parent_id is None:
        return None
    if parent is None or parent.material_id != material_id:
        raise RuleError("parent_unknown", "parent_id")
    return parent.parent_id if parent.parent_id is not None else parent_id


def may_edit_until(created_at: datetime) -> datetime:
    return created_at + EDIT_WINDOW


def within_edit_window(created_at: datetime, now: datetime) -> bool:
    return now <= may_edit_until(created_at)


def check_edit_window(created_at: datetime, now: datetime) -> None:
    if not within_edit_window(created_at, now):
        raise RuleError("edit_window_closed", "text", minutes=int(EDIT_WINDOW.total_seconds() // 60))


def stars(value: object) -> int:
    """A whole number of stars 1..5; a string, a float or a boolean is refused, not coerced."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError("stars_range", "stars", low=STARS_MIN, high=STARS_MAX)
    if not STARS_MIN <= value <= STARS_MAX:
        raise RuleError("stars_range", "stars", low=STARS_MIN, high=STARS_MAX)
    return value


def average(rating_sum: int, ratings_count: int) -> Decimal | None:
    """The average rating to two places (4.67), or None while nobody has rated."""
    if ratings_count <= 0:
        return None
    return (Decimal(rating_sum) / Decimal(ratings_count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def filled_stars(value: Decimal | None) -> int:
    """How many whole stars to draw for an average (4.67 → 5, 4.49 → 4, none → 0)."""
    if value is None:
        return 0
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
