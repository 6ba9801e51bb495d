"""Jury room: which juror scores which entry — allocating a stage's entries with the pure
`rules.allocation` (all jurors, or K per entry with balanced load, never across a conflict) and
moving one assignment by hand. Writes assignments only."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from contest_engine.jury.access import is_conflicted
from contest_engine.jury.messages import shortfall
from contest_engine.jury.models import JuryAssignment, JuryConflict, ScoreSheet, StageJuror
from contest_engine.jury.setup import jury_config
from contest_engine.jury.standing import refresh_standing
from contest_engine.models import Entry, Participation, Stage
from contest_engine.queries import contest_divisions
from contest_engine.rules import allocation as allocation_rules


def allocate_stage(stage: Stage, *, actor: User) -> list[JuryAssignment]:
    """Assign the stage's current entries to its jurors (all, or K per entry with balanced load),
    per section when jurors have sections; keeps what is still allowed, so re-running after late
    entries or new conflicts only fills the gaps. Nothing is written if any entry cannot be served."""
    config = jury_config(stage)
    jurors = db.session.execute(
        select(StageJuror.user_id, StageJuror.division_id, StageJuror.institution_id).where(
            StageJuror.stage_id == stage.id
        )
    ).all()
    if not jurors:
        raise Conflict(_("Invite jurors to this stage first."))
    entries = _current_entries(stage.id)
    conflicts = [
        (row.juror_id, row.participation_id)
        for row in db.session.execute(
            select(JuryConflict.juror_id, JuryConflict.participation_id).where(
                JuryConflict.contest_id == stage.contest_id
            )
        )
    ]
    existing_rows = list(
        db.session.scalars(select(JuryAssignment).where(JuryAssignment.stage_id == stage.id))
    )
    existing = [(a.juror_id, a.entry_id) for a in existing_rows]
    divisions = {d.id: d.name for d in contest_divisions(stage.contest_id)}
    sectioned = any(j.division_id is not None for j in jurors)
    groups: dict[int | None, list[Any]] = defaultdict(list)
    for entry in entries:
        groups[entry.division_id if sectioned else None].append(entry)
    added: list[allocation_rules.Assignment] = []
    dropped: set[tuple[int, int]] = set()
    problems: list[str] = []
    entry_ids = {e.id for e in entries}
    dropped.update(pair for pair in existing if pair[1] not in entry_ids)
    for division_id, group in sorted(groups.items(), key=lambda kv: kv[0] or 0):
        pool = [
            allocation_rules.Juror(j.user_id, j.institution_id)
            for j in jurors
            if not sectioned or j.division_id in (None, division_id)
        ]
        group_ids = {e.id for e in group}
        try:
            result = allocation_rules.allocate(
                [allocation_rules.Entry(e.id, e.participation_id, e.institution_id) for e in group],
                pool,
                per_entry=config.jurors_per_entry,
                conflicts=conflicts,
                existing=[pair for pair in existing if pair[1] in group_ids],
            )
        except allocation_rules.AllocationError as error:
            section = divisions.get(division_id, "") if sectioned and division_id is not None else ""
            problems.extend(shortfall(item, section) for item in error.shortfalls)
            continue
        added.extend(result.added)
        dropped.update((p.juror_id, p.entry_id) for p in result.dropped)
    if problems:
        raise Conflict(_("Allocation is impossible: %(details)s", details=" ".join(problems[:20])))
    if dropped:
        for row in existing_rows:
            if (row.juror_id, row.entry_id) in dropped:
                db.session.delete(row)
    for pair in added:
        db.session.add(JuryAssignment(stage_id=stage.id, entry_id=pair.entry_id, juror_id=pair.juror_id))
    audit.record(
        "jury.allocated",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id,
        object_type="stage",
        object_id=stage.id,
        details={"added": len(added), "dropped": len(dropped)},
    )
    try:
        refresh_standing(stage)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("Another allocation ran at the same time. Reload and try again.")) from None
    return stage_assignments(stage.id)


def move_assignment(assignment: JuryAssignment, to_juror_id: int, *, actor: User) -> JuryAssignment:
    """The organiser moves one assignment to another juror of the stage, checking conflicts."""
    stage = db.session.get(Stage, assignment.stage_id)
    assert stage is not None
    target = db.session.get(User, to_juror_id)
    juror_row = db.session.scalar(
        select(StageJuror).where(StageJuror.stage_id == stage.id, StageJuror.user_id == to_juror_id)
    )
    if target is None or juror_row is None:
        message = _("Choose a juror of this stage.")
        raise Invalid(message, {"juror_id": message})
    entry = db.session.get(Entry, assignment.entry_id)
    assert entry is not None
    if is_conflicted(target.id, entry):
        message = _("This juror has a conflict of interest with the participant.")
        raise Invalid(message, {"juror_id": message})
    if db.session.scalar(
        select(exists().where(ScoreSheet.entry_id == entry.id, ScoreSheet.juror_id == assignment.juror_id))
    ):
        raise Conflict(_("The juror has already scored this entry: the assignment cannot move."))
    previous = assignment.juror_id
    assignment.juror_id = to_juror_id
    audit.record(
        "jury.assignment_moved",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id,
        object_type="entry",
        object_id=entry.id,
        details={"from": previous, "to": to_juror_id},
    )
    try:
        refresh_standing(stage)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        message = _("This juror already has this entry.")
        raise Invalid(message, {"juror_id": message}) from None
    return assignment


def stage_assignments(stage_id: int) -> list[JuryAssignment]:
    return list(
        db.session.scalars(
            select(JuryAssignment)
            .where(JuryAssignment.stage_id == stage_id)
            .order_by(JuryAssignment.entry_id, JuryAssignment.juror_id)
        )
    )


def _current_entries(stage_id: int) -> list[Any]:
    return list(
        db.session.execute(
            select(
                Entry.id,
                Entry.participation_id,
                Participation.division_id,
                User.institution_id,
                User.full_name,
                Participation.user_id,
            )
            .join(Participation, Participation.id == Entry.participation_id)
            .join(User, User.id == Participation.user_id)
            .where(Entry.stage_id == stage_id, Entry.is_current.is_(True))
            .order_by(Entry.id)
        ).all()
    )
