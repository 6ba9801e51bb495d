"""Who may do what in jury work: score, manage a stage's jury, resolve appeals, see the schedule.

Predicates take the user and rows or ids and return bool; each runs at most two small queries.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select

from app.extensions import db
from app.permissions import _signed_in
from app.permissions.contests import can_organise_contest
from contest_engine.jury import blind, conflicts, services
from contest_engine.jury.models import StageJuror
from contest_engine.models import Participation, StageParticipant


def _organises(user: Any, contest_id: int) -> bool:
    return bool(can_organise_contest(user, contest_id))


def is_stage_juror(user: Any, stage_id: int) -> bool:
    """Invited to judge this stage."""
    if not _signed_in(user):
        return False
    return services.is_stage_juror(user.id, stage_id)


def can_score_entry(user: Any, entry: Any) -> bool:
    """Assigned to the entry and without a conflict of interest (the institution frozen when they
    joined the jury, or declared): one query, the same one `save_scores` rechecks."""
    if not _signed_in(user):
        return False
    assigned, conflicted = conflicts.scoring_standing(user.id, entry)
    return assigned and not conflicted


def can_declare_own_conflict(user: Any, contest_id: int) -> bool:
    """"I know this participant": only jurors of the contest, for themselves."""
    return _signed_in(user) and conflicts.is_contest_juror(user.id, contest_id)


def can_see_names(user: Any, stage: Any) -> bool:
    """Who wrote an entry (names, institutions, original file names): in a blind stage only the
    organisers (and admins); jurors never do."""
    return _organises(user, stage.contest_id) or not blind.is_blind(stage.id)


def can_see_entry_author(user: Any, entry: Any, stage: Any) -> bool:
    """`can_see_names`, plus the participant who wrote the entry."""
    if _signed_in(user):
        participation = db.session.get(Participation, entry.participation_id)
        if participation is not None and participation.user_id == user.id:
            return True
    return can_see_names(user, stage)


def can_manage_jury(user: Any, stage: Any) -> bool:
    """Criteria, jurors, conflicts, allocation, progress, overview, closing: the contest's organisers."""
    return _signed_in(user) and _organises(user, stage.contest_id)


def can_resolve_appeal(user: Any, stage: Any) -> bool:
    """The organiser, or a chair of the stage's jury."""
    if not _signed_in(user):
        return False
    if _organises(user, stage.contest_id):
        return True
    return services.is_chair(user.id, stage.id)


def can_view_schedule(user: Any, stage: Any) -> bool:
    """The demo-lesson schedule: organisers, the stage's jurors and its finalists."""
    if not _signed_in(user):
        return False
    if _organises(user, stage.contest_id) or is_stage_juror(user, stage.id):
        return True
    return bool(db.session.scalar(select(exists().where(
        StageParticipant.stage_id == stage.id, StageParticipant.participation_id == Participation.id,
        Participation.user_id == user.id))))


def can_see_appeal(user: Any, appeal: Any, participant_user_id: int, stage: Any) -> bool:
    """The participant who filed it, and those who resolve appeals."""
    return _signed_in(user) and (user.id == participant_user_id or can_resolve_appeal(user, stage))


def has_jury_work(user: Any) -> bool:
    """Show the jury link: jurors, organisers and admins by site role, and anyone invited to a stage's jury."""
    if not _signed_in(user):
        return False
    if str(user.role) in ("juror", "organiser", "admin"):
        return True
    return bool(db.session.scalar(select(exists().where(StageJuror.user_id == user.id))))
