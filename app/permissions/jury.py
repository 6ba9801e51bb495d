"""Who may do what in jury work: score, manage a stage's jury, resolve appeals, see the schedule.

Predicates take the user and rows or ids and return bool. The jury's own rules (who judges, who
chairs, conflicts, blind stages) live in `contest_engine.jury.access` and `blind`; this module
only adds the signed-in check and the contest's organisers.
"""

from __future__ import annotations

from typing import Any

from app.permissions import _signed_in
from app.permissions.contests import can_organise_contest
from contest_engine.jury import access, blind


def _organises(user: Any, contest_id: int) -> bool:
    return bool(can_organise_contest(user, contest_id))


def is_stage_juror(user: Any, stage_id: int) -> bool:
    """Invited to judge this stage."""
    return _signed_in(user) and access.is_stage_juror(user.id, stage_id)


def can_score_entry(user: Any, entry: Any) -> bool:
    """Assigned to the entry and without a conflict of interest (the institution frozen when they
    joined the jury, or declared): one query, the same one `save_scores` rechecks."""
    return _signed_in(user) and access.may_score(user.id, entry)


def can_declare_own_conflict(user: Any, contest_id: int) -> bool:
    """ "I know this participant": only jurors of the contest, for themselves."""
    return _signed_in(user) and access.is_contest_juror(user.id, contest_id)


def can_see_names(user: Any, stage: Any) -> bool:
    """Who wrote an entry (names, institutions, original file names): in a blind stage only the
    organisers (and admins); jurors never do."""
    return _organises(user, stage.contest_id) or not blind.is_blind(stage.id)


def can_see_entry_author(user: Any, entry: Any, stage: Any) -> bool:
    """`can_see_names`, plus the participant who wrote the entry."""
    if _signed_in(user) and access.wrote_entry(user.id, entry):
        return True
    return can_see_names(user, stage)


def can_manage_jury(user: Any, stage: Any) -> bool:
    """Criteria, jurors, conflicts, allocation, progress, overview, closing: the contest's organisers."""
    return _signed_in(user) and _organises(user, stage.contest_id)


def can_resolve_appeal(user: Any, stage: Any) -> bool:
    """The organiser, or a chair of the stage's jury."""
    if not _signed_in(user):
        return False
    return _organises(user, stage.contest_id) or access.is_chair(user.id, stage.id)


def can_view_schedule(user: Any, stage: Any) -> bool:
    """The demo-lesson schedule: organisers, the stage's jurors and its finalists."""
    if not _signed_in(user):
        return False
    return (
        _organises(user, stage.contest_id)
        or access.is_stage_juror(user.id, stage.id)
        or access.is_finalist(user.id, stage.id)
    )


def can_pick_slot(user: Any, stage: Any) -> bool:
    """A finalist of the stage (the deadline is the service's rule)."""
    return _signed_in(user) and access.is_finalist(user.id, stage.id)


def can_see_appeal(user: Any, appeal: Any, participant_user_id: int, stage: Any) -> bool:
    """The participant who filed it, and those who resolve appeals."""
    return _signed_in(user) and (user.id == participant_user_id or can_resolve_appeal(user, stage))


def has_jury_work(user: Any, seat: bool | None = None) -> bool:
    """Show the jury link: jurors, organisers and admins by site role, and anyone on a stage's jury.
    `seat`, when the caller already knows it (the header, app/header_facts.py), saves the query."""
    if not _signed_in(user):
        return False
    if str(user.role) in ("juror", "organiser", "admin"):
        return True
    return seat if seat is not None else access.has_jury_seat(user.id)
