"""Contest room: a stage's ranking as rows — built from its standings for storing (`results`
writes them), and read straight from the standings while none are stored yet, so a page or an
export of a stage that closed a moment ago reads without writing (the rows are stored after it)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import select

from app.accounts import User
from app.extensions import db
from app.pagination import Page
from contest_engine.models import Participation, ResultStatus, Stage, StageParticipant
from contest_engine.queries import contest_divisions, contest_stages, next_stage
from contest_engine.rules.scoring import display
from contest_engine.rules.search import fold, search_text
from contest_engine.standings import Standings, standings


@dataclass
class ResultRow:
    participation_id: int
    user_id: int
    full_name: str
    division: str
    institution: str
    district: str
    score: Decimal | None
    rank: int | None
    status: str
    advanced: bool
    time_used_seconds: int | None

    @property
    def score_text(self) -> str:
        return display(self.score) if self.score is not None else ""


@dataclass(frozen=True)
class RankingRows:
    """The rows as stored (`stage_result` columns, in display order) and who each one is."""

    rows: list[dict[str, Any]]
    people: dict[int, Participation]
    names: dict[int, str]


def ranking_rows(
    stage: Stage,
    *,
    advanced: set[int] | None = None,
    confirmed: bool = False,
    scores: Standings | None = None,
) -> RankingRows:
    """The stage's ranking per division from its standings, in display order (division, rank,
    name). Reads only; `scores` are standings the caller already loaded."""
    stages = contest_stages(stage.contest_id)
    scores = scores if scores is not None else standings(stage, stages)
    participations = scores.participations
    following = next_stage(stage, stages)
    if advanced is None and following is not None and stage.advanced_at is not None:
        advanced = set(
            db.session.scalars(
                select(StageParticipant.participation_id).where(StageParticipant.stage_id == following.id)
            )
        )
        confirmed = True
    advanced = advanced or set()
    names = {p.id: name for p, name in _names(participations)}
    rows: list[dict[str, Any]] = []
    for division_id, members in scores.by_division().items():
        for p in members:
            score = scores.scores.get(p.id)
            rows.append(
                {
                    "stage_id": stage.id,
                    "participation_id": p.id,
                    "division_id": division_id,
                    "score": stored_score(score) if score is not None else None,
                    "rank": scores.ranks.get(p.id),
                    "time_used_seconds": scores.time_used.get(p.id),
                    "status": _status(p.id, scores, advanced, confirmed),
                    "advanced": p.id in advanced,
                    "search_text": search_text(
                        names.get(p.id, ""), p.institution_name or "", p.district or ""
                    ),
                }
            )
    division_order = {d.id: d.position for d in contest_divisions(stage.contest_id)}
    rows.sort(
        key=lambda r: (
            division_order.get(r["division_id"], 0),
            r["rank"] is None,
            r["rank"] or 0,
            names.get(r["participation_id"], ""),
            r["participation_id"],
        )
    )
    for position, row in enumerate(rows, start=1):
        row["position"] = position
    return RankingRows(rows, {p.id: p for p in participations}, names)


def unstored_page(
    stage: Stage, *, page: int, per_page: int, division_id: int | None = None, search: str = ""
) -> Page[ResultRow]:
    """One page of the ranking computed now (none stored yet), filtered like the stored one."""
    rows = unstored_results(stage)
    folded = fold(search.replace("|", " "))
    kept = [
        (row, text)
        for row, text, division in rows
        if (not division_id or division == division_id) and (not folded or folded in text)
    ]
    page = max(1, page)
    items = [row for row, _text in kept[(page - 1) * per_page : page * per_page]]
    return Page(items=items, page=page, per_page=per_page, total=len(kept))


def unstored_results(stage: Stage) -> list[tuple[ResultRow, str, int]]:
    """Every row of the ranking computed now, with its search text and division id."""
    ranking = ranking_rows(stage)
    divisions = {d.id: d.name for d in contest_divisions(stage.contest_id)}
    found = []
    for row in ranking.rows:
        person = ranking.people[row["participation_id"]]
        result = ResultRow(
            person.id,
            person.user_id,
            ranking.names.get(person.id, ""),
            divisions.get(row["division_id"], ""),
            person.institution_name or "",
            person.district or "",
            row["score"],
            row["rank"],
            row["status"],
            row["advanced"],
            row["time_used_seconds"],
        )
        found.append((result, row["search_text"], row["division_id"]))
    return found


def stored_score(score: Any) -> Decimal:
    """An exact score as stored (4 decimal places)."""
    exact = Fraction(score)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.0001"))


def _status(pid: int, scores: Standings, advanced: set[int], confirmed: bool) -> ResultStatus:
    if pid in scores.blocked:
        return ResultStatus.BLOCKED
    if pid not in scores.scores:
        return ResultStatus.NO_ENTRY
    if pid in advanced:
        return ResultStatus.ADVANCED
    return ResultStatus.ELIMINATED if confirmed else ResultStatus.RANKED


def _names(participations: list[Participation]) -> list[tuple[Participation, str]]:
    names = (
        dict(
            db.session.execute(
                select(User.id, User.full_name).where(User.id.in_([p.user_id for p in participations]))
            ).all()
        )
        if participations
        else {}
    )
    return [(p, names.get(p.user_id, "")) for p in participations]
