"""Quiz room: a student's flags on the questions of an attempt ("come back to this one"), shown as
marked squares in the attempt page's navigation. Touches quiz_answer.flagged only.

A flag is a toggle saved with the attempt: one conditional UPDATE that flips the value only while
the attempt is open (in progress, before its deadline), so a flag never changes a finished attempt
and two taps at once leave the flag where two flips put it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import not_, or_, select, update

from app.domain_errors import Conflict, NotFound
from app.extensions import db, rows_changed
from app.i18n import _
from courses.quiz.models import AttemptState, QuizAnswer, QuizAttempt


def toggle_flag(attempt: QuizAttempt, slot: int, now: datetime) -> bool:
    """Flip the flag of one question of an open attempt and return its new value."""
    open_attempt = select(QuizAttempt.id).where(
        QuizAttempt.id == attempt.id,
        QuizAttempt.state == AttemptState.IN_PROGRESS,
        or_(QuizAttempt.deadline.is_(None), QuizAttempt.deadline > now),
    )
    changed = rows_changed(
        update(QuizAnswer)
        .where(QuizAnswer.attempt_id.in_(open_attempt), QuizAnswer.slot == slot)
        .values(flagged=not_(QuizAnswer.flagged))
        .execution_options(synchronize_session=False)
    )
    if changed != 1:
        db.session.rollback()
        exists = db.session.scalar(
            select(QuizAnswer.id).where(QuizAnswer.attempt_id == attempt.id, QuizAnswer.slot == slot)
        )
        if exists is None:
            raise NotFound(_("There is no question %(slot)s in this attempt.", slot=slot))
        raise Conflict(_("This attempt is finished: answers can no longer change."))
    flagged = db.session.scalar(
        select(QuizAnswer.flagged).where(QuizAnswer.attempt_id == attempt.id, QuizAnswer.slot == slot)
    )
    db.session.commit()
    return bool(flagged)
