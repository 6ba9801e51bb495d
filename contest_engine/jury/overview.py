"""Jury room: the organiser's scores overview — one page of entries in standing order, each with
its stored aggregate, spread, disagreement and rank (`standing`), its assigned jurors' totals and,
on demand, their criterion points and comments; one entry's row for the appeal page. Reads only,
a fixed number of queries whatever the number of entries and jurors."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import Select, case, false, func, select

from app.accounts import User
from app.extensions import db
from contest_engine.jury.models import (
    EntryStanding,
    JuryAssignment,
    JuryConfig,
    JuryCriterion,
    Score,
    ScoreSheet,
    SheetState,
)
from contest_engine.jury.scores import juror_order
from contest_engine.jury.setup import jury_config, stage_criteria
from contest_engine.jury.sheets import TOTAL_SCALE
from contest_engine.jury.standing import compute_standing
from contest_engine.models import Division, Entry, Participation, Stage
from contest_engine.rules import scoring


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
    """One page of rows (all of them when asked without a page) and the stage's counts."""

    criteria: list[JuryCriterion]
    config: JuryConfig
    rows: list[OverviewRow]
    total: int = 0
    flagged: int = 0  # entries whose jurors disagree beyond the threshold
    blocked: int = 0  # entries still waiting for a juror's score

    @property
    def max_total(self) -> Decimal:
        """The most one juror's weighted total can be (Σ maximum × weight): «17 из 20»."""
        return sum((c.max_points * c.weight for c in self.criteria), Decimal(0))


def scores_overview(
    stage: Stage, *, page: int | None = None, per_page: int = 100, with_details: bool = True
) -> Overview:
    """One page of the stage's entries in standing order (division, rank, entry) with each assigned
    juror's total, and their criterion points and comments when `with_details`; every entry when
    `page` is None. Reads the stored standing (`standing.refresh_standing` keeps it), never ranks."""
    config = jury_config(stage)
    criteria = stage_criteria(stage.id)
    total, flagged, blocked = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((EntryStanding.disagreement.is_(True), 1), else_=0)), 0),
            func.coalesce(func.sum(case((EntryStanding.score_num.is_(None), 1), else_=0)), 0),
        ).where(EntryStanding.stage_id == stage.id)
    ).one()
    query = _rows_query().where(EntryStanding.stage_id == stage.id).order_by(EntryStanding.position)
    if page is not None:
        query = query.limit(per_page).offset((max(1, page) - 1) * per_page)
    rows = _rows(list(db.session.execute(query)), stage.id)
    if with_details:
        _fill_details(rows, {c.id: c.name for c in criteria})
    return Overview(criteria, config, rows, int(total), int(flagged), int(blocked))


def entry_scores(stage: Stage, entry_id: int) -> tuple[OverviewRow | None, list[JuryCriterion]]:
    """One entry's overview row with its jurors' points and comments (the appeal page, the
    organiser's details of a row), and the stage's criteria."""
    criteria = stage_criteria(stage.id)
    found = list(
        db.session.execute(
            _rows_query().where(EntryStanding.stage_id == stage.id, EntryStanding.entry_id == entry_id)
        )
    )
    if not found:  # a stage scored before standings were stored: computed now, not written (a read)
        found = _computed_row(stage.id, entry_id)
    rows = _rows(found, stage.id)
    _fill_details(rows, {c.id: c.name for c in criteria})
    return (rows[0] if rows else None), criteria


def _rows_query() -> Select[EntryStanding, int, int, str, str]:
    return (
        select(
            EntryStanding, Entry.participation_id, Participation.division_id, Division.name, User.full_name
        )
        .join(Entry, Entry.id == EntryStanding.entry_id)
        .join(Participation, Participation.id == Entry.participation_id)
        .join(User, User.id == Participation.user_id)
        .join(Division, Division.id == Participation.division_id)
    )


def _computed_row(stage_id: int, entry_id: int) -> list[Any]:
    computed = next((row for row in compute_standing(stage_id) if row["entry_id"] == entry_id), None)
    if computed is None:
        return []
    who = db.session.execute(
        select(Entry.participation_id, Participation.division_id, Division.name, User.full_name)
        .join(Participation, Participation.id == Entry.participation_id)
        .join(User, User.id == Participation.user_id)
        .join(Division, Division.id == Participation.division_id)
        .where(Entry.id == entry_id)
    ).one()
    return [(EntryStanding(**computed), *who)]


def _rows(found: list[Any], stage_id: int) -> list[OverviewRow]:
    """The rows with their jurors' marks: the jurors' names, and the page's assignments and sheets
    (three queries)."""
    entry_ids = [standing.entry_id for standing, *_rest in found]
    names = juror_order(stage_id)
    order = {juror_id: index for index, juror_id in enumerate(names)}
    assigned: dict[int, list[int]] = defaultdict(list)
    sheets: dict[tuple[int, int], tuple[int, str, int | None]] = {}
    if entry_ids:
        for entry_id, juror_id in db.session.execute(
            select(JuryAssignment.entry_id, JuryAssignment.juror_id).where(
                JuryAssignment.entry_id.in_(entry_ids)
            )
        ):
            assigned[entry_id].append(juror_id)
        for sheet_id, entry_id, juror_id, state, weighted in db.session.execute(
            select(
                ScoreSheet.id,
                ScoreSheet.entry_id,
                ScoreSheet.juror_id,
                ScoreSheet.state,
                ScoreSheet.weighted_total,
            ).where(ScoreSheet.entry_id.in_(entry_ids))
        ):
            sheets[(entry_id, juror_id)] = (sheet_id, state, weighted)
    else:
        db.session.execute(select(JuryAssignment.id).where(false()))  # keep the query count fixed
        db.session.execute(select(ScoreSheet.id).where(false()))
    rows = []
    for standing, participation_id, division_id, division, full_name in found:
        jurors = sorted(assigned[standing.entry_id], key=lambda juror_id: order.get(juror_id, 0))
        marks, missing = _marks(standing.entry_id, jurors, sheets, names)
        rows.append(
            OverviewRow(
                standing.entry_id,
                participation_id,
                full_name,
                division_id,
                division,
                marks,
                _fraction(standing.score_num, standing.score_den),
                _fraction(standing.spread_num, standing.spread_den),
                standing.disagreement,
                standing.rank,
                missing,
            )
        )
    return rows


def _marks(
    entry_id: int,
    jurors: list[int],
    sheets: dict[tuple[int, int], tuple[int, str, int | None]],
    names: dict[int, str],
) -> tuple[list[JurorMark], list[int]]:
    marks: list[JurorMark] = []
    missing: list[int] = []
    for juror_id in jurors:
        sheet_id, state, weighted = sheets.get((entry_id, juror_id), (None, None, None))
        name = names.get(juror_id, "")
        if weighted is None or state != SheetState.SUBMITTED:
            missing.append(juror_id)
            marks.append(JurorMark(juror_id, name, "draft" if sheet_id else "missing", sheet_id=sheet_id))
        else:
            total = Decimal(int(weighted)) / TOTAL_SCALE
            marks.append(JurorMark(juror_id, name, "submitted", total, sheet_id=sheet_id))
    return marks, missing


def _fraction(numerator: int | None, denominator: int | None) -> Fraction | None:
    return None if numerator is None or denominator is None else Fraction(numerator, denominator)


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
