"""Academic years (pure): September to August in Europe/Moscow, named by their first calendar year
(2025 is 2025/26, 1 Sep 2025 00:00 MSK – 31 Aug 2026 24:00 MSK). The compute jobs turn a timestamp
into its year in SQL with the boundaries made here, so both databases agree with Python."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

SCHOOL_ZONE = ZoneInfo("Europe/Moscow")
FIRST_YEAR = 2000  # the network's records start later; older years are refused as typos
# ASCII digits only: «２０２５» (full-width) is refused like any other text.
_LABEL = re.compile(r"^\s*(\d{4})\s*(?:[/–-]\s*(\d{2}|\d{4}))?\s*$", re.ASCII)


class YearError(ValueError):
    """A year that is not a number or a «2025/26» label, or outside FIRST_YEAR..the current year."""

    code = "bad_year"


def academic_year(moment: datetime) -> int:
    """The academic year a moment belongs to (by the clock in Moscow)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(SCHOOL_ZONE)
    return local.year if local.month >= 9 else local.year - 1


def year_start(year: int) -> datetime:
    """The first moment of an academic year, in UTC (1 September 00:00 in Moscow)."""
    return datetime(year, 9, 1, tzinfo=SCHOOL_ZONE).astimezone(UTC)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """[start, end) of an academic year in UTC."""
    return year_start(year), year_start(year + 1)


def year_label(year: int) -> str:
    """«2025/26»."""
    return f"{year}/{(year + 1) % 100:02d}"


def parse_year(text: str | int | None, *, current: int) -> int:
    """A request's year: empty → the current one; 2025, «2025», «2025/26», «2025-2026» → 2025.
    The second half of a label must be the next year; the year must lie in FIRST_YEAR..current."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return current
    if isinstance(text, int):
        year = text
    else:
        match = _LABEL.match(text)
        if not match:
            raise YearError(text)
        year = int(match.group(1))
        second = match.group(2)
        if second is not None:
            expected = year + 1 if len(second) == 4 else (year + 1) % 100
            if int(second) != expected:
                raise YearError(text)
    if not FIRST_YEAR <= year <= current:
        raise YearError(str(text))
    return year


def years_between(first: int, last: int) -> list[int]:
    """Every academic year from first to last inclusive (empty when first > last)."""
    return list(range(first, last + 1))
