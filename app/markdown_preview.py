"""The Markdown editor's preview (static/js/markdown_editor.js): the text rendered by the server with
app.markdown.render_markdown — the same function and sanitiser as the saved text — so the preview
shows exactly what readers will see, with no second Markdown parser in the browser.

Signed-in people only, CSRF-checked, as long as the longest Markdown field and no longer, and at
most PER_MINUTE previews a minute per person in each worker (a guard against a runaway script; the
page itself asks only when «Просмотр» is pressed). Answers JSON: {"html": …} or API.md's error shape.
"""

from __future__ import annotations

import threading
from collections import deque
from time import monotonic

from flask import Blueprint, Response, current_app, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from app.errors import json_error
from app.extensions import csrf
from app.i18n import _
from app.markdown import render_markdown
from app.numbers import number

bp = Blueprint("markdown", __name__)

MAX_CHARS = 200_000  # the longest Markdown field: a course page's text (app.courses.forms.ItemForm.body)
PER_MINUTE = 60  # overridden by the MARKDOWN_PREVIEW_PER_MINUTE setting
WINDOW_SECONDS = 60.0
EXTENSION_KEY = "markdown_preview_window"


class RecentPreviews:
    """The moments of each person's previews within the last window, kept in this worker's memory.

    A sliding window rather than a database row: a preview writes nothing, and the bound only has
    to stop a loop, not count exactly across workers."""

    def __init__(self, window: float = WINDOW_SECONDS, max_people: int = 10_000) -> None:
        self.window = window
        self.max_people = max_people
        self._moments: dict[int, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, person: int, now: float, limit: int) -> bool:
        """Count this preview and say whether it is within `limit` for the window ending `now`."""
        with self._lock:
            moments = self._moments.setdefault(person, deque())
            while moments and moments[0] <= now - self.window:
                moments.popleft()
            if len(moments) >= limit:
                return False
            moments.append(now)
            if len(self._moments) > self.max_people:
                self._forget_quiet(now)
            return True

    def _forget_quiet(self, now: float) -> None:
        quiet = [
            key for key, moments in self._moments.items() if not moments or moments[-1] <= now - self.window
        ]
        for key in quiet:
            del self._moments[key]


@bp.route("/markdown/preview", methods=["POST"])
@csrf.exempt  # checked below, after the sign-in, so a stale page gets JSON rather than an HTML error page
def preview() -> tuple[Response, int] | Response:
    if not current_user.is_authenticated:
        return json_error(401, _("Log in again to see the preview."))
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            csrf.protect()
        except CSRFError:
            return json_error(400, _("The page has expired: reload it to see the preview."))
    text = request.form.get("text", "")
    if len(text) > MAX_CHARS:
        message = _(
            "The text is too long to preview: at most %(max)s characters, it has %(length)s.",
            max=number(MAX_CHARS),
            length=number(len(text)),
        )
        return json_error(413, message, {"text": message})
    if not _recent().allow(int(current_user.id), monotonic(), _per_minute()):
        response, status = json_error(429, _("Too many previews in a minute. Wait a little and try again."))
        response.headers["Retry-After"] = str(int(WINDOW_SECONDS))
        return response, status
    return jsonify({"html": str(render_markdown(text))})


def _recent() -> RecentPreviews:
    """One window per application (tests build several apps in one process)."""
    window = current_app.extensions.get(EXTENSION_KEY)
    if not isinstance(window, RecentPreviews):
        window = current_app.extensions[EXTENSION_KEY] = RecentPreviews()
    return window


def _per_minute() -> int:
    return int(current_app.config.get("MARKDOWN_PREVIEW_PER_MINUTE", PER_MINUTE))
