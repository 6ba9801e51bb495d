"""Jury room: a stage's scores per entry — each assigned juror's stored total, the entry's exact
aggregate by the pure `rules.scoring` (aggregate, spread, disagreement), and the entries still
waiting for a juror. `stage_scores` is the door the contest room's standings read; the
organiser's overview builds on the same loaders. Reads only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import func, select

from app.accounts import User
from app.extensions import db
from contest_engine.jury.models import JuryAssignment, JuryConfig, ScoreSheet, SheetState, StageJuror
from contest_engine.jury.setup import jury_config, stage_criteria
from contest_engine.jury.standing import aggregate_entry
from contest_engine.models import Entry, Stage
from contest_engine.rules import scoring


@dataclass(frozen=True)
class BlockedEntry:
    entry_id: int
    participation_id: int
    missing_jurors: list[int]


@dataclass(frozen=True)
class StageScores:
    """The exact score per participation, the entries that cannot be scored yet, and the highest
    score an entry can reach (None without criteria), for "at least M% of the maximum" rules."""

    scores: dict[int, Fraction]
    blocked: list[BlockedEntry]
    max_score: Decimal | None = None


def stage_scores(stage: Stage) -> StageScores:
    """For the contest room's standings (results, advancement, awards): the exact aggregated score
    per participation, and entries that cannot be scored yet (an assigned juror has not submitted,
    or no juror is assigned) with the jurors they wait for, in the jurors' name order."""
    config = jury_config(stage)
    assigned = assigned_jurors(stage.id, juror_order(stage.id))
    totals = sheet_totals(stage.id)
    scores: dict[int, Fraction] = {}
    blocked: list[BlockedEntry] = []
    for entry_id, participation_id in db.session.execute(
        select(Entry.id, Entry.participation_id)
        .where(Entry.stage_id == stage.id, Entry.is_current.is_(True))
        .order_by(Entry.id)
    ):
        submitted: list[int] = []
        missing: list[int] = []
        for juror_id in assigned.get(entry_id, []):
            total = totals.get((entry_id, juror_id), (None, None))[1]
            if total is None:
                missing.append(juror_id)
            else:
                submitted.append(total)
        result = aggregate_entry(submitted, missing, config)
        if result.score is not None:
            scores[participation_id] = result.score
        else:
            blocked.append(BlockedEntry(entry_id, participation_id, missing))
    return StageScores(scores, blocked, _max_score(stage, config))


def juror_order(stage_id: int) -> dict[int, str]:
    """The stage's assigned jurors' names by id, in the database's name order (one query)."""
    return dict(
        db.session.execute(
            select(User.id, User.full_name)
            .where(
                User.id.in_(
                    select(JuryAssignment.juror_id).where(JuryAssignment.stage_id == stage_id).distinct()
                )
            )
            .order_by(User.full_name, User.id)
        ).all()
    )


def assigned_jurors(stage_id: int, order: dict[int, str]) -> dict[int, list[int]]:
    """Each entry's assigned jurors in `order` (one query through the Core: plain rows)."""
    position = {juror_id: index for index, juror_id in enumerate(order)}
    assigned: dict[int, list[int]] = defaultdict(list)
    for entry_id, juror_id in db.session.connection().execute(
        select(JuryAssignment.entry_id, JuryAssignment.juror_id).where(JuryAssignment.stage_id == stage_id)
    ):
        assigned[entry_id].append(juror_id)
    for jurors in assigned.values():
        if len(jurors) > 1:
            jurors.sort(key=position.__getitem__)
    return assigned


def sheet_totals(stage_id: int) -> dict[tuple[int, int], tuple[int, int | None]]:
    """(entry, juror) → (sheet id, weighted total or None). The total is set only on a submitted
    sheet with points for every criterion, so None means the juror is still missing; one row per
    sheet, never the per-criterion rows."""
    return {
        (entry_id, juror_id): (
            sheet_id,
            None if total is None or state != SheetState.SUBMITTED else int(total),
        )
        for sheet_id, entry_id, juror_id, state, total in db.session.connection().execute(
            select(
                ScoreSheet.id,
                ScoreSheet.entry_id,
                ScoreSheet.juror_id,
                ScoreSheet.state,
                ScoreSheet.weighted_total,
            ).where(ScoreSheet.stage_id == stage_id)
        )
    }


def _max_score(stage: Stage, config: JuryConfig) -> Decimal | None:
    """Every criterion at its maximum (`scoring.max_total`); with `sum`, times the jurors an entry
    gets (the jurors per entry, or every juror of the stage)."""
    criteria = stage_criteria(stage.id)
    if not criteria:
        return None
    highest = scoring.max_total([scoring.Criterion(c.name, c.max_points, c.weight) for c in criteria])
    if scoring.Aggregation(config.aggregation or scoring.Aggregation.MEAN) is scoring.Aggregation.SUM:
        jurors = (
            config.jurors_per_entry
            or db.session.scalar(
                select(func.count()).select_from(StageJuror).where(StageJuror.stage_id == stage.id)
            )
            or 0
        )
        highest *= jurors
    return highest
