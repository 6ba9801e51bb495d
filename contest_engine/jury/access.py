"""Jury room: the access rules — who judges a stage, who may score an entry, who chairs, who is a
finalist or the author. Plain ids and rows in, bool out; `app.permissions.jury` calls these and
adds the site's and the contest's roles.

Why the conflict rule lives here: the profile's institution is editable by its owner, so the check
reads `StageJuror.institution_id` (set when the juror joined), and the same one query serves the
permission to open an entry and the recheck when a score is saved.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select

from app.accounts import User
from app.extensions import db
from contest_engine.jury.models import JuryAssignment, JuryConflict, StageJuror
from contest_engine.models import Entry, Participation, Stage, StageParticipant


def is_stage_juror(user_id: int, stage_id: int) -> bool:
    """Invited to judge this stage."""
    return bool(
        db.session.scalar(
            select(exists().where(StageJuror.stage_id == stage_id, StageJuror.user_id == user_id))
        )
    )


def is_chair(user_id: int, stage_id: int) -> bool:
    """A chair of the stage's jury (who may resolve appeals)."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    StageJuror.stage_id == stage_id,
                    StageJuror.user_id == user_id,
                    StageJuror.is_chair.is_(True),
                )
            )
        )
    )


def is_contest_juror(user_id: int, contest_id: int) -> bool:
    """A juror of any stage of the contest (who may declare their own conflicts in it)."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    StageJuror.user_id == user_id,
                    StageJuror.stage_id == Stage.id,
                    Stage.contest_id == contest_id,
                )
            )
        )
    )


def has_jury_seat(user_id: int) -> bool:
    """Invited to any stage's jury (the jury link shows for them whatever their site role)."""
    return bool(db.session.scalar(select(exists().where(StageJuror.user_id == user_id))))


def is_finalist(user_id: int, stage_id: int) -> bool:
    """Admitted to the stage as a participant (sees its demo-lesson schedule)."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    StageParticipant.stage_id == stage_id,
                    StageParticipant.participation_id == Participation.id,
                    Participation.user_id == user_id,
                )
            )
        )
    )


def wrote_entry(user_id: int, entry: Entry) -> bool:
    """The participant whose entry it is (they always see their own name)."""
    participation = db.session.get(Participation, entry.participation_id)
    return participation is not None and participation.user_id == user_id


def _conflict_clause(juror_id: int, entry: Entry) -> Any:
    """SQL truth of "the juror must not score this entry": the institution they had when they joined
    this stage's jury (frozen on `StageJuror`, never the editable profile) is the participant's, or
    a conflict is declared (a participation belongs to one contest)."""
    participant_institution = (
        select(User.institution_id)
        .join(Participation, Participation.user_id == User.id)
        .where(Participation.id == entry.participation_id)
        .scalar_subquery()
    )
    same_institution = exists().where(
        StageJuror.stage_id == entry.stage_id,
        StageJuror.user_id == juror_id,
        StageJuror.institution_id.is_not(None),
        StageJuror.institution_id == participant_institution,
    )
    declared = exists().where(
        JuryConflict.juror_id == juror_id, JuryConflict.participation_id == entry.participation_id
    )
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


def may_score(juror_id: int, entry: Entry) -> bool:
    """Assigned to the entry and without a conflict of interest."""
    assigned, conflicted = scoring_standing(juror_id, entry)
    return assigned and not conflicted
