"""Jury scoring: criteria, mark validation, juror totals, entry aggregation and display (pure rules)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal, DivisionByZero, Inexact, InvalidOperation, Overflow, localcontext
from enum import StrEnum
from fractions import Fraction

Number = int | Decimal | Fraction

#: Any rounding in this context raises instead of happening silently: totals are exact or fail.
_EXACT = Context(prec=200, traps=[Inexact, InvalidOperation, Overflow, DivisionByZero])


class MarkError(ValueError):
    """A juror's marks are invalid; `errors` maps each criterion name to its message (for logs), and
    `codes` to its reason's code (`unknown_criterion`, `not_a_number`, `below_zero`,
    `above_maximum`, `missing`), which a messages module turns into the form's text."""

    def __init__(self, errors: dict[str, str], codes: dict[str, str] | None = None) -> None:
        self.errors = dict(errors)
        self.codes = dict(codes or {})
        super().__init__("; ".join(f"{name}: {message}" for name, message in self.errors.items()))


class Aggregation(StrEnum):
    """How jurors' totals become an entry's score."""

    MEAN = "mean"
    MEDIAN = "median"
    TRIMMED_MEAN = "trimmed_mean"
    SUM = "sum"


def to_fraction(value: object, *, name: str = "value") -> Fraction:
    """Convert an int, Decimal, Fraction, decimal string or float to an exact Fraction.

    Why: rule parameters (percentages, thresholds) arrive from JSON as floats or strings; converting a
    float through its shortest repr (`33.3` → 333/10) keeps what the organiser typed, not the binary
    approximation. Booleans, NaN and infinities are refused with a ValueError naming `name`.
    """
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if isinstance(value, Fraction | int):
        return Fraction(value)
    if isinstance(value, float | str):
        try:
            value = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError(f"{name} must be a number, got {value!r}") from None
    if isinstance(value, Decimal) and value.is_finite():
        return Fraction(value)
    raise ValueError(f"{name} must be a finite number, got {value!r}")


@dataclass(frozen=True, slots=True)
class Criterion:
    """A jury criterion: marks go from 0 to `max_points`; the juror's total weighs each by `weight`."""

    name: str
    max_points: Decimal
    weight: Decimal = Decimal(1)

    def __post_init__(self) -> None:
        if not self.name or not self.name.strip():
            raise ValueError("a criterion needs a name")
        for field in ("max_points", "weight"):
            value = getattr(self, field)
            exact = to_fraction(value, name=f"{self.name}.{field}")
            object.__setattr__(self, field, _as_decimal(exact, f"{self.name}.{field}"))
        if self.max_points <= 0:
            raise ValueError(f"{self.name}: max_points must be above 0")
        if self.weight < 0:
            raise ValueError(f"{self.name}: weight must not be negative")


def _as_decimal(value: Fraction, name: str) -> Decimal:
    try:
        with localcontext(_EXACT):
            return Decimal(value.numerator) / Decimal(value.denominator)
    except Inexact:
        raise ValueError(f"{name} must be a decimal number, got {value}") from None


def _parse_mark(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float | str):
        try:
            value = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            return None
    if isinstance(value, Decimal) and value.is_finite():
        return value
    return None


def validate_marks(
    criteria: Sequence[Criterion], marks: Mapping[str, object], *, complete: bool = True
) -> dict[str, Decimal]:
    """Check a juror's marks and return them as Decimals, in the criteria's order.

    Every problem is collected before raising `MarkError`, one message per criterion name: not a
    number, below 0, above the criterion's maximum, unknown criterion and (when `complete`) a
    missing criterion. `complete=False` lets a juror save a draft with some criteria left empty.
    Strings accept a decimal comma ("7,5"), which Russian keyboards type.
    """
    by_name = {criterion.name: criterion for criterion in criteria}
    if len(by_name) != len(criteria):
        raise ValueError("criterion names must be unique")
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}
    parsed: dict[str, Decimal] = {}
    for name, raw in marks.items():
        criterion = by_name.get(name)
        if criterion is None:
            errors[name], codes[name] = "unknown criterion", "unknown_criterion"
            continue
        value = _parse_mark(raw)
        if value is None:
            errors[name], codes[name] = "not a number", "not_a_number"
        elif value < 0:
            errors[name], codes[name] = "must not be below 0", "below_zero"
        elif value > criterion.max_points:
            errors[name], codes[name] = f"must not be above {criterion.max_points}", "above_maximum"
        else:
            parsed[name] = value
    if complete:
        for name in by_name:
            if name not in marks:
                errors[name], codes[name] = "missing", "missing"
    if errors:
        raise MarkError(errors, codes)
    return {name: parsed[name] for name in by_name if name in parsed}


def juror_total(criteria: Sequence[Criterion], marks: Mapping[str, Decimal]) -> Decimal:
    """Return a juror's total for one entry: the weighted sum of their (validated) criterion marks.

    Computed in Decimal with every rounding trapped, so the total is exact. A missing criterion
    raises `MarkError`: a partial total would rank an unfinished score as if it were final.
    """
    total = Decimal(0)
    with localcontext(_EXACT):
        for criterion in criteria:
            try:
                total += criterion.weight * marks[criterion.name]
            except KeyError:
                raise MarkError({criterion.name: "missing"}, {criterion.name: "missing"}) from None
    return total


def max_total(criteria: Sequence[Criterion]) -> Decimal:
    """The highest total a juror can give (each criterion at its maximum), used by award thresholds."""
    with localcontext(_EXACT):
        return sum((criterion.weight * criterion.max_points for criterion in criteria), Decimal(0))


def _exact_sum(values: Iterable[Number]) -> Fraction:
    decimals: list[Decimal | int] = []
    fractions: list[Fraction] = []
    for value in values:
        if isinstance(value, Fraction):
            fractions.append(value)
        else:
            decimals.append(value)
    with localcontext(_EXACT):
        decimal_sum = sum(decimals, Decimal(0))
    return Fraction(decimal_sum) + sum(fractions, Fraction(0))


def aggregate(totals: Sequence[Number], method: Aggregation | str) -> Fraction:
    """Combine jurors' totals into the entry's score, exactly, as a Fraction.

    `mean`: the average; `median`: the middle total, or the mean of the two middle ones for an even
    count; `trimmed_mean`: drop one highest and one lowest total, then average, when there are at
    least 3 jurors (with 1 or 2 there is nothing to trim, so it is the mean); `sum`: the sum. An
    entry with no totals has no score (ValueError): the caller reports it as blocked instead.
    """
    method = Aggregation(method)
    count = len(totals)
    if count == 0:
        raise ValueError("no juror totals to aggregate")
    if method is Aggregation.SUM:
        return _exact_sum(totals)
    if method is Aggregation.MEAN or (method is Aggregation.TRIMMED_MEAN and count < 3):
        return _exact_sum(totals) / count
    ordered = sorted(totals)
    if method is Aggregation.TRIMMED_MEAN:
        return _exact_sum(ordered[1:-1]) / (count - 2)
    middle = count // 2
    if count % 2:
        return Fraction(ordered[middle])
    return _exact_sum(ordered[middle - 1 : middle + 1]) / 2


def entry_score(
    criteria: Sequence[Criterion],
    marks_by_juror: Mapping[int, Mapping[str, Decimal]],
    method: Aggregation | str,
) -> Fraction:
    """An entry's score from each juror's validated marks: juror totals, then `aggregate`."""
    return aggregate([juror_total(criteria, marks) for marks in marks_by_juror.values()], method)


def spread(totals: Sequence[Number]) -> Fraction:
    """The gap between the highest and the lowest juror total; a wide gap asks for a second look."""
    if not totals:
        raise ValueError("no juror totals to compare")
    return Fraction(max(totals)) - Fraction(min(totals))


def is_disagreement(totals: Sequence[Number], threshold: Number) -> bool:
    """True when jurors' totals differ by strictly more than `threshold` (flagged for the organiser)."""
    return spread(totals) > to_fraction(threshold, name="threshold")


def display(score: Number) -> str:
    """Format a score with exactly 2 decimal places, rounding half up (away from zero): 2.345 → "2.35".

    The only place a score is rounded; ranking and advancement always use the exact value. Integer
    arithmetic on the Fraction avoids Decimal's context precision limit for long fractions.
    """
    exact = to_fraction(score, name="score")
    hundredths, remainder = divmod(abs(exact.numerator) * 100, exact.denominator)
    if 2 * remainder >= exact.denominator:
        hundredths += 1
    digits = str(hundredths).rjust(3, "0")
    sign = "-" if exact < 0 and hundredths else ""
    return f"{sign}{digits[:-2]}.{digits[-2:]}"
