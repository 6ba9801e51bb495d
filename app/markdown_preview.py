"""The Markdown editor's preview (static/js/markdown_editor.js): the text rendered by the server with
app.markdown.render_markdown — the same function and sanitiser as the saved text — so the preview
shows exactly what readers will see, with no second Markdown parser in the browser.

Signed-in people only, CSRF-checked, as long as the longest Markdown field and no longer, and at
most PER_MINUTE previews a minute per person (a guard against a runaway script; the page itself asks
only when «Просмотр» is pressed), counted in app.shared_store: in Redis across every node when
REDIS_URL is set, else in each worker. Answers JSON: {"html": …} or API.md's error shape.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from app import shared_store
from app.errors import json_error
from app.extensions import csrf
from app.i18n import _
from app.markdown import render_markdown
from app.numbers import number

bp = Blueprint("markdown", __name__)

MAX_CHARS = 200_000  # the longest Markdown field: a course page's text (app.courses.forms.ItemForm.body)
PER_MINUTE = 60  # overridden by the MARKDOWN_PREVIEW_PER_MINUTE setting
WINDOW_SECONDS = 60.0
EXTENSION_KEY = shared_store.EXTENSION_KEY  # tests drop it for a fresh count


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
    if not shared_store.allow("markdown-preview", int(current_user.id), _per_minute(), WINDOW_SECONDS):
        response, status = json_error(429, _("Too many previews in a minute. Wait a little and try again."))
        response.headers["Retry-After"] = str(int(WINDOW_SECONDS))
        return response, status
    return jsonify({"html": str(render_markdown(text))})


def _per_minute() -> int:
    return int(current_app.config.get("MARKDOWN_PREVIEW_PER_MINUTE", PER_MINUTE))
