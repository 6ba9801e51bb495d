"""Template filters and globals: Markdown, dates in the viewer's zone, the header's counters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, current_app, request
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from app.accounts import role_label
from app.markdown import render_markdown
from app.timeutil import to_zone
from community.notices.inbox import header_counts


def localtime(value: datetime | None, zone: str | None = None, fmt: str = "medium") -> str:
    """A stored UTC moment shown in `zone` (a contest's) or the viewer's zone, in their language."""
    if value is None:
        return ""
    if zone:
        return format_datetime(to_zone(value, zone).replace(tzinfo=None), fmt, rebase=False) + (
            f" ({zone})" if fmt != "short" else ""
        )
    return format_datetime(value, fmt)


def localdate(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return format_date(value, fmt)


def isoformat(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["localdate"] = localdate
    app.jinja_env.filters["isoformat"] = isoformat
    app.jinja_env.globals["role_label"] = role_label
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def header_context() -> dict[str, Any]:
        unread = messages = 0
        if current_user.is_authenticated and not request.path.startswith("/api/"):
            counts = header_counts(current_user.id)  # one query: the bell and the unread messages
            unread, messages = counts.notifications, counts.messages
        return {
            "languages": current_app.config["LANGUAGES"],
            "current_locale": str(get_locale()),
            "unread_notifications": unread,
            "unread_messages": messages,
        }
