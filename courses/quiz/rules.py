"""Quiz engine, pure rules of attempts: the deadline, the grade by grading method, when a review
may be seen. Plain values in, plain values out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any


@dataclass(frozen=True)
class FinishedAttempt:
    """What the grading method needs of one finished attempt."""

    number: int
    score: Decimal
    max_score: Decimal


def attempt_deadline(
    started_at: datetime, time_limit_minutes: int | None, closes_at: datetime | None, cap: datetime | None
) -> datetime | None:
    """The earliest of start + time limit, the quiz's close and the owner's cap (a contest stage's
    close); None when nothing limits the attempt."""
    limits = [
        moment
        for moment in (
            started_at + timedelta(minutes=time_limit_minutes) if time_limit_minutes else None,
            closes_at,
            cap,
        )
        if moment is not None
    ]
    return min(limits) if limits else None


def attempt_grade(score: Decimal, max_score: Decimal, max_grade: Decimal) -> Fraction:
    """The attempt's points scaled to the quiz's maximum grade (exact)."""
    if max_score <= 0:
        return Fraction(0)
    return Fraction(score) / Fraction(max_score) * Fraction(max_grade)


def exact_quiz_grade(attempts: Sequence[FinishedAttempt], method: str, max_grade: Decimal) -> Fraction | None:
    """The quiz grade by the grading method (highest, average, first, last), exact.

    The one place the methods are defined: the gradebook rounds it (`quiz_grade`), contest
    rankings use it as it is."""
    if not attempts:
        return None
    ordered = sorted(attempts, key=lambda a: a.number)
    grades = [attempt_grade(a.score, a.max_score, max_grade) for a in ordered]
    if method == "highest":
        return max(grades)
    if method == "average":
        return sum(grades, Fraction(0)) / len(grades)
    if method == "first":
        return grades[0]
    if method == "last":
        return grades[-1]
    raise ValueError(f"unknown grading method {method!r}")


def quiz_grade(attempts: Sequence[FinishedAttempt], method: str, max_grade: Decimal) -> Decimal | None:
    """The quiz grade by the grading method, to 2 places.

    Why 2 places: the gradebook shows and sums grades as decimals; ranking code that needs exact
    values calls `exact_quiz_grade` itself.
    """
    value = exact_quiz_grade(attempts, method, max_grade)
    return None if value is None else to_decimal(value)


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
    best = max(
        ordered,
        key=lambda a: (
            Fraction(a.score) / Fraction(a.max_score) if a.max_score > 0 else Fraction(0),
            -a.number,
        ),
    )
    return best.number


def to_decimal(value: Fraction, places: int = 2) -> Decimal:
    """A fraction rounded half up to `places` decimals, as grades are shown and summed."""
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum, rounding=ROUND_HALF_UP)


def review_open(when: str, finished: bool, closes_at: datetime | None, now: datetime) -> bool:
    """Whether a student may see the review of their attempt now."""
    if not finished or when == "never":
        return False
    if when == "after_close":
        return closes_at is not None and now >= closes_at
    return True


def ran_out_of_time(deadline: datetime | None, finished_at: datetime | None) -> bool:
    """Whether an attempt was finished by its clock rather than by the student: finishing stamps
    the earlier of the moment and the deadline, so a clock finish lands exactly on the deadline."""
    return deadline is not None and finished_at is not None and finished_at >= deadline


def is_open(opens_at: datetime | None, closes_at: datetime | None, now: datetime) -> bool:
    """Whether the quiz's window holds `now` (opens inclusive, closes exclusive)."""
    return (opens_at is None or now >= opens_at) and (closes_at is None or now < closes_at)


GRADING_METHODS = ("highest", "average", "first", "last")
REVIEW_WHEN = ("immediately", "after_close", "never")


def settings_problems(values: dict[str, Any]) -> dict[str, str]:
    """What is wrong with a quiz's settings, as {field: code} (empty when they are fine). Only the
    settings present in `values` are checked; courses/quiz/messages.py words the codes."""
    problems: dict[str, str] = {}
    if "title" in values and not str(values["title"] or "").strip():
        problems["title"] = "no_title"
    opens, closes = values.get("opens_at"), values.get("closes_at")
    if opens and closes and closes <= opens:
        problems["closes_at"] = "closes_before_opens"
    limit = values.get("time_limit_minutes")
    if limit is not None and not (0 < limit <= 10_000):
        problems["time_limit_minutes"] = "time_limit_range"
    allowed = values.get("attempts_allowed")
    if allowed is not None and not (0 < allowed <= 1000):
        problems["attempts_allowed"] = "attempts_range"
    if "grading_method" in values and values["grading_method"] not in GRADING_METHODS:
        problems["grading_method"] = "unknown_grading_method"
    if "review_when" in values and values["review_when"] not in REVIEW_WHEN:
        problems["review_when"] = "unknown_review_option"
    grade = values.get("max_grade")
    if "max_grade" in values and (
        grade is None or not Decimal(grade).is_finite() or not 0 < Decimal(grade) <= 100_000
    ):
        problems["max_grade"] = "max_grade_range"
    return problems
