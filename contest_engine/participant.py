"""Contest room: the participant's side — their status at each stage of a contest and the
overview of their contests (current stage, status, diplomas) for the dashboard. Reads only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.accounts import User
from app.extensions import db
from app.i18n import _
from contest_engine.messages import status_labels
from contest_engine.models import (
    Award,
    Contest,
    Division,
    Entry,
    Participation,
    Stage,
    StageParticipant,
    StageResult,
)
from contest_engine.queries import current_stage, is_first_competitive
from contest_engine.rules.stages import StageKind


def stage_statuses(stages: Sequence[Stage], participation: Participation) -> dict[int, str]:
    """The participant's status at each stage of their contest (3 queries whatever the number of stages)."""
    stage_ids = [s.id for s in stages]
    entries = {
        (stage_id, participation.id)
        for stage_id in db.session.scalars(
            select(Entry.stage_id).where(
                Entry.participation_id == participation.id, Entry.is_current.is_(True)
            )
        )
    }
    admitted = {
        (stage_id, participation.id)
        for stage_id in db.session.scalars(
            select(StageParticipant.stage_id).where(
                StageParticipant.participation_id == participation.id,
                StageParticipant.stage_id.in_(stage_ids),
            )
        )
    }
    stored = {
        (r.stage_id, participation.id): r
        for r in db.session.scalars(
            select(StageResult).where(
                StageResult.participation_id == participation.id, StageResult.stage_id.in_(stage_ids)
            )
        )
    }
    labels = status_labels()
    return {
        stage.id: _status(stage, stages, participation.id, stored, admitted, entries, labels)
        for stage in stages
    }


@dataclass
class ParticipantContest:
    contest: Contest
    participation: Participation
    division: str
    current: Stage | None
    status: str
    awards: list[Award]


def participant_overview(user: User, now: datetime) -> list[ParticipantContest]:
    """The user's contests with the current stage, their status there and their diplomas (5 queries)."""
    rows = db.session.execute(
        select(Participation, Contest, Division.name)
        .join(Contest, Contest.id == Participation.contest_id)
        .join(Division, Division.id == Participation.division_id)
        .where(Participation.user_id == user.id)
        .order_by(Contest.created_at.desc())
        .limit(20)
    ).all()
    if not rows:
        return []
    contest_ids = [contest.id for _, contest, _ in rows]
    participation_ids = [p.id for p, _, _ in rows]
    stages: dict[int, list[Stage]] = defaultdict(list)
    for stage in db.session.scalars(
        select(Stage).where(Stage.contest_id.in_(contest_ids)).order_by(Stage.position)
    ):
        stages[stage.contest_id].append(stage)
    results = {
        (r.stage_id, r.participation_id): r
        for r in db.session.scalars(
            select(StageResult).where(StageResult.participation_id.in_(participation_ids))
        )
    }
    entries = {
        (stage_id, pid)
        for stage_id, pid in db.session.execute(
            select(Entry.stage_id, Entry.participation_id).where(
                Entry.participation_id.in_(participation_ids), Entry.is_current.is_(True)
            )
        ).all()
    }
    admitted = {
        (stage_id, pid)
        for stage_id, pid in db.session.execute(
            select(StageParticipant.stage_id, StageParticipant.participation_id).where(
                StageParticipant.participation_id.in_(participation_ids)
            )
        ).all()
    }
    awards: dict[int, list[Award]] = defaultdict(list)
    for award in db.session.scalars(select(Award).where(Award.participation_id.in_(participation_ids))):
        awards[award.participation_id].append(award)
    labels = status_labels()
    overview = []
    for participation, contest, division in rows:
        current = current_stage(stages[contest.id], now)
        status = (
            _status(current, stages[contest.id], participation.id, results, admitted, entries, labels)
            if current is not None
            else ""
        )
        overview.append(
            ParticipantContest(contest, participation, division, current, status, awards[participation.id])
        )
    return overview


def _status(
    stage: Stage,
    stages: Sequence[Stage],
    participation_id: int,
    results: dict[tuple[int, int], StageResult],
    admitted: set[tuple[int, int]],
    entries: set[tuple[int, int]],
    labels: dict[str, str],
) -> str:
    """One rule for the contest page and the dashboard: the stored result once the stage is
    advanced or published; else whether the participant may take part and has handed in."""
    key = (stage.id, participation_id)
    result = results.get(key)
    if stage.kind == StageKind.REGISTRATION:
        return str(_("registered"))
    if result is not None and (stage.advanced_at is not None or stage.results_published_at is not None):
        return labels[result.status]
    if not (is_first_competitive(stage, stages) or key in admitted):
        if any(s.advanced_at for s in stages if s.position < stage.position):
            return str(_("not admitted"))
        return str(_("waiting for the previous stage"))
    if key in entries:
        return str(_("entry submitted"))
    return str(_("admitted"))
