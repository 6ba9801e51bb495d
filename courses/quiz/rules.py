"""Quiz engine, pure rules of attempts: the deadline, the grade by grading method, when a review
may be seen. Plain values in, plain values out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


@dataclass(frozen=True)
class FinishedAttempt:
    """What the grading method needs of one finished attempt."""

    number: int
    score: Decimal
    max_score: Decimal


def attempt_deadline(started_at: datetime, time_limit_minutes: int | None,
                     closes_at: datetime | None, cap: datetime | None) -> datetime | None:
    """The earliest of start + time limit, the quiz's close and the owner's cap (a contest stage's
    close); None when nothing limits the attempt."""
    limits = [moment for moment in (
        started_at + timedelta(minutes=time_limit_minutes) if time_limit_minutes else None,
        closes_at,
        cap,
    ) if moment is not None]
    return min(limits) if limits else None


def attempt_grade(score: Decimal, max_score: Decimal, max_grade: Decimal) -> Fraction:
    """The attempt's points scaled to the quiz's maximum grade (exact)."""
    if max_score <= 0:
        return Fraction(0)
    return Fraction(score) / Fraction(max_score) * Fraction(max_grade)


def quiz_grade(attempts: Sequence[FinishedAttempt], method: str, max_grade: Decimal) -> Decimal | None:
    """The quiz grade by the grading method (highest, average, first, last), to 2 places.

    Why 2 places: the gradebook shows and sums grades as decimals; ranking code that needs exact
    values calls `attempt_grade` itself.
    """
    if not attempts:
        return None
    ordered = sorted(attempts, key=lambda a: a.number)
    grades = [attempt_grade(a.score, a.max_score, max_grade) for a in ordered]
    if method == "highest":
        value = max(grades)
    elif method == "average":
        value = sum(grades, Fraction(0)) / len(grades)
    elif method == "first":
        value = grades[0]
    elif method == "last":
        value = grades[-1]
    else:
        raise ValueError(f"unknown grading method {method!r}")
    return to_decimal(value)


def graded_attempt_number(attempts: Sequence[FinishedAttempt], method: str) -> int | None:
    """Which attempt stands for the student (for ranking by time): the best for highest and
    average, else the first or the last."""
    if not attempts:
        return None
    ordered = sorted(attempts, key=lambda a: a.number)
    if method == "first":
        return ordered[0].number
    if method == "last":
        return ordered[-1].number
    best = max(ordered, key=lambda a: (Fraction(a.score) / Fraction(a.max_score) if a.max_score > 0
                                        else Fraction(0), -a.number))
    return best.number


def to_decimal(value: Fraction, places: int = 2) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum, rounding=ROUND_HALF_UP)


def review_open(when: str, finished: bool, closes_at: datetime | None, now: datetime) -> bool:
    """Whether a student may see the review of their attempt now."""
    if not finished or when == "never":
        return False
    if when == "after_close":
        return closes_at is not None and now >= closes_at
    return True


def is_open(opens_at: datetime | None, closes_at: datetime | None, now: datetime) -> bool:
    return (opens_at is None or now >= opens_at) and (closes_at is None or now < closes_at)
