"""Jury room: every entry's standing on a jury stage — its exact aggregate over the jurors'
submitted totals, the spread, the disagreement flag and its rank in its division — computed from
the sheets and kept in `jury_entry_standing` by the services that change what it depends on (a
sheet submitted or changed, an appeal resolved, jurors, assignments, criteria, the aggregation,
entries), so the organiser's overview reads one page of rows.

`refresh_standing(stage)` is the one place that recomputes it, inside the caller's transaction
(the caller commits). It first moves the stage's "stage:N:jury" version on: that upsert takes the
version row's lock, so two refreshes of one stage at once queue up on PostgreSQL and the second
reads the first's committed sheets (SQLite writers queue anyway); only rows that changed are
written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import delete, exists, insert, select, update

from app.cache_versions import bump
from app.extensions import db
from contest_engine.jury.models import (
    TOTAL_SCALE,
    EntryStanding,
    JuryAssignment,
    JuryConfig,
    ScoreSheet,
    SheetState,
)
from contest_engine.models import Division, Entry, Participation, Stage
from contest_engine.rules import scoring
from contest_engine.rules.ranking import rank

_COLUMNS = (
    "division_id",
    "score_num",
    "score_den",
    "spread_num",
    "spread_den",
    "disagreement",
    "missing",
    "submitted",
    "rank",
    "position",
)


@dataclass(frozen=True)
class Aggregate:
    """One entry's aggregate over its submitted totals (None while a juror is missing)."""

    score: Fraction | None
    spread: Fraction | None
    disagreement: bool


def aggregate_entry(totals: list[int], missing: list[int], config: JuryConfig) -> Aggregate:
    """The pure rules on one entry's submitted totals (integers in ten-thousandths, see
    `sheets.TOTAL_SCALE`). Every aggregation is a sum, a mean or a median, so `aggregate` on the
    integers divided by the scale once is exactly `aggregate` on the Decimal totals; the spread and
    the disagreement threshold are compared on the same scale."""
    if not totals:
        return Aggregate(None, None, False)
    method = scoring.Aggregation(config.aggregation or scoring.Aggregation.MEAN)
    score = None if missing else scoring.aggregate(totals, method) / TOTAL_SCALE
    disagreement = config.disagreement_threshold is not None and scoring.is_disagreement(
        totals, Fraction(config.disagreement_threshold) * TOTAL_SCALE
    )
    return Aggregate(score, scoring.spread(totals) / TOTAL_SCALE, disagreement)


def standing_key(stage_id: int) -> str:
    """The cache version of a jury stage's standing (app/cache_versions.py)."""
    return f"stage:{stage_id}:jury"


@dataclass
class _Row:
    entry_id: int
    participation_id: int
    division_id: int
    division: str
    score: Fraction | None
    spread: Fraction | None
    disagreement: bool
    missing: int
    submitted: int
    rank: int | None = None


def standing_missing(stage_id: int) -> bool:
    """A stage with current entries and no stored standing (scored before standings were kept)."""
    return bool(
        db.session.scalar(
            select(
                exists().where(Entry.stage_id == stage_id, Entry.is_current.is_(True))
                & ~exists().where(EntryStanding.stage_id == stage_id)
            )
        )
    )


def store_missing_standing(stage_id: int) -> None:
    """After a page's response: store the standing of a stage that has none yet (the caller commits)."""
    if standing_missing(stage_id):
        refresh_standing(stage_id)


def refresh_standing(stage: Stage | int) -> None:
    """Recompute the standing of every current entry of a jury stage and write the rows that
    changed (the caller commits). Five reads whatever the stage's size."""
    stage_id = stage if isinstance(stage, int) else stage.id
    db.session.flush()  # the caller's changes, before reading through the connection
    bump(standing_key(stage_id))
    computed = compute_standing(stage_id)
    stored = {
        row[0]: tuple(row[1:])
        for row in db.session.execute(
            select(EntryStanding.entry_id, *(getattr(EntryStanding, c) for c in _COLUMNS)).where(
                EntryStanding.stage_id == stage_id
            )
        )
    }
    fresh = {values["entry_id"]: values for values in computed}
    gone = [entry_id for entry_id in stored if entry_id not in fresh]
    if gone:
        db.session.execute(delete(EntryStanding).where(EntryStanding.entry_id.in_(gone)))
    added = [values for entry_id, values in fresh.items() if entry_id not in stored]
    changed = [
        values
        for entry_id, values in fresh.items()
        if entry_id in stored and stored[entry_id] != tuple(values[c] for c in _COLUMNS)
    ]
    if added:
        db.session.execute(insert(EntryStanding), added)
    if changed:
        db.session.execute(
            update(EntryStanding).execution_options(synchronize_session=False),
            [{k: v for k, v in values.items() if k != "stage_id"} for values in changed],
        )


def compute_standing(stage_id: int) -> list[dict[str, Any]]:
    """The standing rows as stored, in the overview's order (division, rank, entry), computed
    from the sheets: the jurors' stored totals aggregated exactly by the stage's rule, ranked per
    division by standard competition ranking (entries still missing a juror are unranked)."""
    config = db.session.get(JuryConfig, stage_id) or JuryConfig(
        stage_id=stage_id, aggregation=scoring.Aggregation.MEAN
    )
    assigned: dict[int, list[int]] = defaultdict(list)
    for entry_id, juror_id in db.session.connection().execute(
        select(JuryAssignment.entry_id, JuryAssignment.juror_id).where(JuryAssignment.stage_id == stage_id)
    ):
        assigned[entry_id].append(juror_id)
    totals = {
        (entry_id, juror_id): int(weighted or 0)
        for entry_id, juror_id, weighted in db.session.connection().execute(
            select(ScoreSheet.entry_id, ScoreSheet.juror_id, ScoreSheet.weighted_total).where(
                ScoreSheet.stage_id == stage_id,
                ScoreSheet.state == SheetState.SUBMITTED,
                ScoreSheet.weighted_total.is_not(None),
            )
        )
    }
    rows: list[_Row] = []
    for entry_id, participation_id, division_id, division in db.session.execute(
        select(Entry.id, Entry.participation_id, Participation.division_id, Division.name)
        .join(Participation, Participation.id == Entry.participation_id)
        .join(Division, Division.id == Participation.division_id)
        .where(Entry.stage_id == stage_id, Entry.is_current.is_(True))
    ):
        given: list[int] = []
        missing = 0
        for juror_id in assigned.get(entry_id, []):
            total = totals.get((entry_id, juror_id))
            if total is None:
                missing += 1
            else:
                given.append(total)
        result = aggregate_entry(given, [0] * missing, config)
        rows.append(
            _Row(
                entry_id,
                participation_id,
                division_id,
                division,
                result.score,
                result.spread,
                result.disagreement,
                missing,
                len(given),
            )
        )
    _rank(rows)
    rows.sort(key=lambda r: (r.division, r.rank is None, r.rank or 0, r.entry_id))
    return [_stored(row, stage_id, position) for position, row in enumerate(rows, start=1)]


def _rank(rows: list[_Row]) -> None:
    """Standard competition ranking per division of the entries with a score."""
    by_division: dict[int, list[_Row]] = defaultdict(list)
    for row in rows:
        if row.score is not None:
            by_division[row.division_id].append(row)
    for group in by_division.values():
        places = {
            r.participant_id: r.rank
            for r in rank([(row.entry_id, row.score) for row in group if row.score is not None])
        }
        for row in group:
            row.rank = places[row.entry_id]


def _stored(row: _Row, stage_id: int, position: int) -> dict[str, Any]:
    return {
        "entry_id": row.entry_id,
        "stage_id": stage_id,
        "division_id": row.division_id,
        "score_num": row.score.numerator if row.score is not None else None,
        "score_den": row.score.denominator if row.score is not None else None,
        "spread_num": row.spread.numerator if row.spread is not None else None,
        "spread_den": row.spread.denominator if row.spread is not None else None,
        "disagreement": bool(row.disagreement),
        "missing": row.missing,
        "submitted": row.submitted,
        "rank": row.rank,
        "position": position,
    }
