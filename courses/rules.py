"""Course rules, pure: completion, locking, visibility, submission timing, rubrics, the gradebook.

No Flask, no database: services load facts, these functions decide, services write.
Numbers are exact (Decimal in, Fraction for aggregates); rounding happens only for display.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from math import gcd
from typing import Any


class RuleError(ValueError):
    """A rule said no. `code` names which rule (courses/messages.py turns it into text), `field` the
    input it concerns, `params` the values the text needs: callers never match English words."""

    def __init__(self, code: str, field: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params


# --- visibility -------------------------------------------------------------------------------


def is_visible(hidden: bool, visible_from: datetime | None, now: datetime) -> bool:
    """Hidden wins; otherwise an item or module appears once its date has come."""
    if hidden:
        return False
    return visible_from is None or visible_from <= now


# --- completion and locking -------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFacts:
    """What is known about one item for one student."""

    item_id: int
    rule: str  # CompletionRule value: none, viewed, submitted, graded
    completion_points: Decimal | None = None
    prerequisite_id: int | None = None
    viewed: bool = False
    submitted: bool = False
    points: Decimal | None = None


def is_required(facts: ItemFacts) -> bool:
    """An item counts towards course completion when it has a completion rule."""
    return facts.rule != "none"


def is_complete(facts: ItemFacts) -> bool:
    """`viewed` needs a view; `submitted` a hand-in; `graded` a grade of at least the threshold
    (no threshold: any grade). An item without a rule counts as complete once viewed, so that a
    prerequisite on it still means something."""
    if facts.rule == "viewed":
        return facts.viewed
    if facts.rule == "submitted":
        return facts.submitted
    if facts.rule == "graded":
        if facts.points is None:
            return False
        return facts.completion_points is None or facts.points >= facts.completion_points
    return facts.viewed or facts.submitted or facts.points is not None


@dataclass(frozen=True)
class Progress:
    complete: dict[int, bool]
    locked_by: dict[int, int]  # item id → the prerequisite item id still to complete
    done: int
    required: int

    @property
    def percent(self) -> int:
        """Whole percent for the progress bar (floored, so 100 means truly complete)."""
        return 100 * self.done // self.required if self.required else 0

    @property
    def course_complete(self) -> bool:
        """Every required item complete; a course with no required item is never "complete"."""
        return self.required > 0 and self.done == self.required


def progress(items: Sequence[ItemFacts]) -> Progress:
    """Completion of every item, which items are locked by an incomplete prerequisite, and the count."""
    complete = {f.item_id: is_complete(f) for f in items}
    locked_by = {
        f.item_id: f.prerequisite_id
        for f in items
        if f.prerequisite_id is not None and f.prerequisite_id in complete and not complete[f.prerequisite_id]
    }
    required = [f for f in items if is_required(f)]
    done = sum(1 for f in required if complete[f.item_id])
    return Progress(complete=complete, locked_by=locked_by, done=done, required=len(required))


# --- assignments ------------------------------------------------------------------------------


class Timing(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    CLOSED = "closed"


def submission_timing(now: datetime, due_at: datetime | None, cutoff_at: datetime | None) -> Timing:
    """After the cut-off nothing is accepted; after the due date it is accepted and marked late."""
    if cutoff_at is not None and now > cutoff_at:
        return Timing.CLOSED
    if due_at is not None and now > due_at:
        return Timing.LATE
    return Timing.ON_TIME


class Status(StrEnum):
    NOT_SUBMITTED = "not_submitted"
    SUBMITTED = "submitted"
    LATE = "late"
    GRADED = "graded"


def submission_status(submitted: bool, late: bool, graded: bool) -> Status:
    """The status a tutor filters by: a grade wins over lateness."""
    if not submitted:
        return Status.NOT_SUBMITTED
    if graded:
        return Status.GRADED
    return Status.LATE if late else Status.SUBMITTED


class RubricError(RuleError):
    """A rubric or a rubric grading that does not hold together."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, "rubric", **params)


def check_rubric(rubric: Any) -> list[dict[str, Any]]:
    """Normalise a rubric: non-empty criteria names, at least one level each, points ≥ 0."""
    if not isinstance(rubric, list):
        raise RubricError("rubric_not_a_list")
    clean: list[dict[str, Any]] = []
    names: set[str] = set()
    for criterion in rubric:
        if not isinstance(criterion, dict):
            raise RubricError("criterion_not_an_object")
        name = str(criterion.get("name", "")).strip()
        levels = criterion.get("levels")
        if not name:
            raise RubricError("criterion_without_name")
        if name in names:
            raise RubricError("criterion_twice", criterion=name)
        names.add(name)
        if not isinstance(levels, list) or not levels:
            raise RubricError("criterion_without_levels", criterion=name)
        clean_levels = []
        for level in levels:
            if not isinstance(level, dict):
                raise RubricError("level_not_an_object", criterion=name)
            points = to_decimal(level.get("points"))
            if points is None or points < 0:
                raise RubricError("level_points_invalid", criterion=name)
            clean_levels.append({"label": str(level.get("label", "")).strip(), "points": str(points)})
        clean.append({"name": name, "levels": clean_levels})
    return clean


def rubric_max(rubric: Sequence[Mapping[str, Any]]) -> Decimal:
    """The most a rubric can give: the best level of every criterion."""
    return sum((max(Decimal(str(lv["points"])) for lv in c["levels"]) for c in rubric), Decimal(0))


def rubric_points(rubric: Sequence[Mapping[str, Any]], chosen: Mapping[str, int]) -> Decimal:
    """The sum of the chosen level of every criterion; every criterion must have a valid level."""
    total = Decimal(0)
    for criterion in rubric:
        index = chosen.get(criterion["name"])
        if not isinstance(index, int) or not 0 <= index < len(criterion["levels"]):
            raise RubricError("rubric_level_missing", criterion=criterion["name"])
        total += Decimal(str(criterion["levels"][index]["points"]))
    return total


def check_points(points: Decimal, max_points: Decimal) -> None:
    """Points a tutor gives lie within 0 and the assignment's maximum."""
    if points < 0 or points > max_points:
        raise RuleError("points_out_of_range", "points", max=max_points)


def to_decimal(value: Any) -> Decimal | None:
    """A number as people type it ("7,5" too); None for anything else, infinities and NaN included."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


# --- gradebook --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeCell:
    points: Decimal | None
    max_points: Decimal
    weight: Decimal
    overridden: bool = False


def course_total(cells: Iterable[GradeCell], missing: str) -> Fraction | None:
    """Weighted mean of the item percentages, in percent (exact).

    `missing` is "zero" (an item without a grade counts as 0 %) or "exclude" (it is left out of
    both sums). Items with weight 0 or max 0 never count. None when nothing counts.
    Integer numerators and denominators instead of Fraction objects: the gradebook computes this
    for every row, and Fraction's per-operation normalisation was most of its time."""
    num, den = 0, 1  # Σ weight × points / max
    wnum, wden = 0, 1  # Σ weight
    for cell in cells:
        if cell.weight <= 0 or cell.max_points <= 0:
            continue
        wn, wd = cell.weight.as_integer_ratio()
        if cell.points is None:
            if missing == "exclude":
                continue
        else:
            pn, pd = cell.points.as_integer_ratio()
            mn, md = cell.max_points.as_integer_ratio()
            tn, td = wn * pn * md, wd * pd * mn
            num, den = num * td + tn * den, den * td
            common = gcd(num, den)
            num, den = num // common, den // common
        wnum, wden = wnum * wd + wn * wden, wden * wd
        common = gcd(wnum, wden)
        wnum, wden = wnum // common, wden // common
    if wnum == 0:
        return None
    return Fraction(num * wden * 100, den * wnum)


def display(value: Fraction | Decimal | None, places: int = 1) -> str:
    """Round half up for display only."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else value
    return str(number.quantize(quantum, rounding="ROUND_HALF_UP"))


# --- ordering ---------------------------------------------------------------------------------


def move(ids: Sequence[int], moving: int, direction: str) -> list[int]:
    """The order after moving one element up or down by one place (unchanged at the ends)."""
    order = list(ids)
    if moving not in order:
        raise RuleError("not_in_order", "id")
    index = order.index(moving)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
    return order
