"""Quiz pages for students: flagging a question of one's attempt from the page's script (the
square in the navigation panel turns flagged). Without JavaScript the flag button submits the
attempt form, whose view saves the answers and flips the flag (app/quiz/attempt.py)."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user, login_required

from app.domain_errors import DomainError
from app.i18n import _
from app.permissions.quiz import can_answer_attempt
from app.quiz import bp
from app.quiz.access import visible_attempt
from app.timeutil import utcnow
from courses.quiz.attempt_flags import toggle_flag


@bp.route("/attempts/<int:attempt_id>/flag/<int:slot>", methods=["POST"])
@login_required
def attempt_flag(attempt_id: int, slot: int):  # type: ignore[no-untyped-def]
    attempt, _quiz = visible_attempt(attempt_id)
    if not can_answer_attempt(current_user, attempt):
        return jsonify(
            {"error": {"code": "forbidden", "message": _("This is not your attempt."), "fields": {}}}
        ), 403
    try:
        flagged = toggle_flag(attempt, slot, utcnow())
    except DomainError as error:
        return jsonify({"error": {"code": error.code, "message": error.message, "fields": {}}}), error.status
    return jsonify({"slot": slot, "flagged": flagged})
