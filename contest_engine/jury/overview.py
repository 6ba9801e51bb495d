"""Jury room: the organiser's scores overview — every current entry with each assigned juror's
total, the spread, the aggregate (from `scores`) and the rank per division for display, with the
criterion points and comments of one page of rows; one entry's row for the appeal page. Reads only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import false, select

from app.accounts import User
from app.extensions import db
from contest_engine.jury.models import JuryConfig, JuryCriterion, Score, ScoreSheet
from contest_engine.jury.scores import aggregate_entry, assigned_jurors, juror_order, sheet_totals
from contest_engine.jury.setup import jury_config, stage_criteria
from contest_engine.jury.sheets import TOTAL_SCALE
from contest_engine.models import Division, Entry, Participation, Stage
from contest_engine.rules import scoring
from contest_engine.rules.ranking import rank


@dataclass
class JurorMark:
    juror_id: int
    juror_name: str
    state: str  # "missing" | "draft" | "submitted"
    total: Decimal | None = None
    points: dict[str, Decimal] = field(default_factory=dict)
    comment: str = ""
    sheet_id: int | None = None


@dataclass
class OverviewRow:
    entry_id: int
    participation_id: int
    participant_name: str
    division_id: int
    division: str
    marks: list[JurorMark]
    score: Fraction | None = None
    spread: Fraction | None = None
    disagreement: bool = False
    rank: int | None = None
    missing_jurors: list[int] = field(default_factory=list)

    @property
    def score_display(self) -> str:
        return scoring.display(self.score) if self.score is not None else ""

    @property
    def spread_display(self) -> str:
        return scoring.display(self.spread) if self.spread is not None else ""


@dataclass
class Overview:
    criteria: list[JuryCriterion]
    config: JuryConfig
    rows: list[OverviewRow]

    @property
    def max_total(self) -> Decimal:
        """The most one juror's weighted total can be (Σ maximum × weight): «17 из 20»."""
        return sum((c.max_points * c.weight for c in self.criteria), Decimal(0))


def scores_overview(
    stage: Stage, *, page: int | None = None, per_page: int = 100, with_details: bool = True
) -> Overview:
    """Every current entry with each assigned juror's total, spread, aggregated score and rank per
    division, sorted for display; criterion points and comments are loaded for one page of rows
    (all rows when `page` is None). Six queries whatever the number of entries and jurors.

    Jurors' totals are read from `ScoreSheet.weighted_total` (integers in ten-thousandths, kept by
    every score write), so they stay exact and the ranking reads one row per (entry, juror), never
    the per-criterion rows. The rank is this page's display; results rank in the contest room's
    standings, which read `scores.stage_scores`.
    """
    config = jury_config(stage)
    criteria = stage_criteria(stage.id)
    names = {c.id: c.name for c in criteria}
    entries = db.session.execute(
        select(Entry.id, Entry.participation_id, Participation.division_id, Division.name, User.full_name)
        .join(Participation, Participation.id == Entry.participation_id)
        .join(User, User.id == Participation.user_id)
        .join(Division, Division.id == Participation.division_id)
        .where(Entry.stage_id == stage.id, Entry.is_current.is_(True))
        .order_by(Entry.id)
    ).all()
    juror_names = juror_order(stage.id)
    assigned = assigned_jurors(stage.id, juror_names)
    sheets = sheet_totals(stage.id)
    rows: list[OverviewRow] = []
    for entry in entries:
        marks: list[JurorMark] = []
        totals: list[int] = []
        missing: list[int] = []
        for juror_id in assigned.get(entry.id, []):
            sheet_id, summed = sheets.get((entry.id, juror_id), (None, None))
            juror_name = juror_names[juror_id]
            if summed is None:
                missing.append(juror_id)
                marks.append(
                    JurorMark(juror_id, juror_name, "draft" if sheet_id else "missing", sheet_id=sheet_id)
                )
                continue
            totals.append(summed)
            marks.append(
                JurorMark(juror_id, juror_name, "submitted", Decimal(summed) / TOTAL_SCALE, sheet_id=sheet_id)
            )
        result = aggregate_entry(totals, missing, config)
        rows.append(
            OverviewRow(
                entry.id,
                entry.participation_id,
                entry.full_name,
                entry.division_id,
                entry.name,
                marks,
                result.score,
                result.spread,
                result.disagreement,
                missing_jurors=missing,
            )
        )
    _rank_by_division(rows)
    rows.sort(key=lambda r: (r.division, r.rank is None, r.rank or 0, r.entry_id))
    if with_details:
        _fill_details(rows if page is None else rows[(page - 1) * per_page : page * per_page], names)
    return Overview(criteria, config, rows)


def entry_scores(stage: Stage, entry_id: int) -> tuple[OverviewRow | None, list[JuryCriterion]]:
    """One entry's overview row with its jurors' points and comments (the appeal page), and the
    stage's criteria: the overview without details, then the details of that row only."""
    overview = scores_overview(stage, with_details=False)
    row = next((r for r in overview.rows if r.entry_id == entry_id), None)
    _fill_details([row] if row else [], {c.id: c.name for c in overview.criteria})
    return row, overview.criteria


def _rank_by_division(rows: list[OverviewRow]) -> None:
    by_division: dict[int, list[OverviewRow]] = defaultdict(list)
    for row in rows:
        if row.score is not None:
            by_division[row.division_id].append(row)
    for group in by_division.values():
        ranks = {
            r.participant_id: r.rank
            for r in rank([(row.participation_id, row.score) for row in group if row.score is not None])
        }
        for row in group:
            row.rank = ranks[row.participation_id]


def _fill_details(rows: list[OverviewRow], names: dict[int, str]) -> None:
    """Criterion points and comments of the shown rows' sheets: two queries."""
    by_sheet = {mark.sheet_id: mark for row in rows for mark in row.marks if mark.sheet_id is not None}
    if not by_sheet:
        db.session.execute(select(Score.id).where(false()))  # keep the query count fixed
        db.session.execute(select(ScoreSheet.id).where(false()))
        return
    for sheet_id, criterion_id, points in db.session.execute(
        select(Score.sheet_id, Score.criterion_id, Score.points).where(Score.sheet_id.in_(list(by_sheet)))
    ):
        if criterion_id in names:
            by_sheet[sheet_id].points[names[criterion_id]] = points
    for sheet_id, comment in db.session.execute(
        select(ScoreSheet.id, ScoreSheet.comment).where(ScoreSheet.id.in_(list(by_sheet)))
    ):
        by_sheet[sheet_id].comment = comment
