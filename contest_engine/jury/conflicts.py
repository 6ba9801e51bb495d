"""Conflicts of interest: a juror never scores a participant from the institution they had when
they joined the jury, nor one they or the organiser declared.

Why frozen: the profile's institution is editable by its owner, so the check reads
`StageJuror.institution_id` (set when the juror joined), and the same one query serves the
permission to open an entry and the recheck when a score is saved.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.i18n import _
from contest_engine.jury.models import ConflictSource, JuryAssignment, JuryConflict, StageJuror
from contest_engine.models import Entry, Participation, Stage


def is_contest_juror(user_id: int, contest_id: int) -> bool:
    """A juror of any stage of the contest (who may declare their own conflicts in it)."""
    return bool(db.session.scalar(select(exists().where(
        StageJuror.user_id == user_id, StageJuror.stage_id == Stage.id, Stage.contest_id == contest_id))))


def declare_conflict(contest_id: int, juror_id: int, participation_id: int, *, source: ConflictSource,
                     actor: User) -> JuryConflict:
    """Record that a juror must not score a participant; their unscored assignments to the
    participant's entries are withdrawn (re-run allocation to replace them).

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
    conflict = JuryConflict(contest_id=contest_id, juror_id=juror_id, participation_id=participation_id,
                            source=source, created_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(conflict)
    except IntegrityError:
        raise Conflict(_("This conflict of interest is already recorded.")) from None
    entry_ids = select(Entry.id).where(Entry.participation_id == participation_id)
    db.session.execute(delete(JuryAssignment).where(JuryAssignment.juror_id == juror_id,
                                                    JuryAssignment.entry_id.in_(entry_ids)))
    audit.record("jury.conflict_declared", actor=actor, scope_type="contest", scope_id=contest_id,
                 object_type="participation", object_id=participation_id,
                 details={"juror_id": juror_id, "source": source.value})
    db.session.commit()
    return conflict


def _conflict_clause(juror_id: int, entry: Entry) -> Any:
    """SQL truth of "the juror must not score this entry": the institution they had when they joined
    this stage's jury (frozen on `StageJuror`, never the editable profile) is the participant's, or
    a conflict is declared (a participation belongs to one contest)."""
    participant_institution = (select(User.institution_id).join(Participation, Participation.user_id == User.id)
                               .where(Participation.id == entry.participation_id).scalar_subquery())
    same_institution = exists().where(StageJuror.stage_id == entry.stage_id, StageJuror.user_id == juror_id,
                                      StageJuror.institution_id.is_not(None),
                                      StageJuror.institution_id == participant_institution)
    declared = exists().where(JuryConflict.juror_id == juror_id,
                              JuryConflict.participation_id == entry.participation_id)
    return same_institution | declared


def is_conflicted(juror_id: int, entry: Entry) -> bool:
    """Same (frozen) institution as the participant, or a declared conflict: one query."""
    return bool(db.session.scalar(select(_conflict_clause(juror_id, entry))))


def scoring_standing(juror_id: int, entry: Entry) -> tuple[bool, bool]:
    """(assigned, conflicted) of a juror and an entry in one query: the permission to score and the
    recheck when a score is saved both read it."""
    assigned = exists().where(JuryAssignment.entry_id == entry.id, JuryAssignment.juror_id == juror_id)
    row = db.session.execute(select(assigned, _conflict_clause(juror_id, entry))).one()
    return bool(row[0]), bool(row[1])


def contest_conflicts(contest_id: int) -> list[tuple[JuryConflict, str, str]]:
    """Declared conflicts with the juror's and participant's names (organiser's page)."""
    participant = User.__table__.alias("participant_user")
    rows = db.session.execute(
        select(JuryConflict, User.full_name, participant.c.full_name)
        .join(User, User.id == JuryConflict.juror_id)
        .join(Participation, Participation.id == JuryConflict.participation_id)
        .join(participant, participant.c.id == Participation.user_id)
        .where(JuryConflict.contest_id == contest_id).order_by(JuryConflict.id)
    ).all()
    return [(row[0], row[1], row[2]) for row in rows]
