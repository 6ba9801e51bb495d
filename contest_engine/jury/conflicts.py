"""Jury room: declaring conflicts of interest — a juror never scores a participant from the
institution they had when they joined the jury, nor one they or the organiser declared. The rule
itself (`is_conflicted`, `scoring_standing`) is an access rule: `contest_engine.jury.access`.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.i18n import _
from contest_engine.jury.access import is_contest_juror
from contest_engine.jury.models import ConflictSource, JuryAssignment, JuryConflict
from contest_engine.jury.standing import refresh_standing
from contest_engine.models import Entry, Participation


def declare_conflict(
    contest_id: int, juror_id: int, participation_id: int, *, source: ConflictSource, actor: User
) -> JuryConflict:
    """Record that a juror must not score a participant; all their assignments to the
    participant's entries are withdrawn, scored or not, so a conflicted score stops counting
    (re-run allocation to replace them).

    Only about a juror of this contest; a juror declares only for themselves (the organiser for
    anyone): otherwise anybody could pull entries out of jurors' queues."""
    if source == ConflictSource.DECLARED_BY_JUROR and actor.id != juror_id:
        raise Forbidden(_("Jurors declare only their own conflicts of interest."))
    if not is_contest_juror(juror_id, contest_id):
        if source == ConflictSource.DECLARED_BY_JUROR:
            raise Forbidden(_("Only jurors of this contest can declare a conflict of interest in it."))
        message = _("This person is not a juror of this contest.")
        raise Invalid(message, {"juror_id": message})
    participation = db.session.get(Participation, participation_id)
    if participation is None or participation.contest_id != contest_id:
        message = _("No such participant in this contest.")
        raise Invalid(message, {"participant_id": message})
    conflict = JuryConflict(
        contest_id=contest_id,
        juror_id=juror_id,
        participation_id=participation_id,
        source=source,
        created_by_id=actor.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(conflict)
    except IntegrityError:
        raise Conflict(_("This conflict of interest is already recorded.")) from None
    entry_ids = select(Entry.id).where(Entry.participation_id == participation_id)
    db.session.execute(
        delete(JuryAssignment).where(
            JuryAssignment.juror_id == juror_id, JuryAssignment.entry_id.in_(entry_ids)
        )
    )
    audit.record(
        "jury.conflict_declared",
        actor=actor,
        scope_type="contest",
        scope_id=contest_id,
        object_type="participation",
        object_id=participation_id,
        details={"juror_id": juror_id, "source": source.value},
    )
    for (stage_id,) in db.session.execute(
        select(Entry.stage_id).where(Entry.participation_id == participation_id).distinct()
    ):
        refresh_standing(stage_id)  # the juror's assignments to this participant are gone
    db.session.commit()
    return conflict


def contest_conflicts(contest_id: int) -> list[tuple[JuryConflict, str, str]]:
    """Declared conflicts with the juror's and participant's names (organiser's page)."""
    participant = User.__table__.alias("participant_user")
    rows = db.session.execute(
        select(JuryConflict, User.full_name, participant.c.full_name)
        .join(User, User.id == JuryConflict.juror_id)
        .join(Participation, Participation.id == JuryConflict.participation_id)
        .join(participant, participant.c.id == Participation.user_id)
        .where(JuryConflict.contest_id == contest_id)
        .order_by(JuryConflict.id)
    ).all()
    return [(row[0], row[1], row[2]) for row in rows]
