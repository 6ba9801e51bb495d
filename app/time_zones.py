"""Time zones as people name them: «Самара (UTC+4)» instead of `Europe/Samara`.

A teacher knows their city, not the IANA database. The list holds Russia's eleven zones (named by
the city the zone is known by) and the neighbours the network works with; a zone stored earlier
that is not in the list is still offered, under its IANA name, so editing never loses it.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from app.i18n import lazy_
from app.timeutil import DEFAULT_TIMEZONE, utcnow

CITY_ZONES = (
    ("Europe/Kaliningrad", lazy_("Kaliningrad")),
    ("Europe/Moscow", lazy_("Moscow")),
    ("Europe/Volgograd", lazy_("Volgograd")),
    ("Europe/Samara", lazy_("Samara")),
    ("Europe/Saratov", lazy_("Saratov")),
    ("Europe/Ulyanovsk", lazy_("Ulyanovsk")),
    ("Asia/Yekaterinburg", lazy_("Yekaterinburg")),
    ("Asia/Omsk", lazy_("Omsk")),
    ("Asia/Novosibirsk", lazy_("Novosibirsk")),
    ("Asia/Barnaul", lazy_("Barnaul")),
    ("Asia/Tomsk", lazy_("Tomsk")),
    ("Asia/Krasnoyarsk", lazy_("Krasnoyarsk")),
    ("Asia/Irkutsk", lazy_("Irkutsk")),
    ("Asia/Chita", lazy_("Chita")),
    ("Asia/Yakutsk", lazy_("Yakutsk")),
    ("Asia/Vladivostok", lazy_("Vladivostok")),
    ("Asia/Sakhalin", lazy_("Yuzhno-Sakhalinsk")),
    ("Asia/Magadan", lazy_("Magadan")),
    ("Asia/Kamchatka", lazy_("Petropavlovsk-Kamchatsky")),
    ("Europe/Minsk", lazy_("Minsk")),
    ("Asia/Almaty", lazy_("Almaty")),
    ("Asia/Tashkent", lazy_("Tashkent")),
    ("Asia/Bishkek", lazy_("Bishkek")),
    ("Asia/Yerevan", lazy_("Yerevan")),
    ("UTC", lazy_("Coordinated Universal Time")),
)
_NAMES = dict(CITY_ZONES)


def utc_offset(zone: str, at: datetime | None = None) -> str:
    """«UTC+4», «UTC+5:30», «UTC» for the zone's offset at `at` (now by default)."""
    delta = (at or utcnow()).astimezone(ZoneInfo(zone)).utcoffset()
    minutes = int(delta.total_seconds() // 60) if delta else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def city(zone: str | None) -> str:
    """The city a zone is known by («Самара»), or the IANA name when it is not in the list."""
    zone = zone or DEFAULT_TIMEZONE
    name = _NAMES.get(zone)
    return str(name) if name is not None else zone


def zone_label(zone: str | None) -> str:
    """«Самара (UTC+4)»: what forms and pages show for a zone."""
    zone = zone or DEFAULT_TIMEZONE
    return f"{city(zone)} ({utc_offset(zone)})"


def zone_choices(current: str | None = None) -> list[tuple[str, str]]:
    """The form's choices, west to east; a stored zone outside the list is kept as an option."""
    choices = [(zone, zone_label(zone)) for zone, _name in CITY_ZONES]
    if current and current not in _NAMES:
        choices.append((current, zone_label(current)))
    return choices
