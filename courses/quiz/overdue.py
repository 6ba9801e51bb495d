"""Quiz engine: finishing an attempt whose time ran out, when nobody pressed «Finish».

The clock (`finish_overdue`, a tick job) finishes them all; a page that meets one first does not
wait for it and does not write in its own (reading) request: it queues `finish_if_overdue` to run
after its response (app/after_response.py) and shows the attempt as finished meanwhile."""

from __future__ import annotations

from datetime import datetime

from app.extensions import db
from courses.quiz.attempts import finish_attempt, is_overdue
from courses.quiz.models import AttemptState, QuizAttempt


def finish_if_overdue(attempt_id: int, now: datetime) -> None:
    """Finish the attempt with what was saved if it is still open past its deadline; otherwise
    (finished meanwhile by the clock, by the student, or by another page) nothing happens."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is not None and is_overdue(attempt, now):
        finish_attempt(attempt, now)


def shown_finished(attempt: QuizAttempt, now: datetime) -> bool:
    """Whether a page shows the attempt as finished: it is, or its time is up (its finish queued)."""
    return attempt.state == AttemptState.FINISHED or is_overdue(attempt, now)
