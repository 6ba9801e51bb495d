"""Time in one place: UTC for storage, the user's or contest's zone for display."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, available_timezones

from app.domain_errors import Invalid
from app.i18n import _

DEFAULT_TIMEZONE = "Europe/Moscow"
# The years a typed or posted moment may fall in: far enough from datetime's own limits (years 1
# and 9999) that converting between zones or adding days and hours never overflows.
MIN_YEAR = 1900
MAX_YEAR = 2199


def utcnow() -> datetime:
    """The current moment, aware, in UTC. The only clock the web shell reads."""
    return datetime.now(UTC)


def is_valid_timezone(name: str) -> bool:
    return name in _timezones()


_TZ_CACHE: frozenset[str] | None = None


def _timezones() -> frozenset[str]:
    global _TZ_CACHE
    if _TZ_CACHE is None:
        _TZ_CACHE = frozenset(available_timezones())
    return _TZ_CACHE


def to_zone(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def in_range(moment: date) -> bool:
    """Whether a date or moment (aware ones counted in UTC) lies within MIN_YEAR…MAX_YEAR."""
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        try:
            moment = moment.astimezone(UTC)
        except OverflowError:  # 9999-12-31T23:00-12:00 is past datetime's last UTC moment
            return False
    return MIN_YEAR <= moment.year <= MAX_YEAR


def out_of_range_message() -> str:
    return _("Must be a date between the years %(lo)s and %(hi)s.", lo=MIN_YEAR, hi=MAX_YEAR)


def parse_local(value: datetime | None, zone: str) -> datetime | None:
    """A naive datetime typed into a form, read in `zone`, returned as aware UTC (None stays None).
    A moment outside the accepted years is refused (Invalid, 422) rather than overflowing."""
    if value is None:
        return None
    if not in_range(value):
        raise Invalid(out_of_range_message())
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    return value.astimezone(UTC)


def to_form_time(value: datetime | None, zone: str) -> datetime | None:
    """A stored UTC moment as the naive local time a datetime-local field shows (None stays None)."""
    return to_zone(value, zone).replace(tzinfo=None) if value is not None else None
