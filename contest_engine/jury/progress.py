"""Jury room: the organiser's view of the jurors' progress — who has scored what, who is late —
and reminding the late ones (a notification and a letter each, in the juror's own language,
written in the same transaction). Writes notifications, letters and the audit entry only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select

from app import audit
from app.accounts import User
from app.extensions import db
from app.i18n import _, force_locale
from app.mail import send_mail
from app.notifications import notify
from contest_engine.jury.jurors import stage_jurors
from contest_engine.jury.models import JuryAssignment, ScoreSheet, SheetState
from contest_engine.jury.setup import jury_config
from contest_engine.models import Stage


@dataclass(frozen=True)
class JurorProgress:
    user_id: int
    full_name: str
    email: str
    assigned: int
    submitted: int
    drafts: int
    late: bool


def jury_progress(stage: Stage, now: datetime) -> list[JurorProgress]:
    """Who has scored what; a juror is late with unsubmitted work past the scoring due date."""
    return [progress for progress, _user in _progress(stage, now)]


def remind_late_jurors(stage: Stage, *, actor: User, now: datetime, queue_url: str) -> list[JurorProgress]:
    """Notify and write to each late juror, each in their own language (not the organiser's), with
    the link to their queue; the letters commit with the audit entry."""
    late = [(progress, user) for progress, user in _progress(stage, now) if progress.late]
    for progress, user in late:
        waiting = progress.assigned - progress.submitted
        with force_locale(user.locale or "ru"):
            notify(
                user.id,
                _(
                    "Reminder: %(n)d entries of “%(stage)s” are waiting for your scores.",
                    n=waiting,
                    stage=stage.title,
                ),
                "/jury/",
            )
            send_mail(
                user.email,
                _("Reminder: scores are waiting"),
                _(
                    "%(n)d entries of “%(stage)s” are waiting for your scores: %(url)s",
                    n=waiting,
                    stage=stage.title,
                    url=queue_url,
                ),
            )
    audit.record(
        "jury.reminded",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id,
        object_type="stage",
        object_id=stage.id,
        details={"jurors": [p.user_id for p, _u in late]},
    )
    db.session.commit()
    return [progress for progress, _user in late]


def _progress(stage: Stage, now: datetime) -> list[tuple[JurorProgress, User]]:
    config = jury_config(stage)
    assigned = dict(
        db.session.execute(
            select(JuryAssignment.juror_id, func.count())
            .where(JuryAssignment.stage_id == stage.id)
            .group_by(JuryAssignment.juror_id)
        ).all()
    )
    states: dict[tuple[int, str], int] = {}
    for juror_id, state, count in db.session.execute(
        select(ScoreSheet.juror_id, ScoreSheet.state, func.count())
        .join(
            JuryAssignment,
            and_(
                JuryAssignment.entry_id == ScoreSheet.entry_id, JuryAssignment.juror_id == ScoreSheet.juror_id
            ),
        )
        .where(ScoreSheet.stage_id == stage.id)
        .group_by(ScoreSheet.juror_id, ScoreSheet.state)
    ).all():
        states[(juror_id, str(state))] = count
    overdue = config.scoring_due_at is not None and now > config.scoring_due_at
    result = []
    for _juror, user in stage_jurors(stage.id):
        total = assigned.get(user.id, 0)
        done = states.get((user.id, SheetState.SUBMITTED.value), 0)
        result.append(
            (
                JurorProgress(
                    user.id,
                    user.full_name,
                    user.email,
                    total,
                    done,
                    states.get((user.id, SheetState.DRAFT.value), 0),
                    overdue and done < total,
                ),
                user,
            )
        )
    return result
