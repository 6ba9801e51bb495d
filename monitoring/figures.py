"""Figures of the reports (pure): which counts each report sums and which shares it derives, and
the share rule itself — a Decimal with four places, 0 when there is nothing to divide by (an empty
school, district or year is a row of zeros, never a division by zero)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from monitoring.report_shape import Figure

PLACES = Decimal("0.0001")
ZERO = Decimal("0.0000")

# The counts each report sums from its summary table, in the order they are shown.
COUNTS: dict[str, tuple[str, ...]] = {
    "qualification": ("teachers", "courses_completed", "hours", "teachers_with_course_3y"),
    "olympiads": ("participants", "advanced", "winners", "prize_winners", "laureates"),
    "teacher_contests": ("participants", "advanced", "winners", "prize_winners", "laureates"),
    "activity": (
        "teachers",
        "publications",
        "comments",
        "forum_posts",
        "events_held",
        "events_attended",
        "association_members",
        "active_teachers",
    ),
}

# Shares: key -> (numerator counts, denominator count).
SHARES: dict[str, dict[str, tuple[tuple[str, ...], str]]] = {
    "qualification": {"course_3y_share": (("teachers_with_course_3y",), "teachers")},
    "olympiads": {
        "awarded_share": (("winners", "prize_winners", "laureates"), "participants"),
        "advanced_share": (("advanced",), "participants"),
    },
    "teacher_contests": {
        "awarded_share": (("winners", "prize_winners", "laureates"), "participants"),
        "advanced_share": (("advanced",), "participants"),
    },
    "activity": {"activity_index": (("active_teachers",), "teachers")},
}


def share(part: int, whole: int) -> Decimal:
    """part ÷ whole to four places (half up); 0 when whole is 0."""
    if not whole:
        return ZERO
    return (Decimal(part) / Decimal(whole)).quantize(PLACES, rounding=ROUND_HALF_UP)


def complete(report: str, counts: Mapping[str, int | None]) -> dict[str, Figure]:
    """Every count of the report (missing ones 0) followed by its shares."""
    figures: dict[str, Figure] = {key: int(counts.get(key) or 0) for key in COUNTS[report]}
    for key, (parts, whole) in SHARES[report].items():
        numerator = sum(int(figures[p]) for p in parts)
        figures[key] = share(numerator, int(figures[whole]))
    return figures


def add_up(report: str, rows: Iterable[Mapping[str, Figure]]) -> dict[str, Figure]:
    """The totals of several rows: counts summed, shares derived again from the sums (a share of
    shares would weigh a village school like a gymnasium)."""
    sums = dict.fromkeys(COUNTS[report], 0)
    for row in rows:
        for key in sums:
            sums[key] += int(row.get(key) or 0)
    return complete(report, sums)
