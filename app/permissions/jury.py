"""Who may do what in jury work: score, manage a stage's jury, resolve appeals, see the schedule.

Predicates take the user and rows or ids and return bool; each runs at most two small queries.
"""

from __future__ import annotations

from typing import Any

from app.permissions import _signed_in


def _organises(user: Any, contest_id: int) -> bool:
    from app.permissions.contests import can_organise_contest

    return bool(can_organise_contest(user, contest_id))


def is_stage_juror(user: Any, stage_id: int) -> bool:
    """Invited to judge this stage."""
    if not _signed_in(user):
        return False
    from contest_engine.jury.services import is_stage_juror as invited

    return invited(user.id, stage_id)


def can_score_entry(user: Any, entry: Any) -> bool:
    """Assigned to the entry and without a conflict of interest (same institution or declared)."""
    if not _signed_in(user):
        return False
    from contest_engine.jury.services import is_assigned, is_conflicted

    return is_assigned(user.id, entry.id) and not is_conflicted(user, entry)


def can_manage_jury(user: Any, stage: Any) -> bool:
    """Criteria, jurors, conflicts, allocation, progress, overview, closing: the contest's organisers."""
    return _signed_in(user) and _organises(user, stage.contest_id)


def can_resolve_appeal(user: Any, stage: Any) -> bool:
    """The organiser, or a chair of the stage's jury."""
    if not _signed_in(user):
        return False
    if _organises(user, stage.contest_id):
        return True
    from contest_engine.jury.services import is_chair

    return is_chair(user.id, stage.id)


def can_view_schedule(user: Any, stage: Any) -> bool:
    """The demo-lesson schedule: organisers, the stage's jurors and its finalists."""
    if not _signed_in(user):
        return False
    if _organises(user, stage.contest_id) or is_stage_juror(user, stage.id):
        return True
    from sqlalchemy import exists, select

    from app.extensions import db
    from contest_engine.models import Participation, StageParticipant

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
    from sqlalchemy import exists, select

    from app.extensions import db
    from contest_engine.jury.models import StageJuror

    return bool(db.session.scalar(select(exists().where(StageJuror.user_id == user.id))))
