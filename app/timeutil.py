"""Time in one place: UTC for storage, the user's or contest's zone for display."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, available_timezones

DEFAULT_TIMEZONE = "Europe/Moscow"


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


def common_timezones() -> list[str]:
    """Russian zones first (the network's users), then the rest alphabetically."""
    russian = [
        "Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk",
        "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok",
        "Asia/Magadan", "Asia/Kamchatka",
    ]
    rest = sorted(z for z in _timezones() if z not in russian and "/" in z and not z.startswith("Etc/"))
    return russian + rest + ["UTC"]


def to_zone(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def parse_local(value: datetime | None, zone: str) -> datetime | None:
    """A naive datetime typed into a form, read in `zone`, returned as aware UTC (None stays None)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    return value.astimezone(UTC)


def to_form_time(value: datetime | None, zone: str) -> datetime | None:
    """A stored UTC moment as the naive local time a datetime-local field shows (None stays None)."""
    return to_zone(value, zone).replace(tzinfo=None) if value is not None else None
