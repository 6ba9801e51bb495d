"""Jury room, pure rule: read a stage's jury spec (criteria, aggregation, blind mode, jurors per
entry) from plain values. No database, no Flask, no translations: problems are codes by field,
which `contest_engine.jury.messages` turns into text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from contest_engine.rules.scoring import Aggregation

MAX_CRITERIA = 30
MAX_NAME = 200


@dataclass(frozen=True)
class Problem:
    """One refusal: a code `messages` knows, and the values its text needs."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)


class SpecError(ValueError):
    """Every problem of a spec at once, by field path (`criteria.0.name`), for a form or the API."""

    def __init__(self, problems: dict[str, Problem]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{name}: {problem.code}" for name, problem in self.problems.items()))


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    max_points: Decimal
    weight: Decimal
    description: str = ""
    levels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class JurySpec:
    criteria: tuple[CriterionSpec, ...]
    aggregation: Aggregation = Aggregation.MEAN
    jurors_per_entry: int | None = None
    blind: bool = False
    disagreement_threshold: Decimal | None = None
    scoring_due_at: datetime | None = None


def points(raw: object, *, positive: bool = False) -> Decimal | None:
    """A number with at most 2 decimal places (what the points column stores), or None when it is not one."""
    if isinstance(raw, bool) or raw is None:
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")) or value < 0:
        return None
    if positive and value == 0:
        return None
    if abs(value) >= Decimal(10) ** 6:
        return None
    return value


def _time(raw: object) -> datetime | None | bool:
    """An aware datetime from a datetime or ISO text; False when unreadable or naive."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        try:
            raw = datetime.fromisoformat(raw)
        except ValueError:
            return False
    if not isinstance(raw, datetime) or raw.tzinfo is None:
        return False
    return raw.astimezone(UTC)


def parse_levels(text: str) -> tuple[tuple[str, str], ...]:
    """Level descriptions typed one per line as "points: what it means" (or "points — …")."""
    levels = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        for separator in (":", "—", "-", "–"):
            if separator in line:
                mark, meaning = line.split(separator, 1)
                levels.append((mark.strip(), meaning.strip()))
                break
        else:
            levels.append(("", line))
    return tuple(levels)


def _criterion(
    item: object, prefix: str, seen: set[str], problems: dict[str, Problem]
) -> CriterionSpec | None:
    if not isinstance(item, Mapping):
        problems[prefix] = Problem("not_an_object")
        return None
    name = str(item.get("name") or "").strip()
    if not name:
        problems[f"{prefix}.name"] = Problem("criterion_name_required")
    elif len(name) > MAX_NAME:
        problems[f"{prefix}.name"] = Problem("too_long", {"n": MAX_NAME})
    elif name in seen:
        problems[f"{prefix}.name"] = Problem("criterion_name_duplicate")
    seen.add(name)
    max_points = points(item.get("max_points"), positive=True)
    if max_points is None:
        problems[f"{prefix}.max_points"] = Problem("points_positive")
    weight_raw = item.get("weight", 1)
    weight = points(1 if weight_raw is None else weight_raw)
    if weight is None:
        problems[f"{prefix}.weight"] = Problem("points_not_negative")
    levels_raw = item.get("levels") or []
    levels: list[tuple[str, str]] = []
    if isinstance(levels_raw, str):
        levels = list(parse_levels(levels_raw))
    elif isinstance(levels_raw, list | tuple):
        levels = [
            (str(level.get("points", "")), str(level.get("text", "")))
            for level in levels_raw
            if isinstance(level, Mapping)
        ]
    else:
        problems[f"{prefix}.levels"] = Problem("not_a_list")
    if max_points is None or weight is None or not name:
        return None
    return CriterionSpec(name, max_points, weight, str(item.get("description") or ""), tuple(levels))


def parse_spec(spec: Mapping[str, Any]) -> JurySpec:
    """Check the API's "jury" object; every problem is reported by field path in one SpecError.

    Points and weights are checked to the column's precision here (2 decimal places), so a spec
    that parses is one the database can store exactly."""
    problems: dict[str, Problem] = {}
    raw_criteria = spec.get("criteria")
    criteria: list[CriterionSpec] = []
    if not isinstance(raw_criteria, list) or not raw_criteria:
        problems["criteria"] = Problem("criteria_required")
    elif len(raw_criteria) > MAX_CRITERIA:
        problems["criteria"] = Problem("criteria_too_many", {"n": MAX_CRITERIA})
    else:
        seen: set[str] = set()
        for index, item in enumerate(raw_criteria):
            parsed = _criterion(item, f"criteria.{index}", seen, problems)
            if parsed is not None:
                criteria.append(parsed)
    try:
        aggregation = Aggregation(spec.get("aggregation") or "mean")
    except ValueError:
        problems["aggregation"] = Problem("one_of", {"values": "mean, median, trimmed_mean, sum"})
        aggregation = Aggregation.MEAN
    per_entry = spec.get("jurors_per_entry")
    if per_entry is not None and (
        isinstance(per_entry, bool) or not isinstance(per_entry, int) or per_entry < 1
    ):
        problems["jurors_per_entry"] = Problem("jurors_per_entry")
    blind = spec.get("blind", False)
    if not isinstance(blind, bool):
        problems["blind"] = Problem("not_a_boolean")
    threshold_raw = spec.get("disagreement_threshold")
    threshold = None if threshold_raw is None else points(threshold_raw)
    if threshold_raw is not None and threshold is None:
        problems["disagreement_threshold"] = Problem("points_not_negative")
    due = _time(spec.get("scoring_due_at"))
    if due is False:
        problems["scoring_due_at"] = Problem("iso_time")
    if problems:
        raise SpecError(problems)
    return JurySpec(
        tuple(criteria),
        aggregation,
        per_entry,
        bool(blind),
        threshold,
        due if isinstance(due, datetime) else None,
    )
