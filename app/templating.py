"""Template filters and globals: Markdown, dates in the viewer's zone, numbers by the locale, the
header's counters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, current_app, request
from flask_babel import format_date, format_datetime, format_time, get_locale
from flask_login import current_user

from app import header_facts, layout_fragments, numbers, page_speed
from app.accounts import role_label
from app.markdown import render_markdown
from app.time_zones import city, zone_label
from app.timeutil import to_zone


def localtime(value: datetime | None, zone: str | None = None, fmt: str = "medium") -> str:
    """A stored UTC moment shown in `zone` (a contest's, named once by its city) or the viewer's
    zone, in their language. "medium" is the date and the minutes («10 нояб. 2026 г., 14:00»):
    nobody plans a lesson by the second."""
    if value is None:
        return ""
    if zone:
        local = to_zone(value, zone).replace(tzinfo=None)
        return _moment(local, fmt, rebase=False) + (f" ({city(zone)})" if fmt != "short" else "")
    return _moment(value, fmt)


def _moment(value: datetime, fmt: str, rebase: bool = True) -> str:
    if fmt == "medium":
        return f"{format_date(value, 'medium', rebase=rebase)}, {format_time(value, 'short', rebase=rebase)}"
    return format_datetime(value, fmt, rebase=rebase)


def localdate(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return format_date(value, fmt)


def _locale() -> str:
    return str(get_locale() or "ru")


def number(value: Any, places: int = numbers.DISPLAY_PLACES) -> str:
    """«4,67», «1 250»: every number a page shows goes through here (one rounding rule)."""
    return numbers.number(value, _locale(), places)


def score(value: Any, out_of: Any = None) -> str:
    """«4,67 из 5»."""
    return numbers.score(value, out_of, _locale())


def percent(share: Any) -> str:
    """A share in 0..1 as «93,3 %»."""
    return numbers.percent(share, _locale())


def percent_of(value: Any) -> str:
    """A value already in percent (a quiz grade of 93.33) as «93,3 %»."""
    return numbers.percent_of(value, _locale())


def isoformat(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["localdate"] = localdate
    app.jinja_env.filters["isoformat"] = isoformat
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["score"] = score
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["percent_of"] = percent_of
    app.jinja_env.filters["zone_label"] = zone_label
    app.jinja_env.globals["role_label"] = role_label
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    page_speed.init_app(app)
    layout_fragments.init_app(app)

    @app.context_processor
    def header_context() -> dict[str, Any]:
        unread = messages = 0
        jury_seat = False
        if current_user.is_authenticated and not request.path.startswith("/api/"):
            facts = header_facts.facts_for(current_user.id)  # loaded with the user: no statement
            unread, messages, jury_seat = facts.notifications, facts.messages, facts.jury_seat
        return {
            "languages": current_app.config["LANGUAGES"],
            "current_locale": str(get_locale()),
            "unread_notifications": unread,
            "unread_messages": messages,
            "jury_seat": jury_seat,
        }
