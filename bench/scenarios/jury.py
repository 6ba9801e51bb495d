"""Jury: the organiser's scores overview for 1,000 entries × 7 jurors (HTML, against the bare-Flask
baseline); pure timings of aggregation and ranking (10,000 entries × 7 jurors × 10 criteria) and of
allocation (10,000 entries to 100 jurors, K = 3, 5% conflicts)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert, select

from app.accounts import Role, User
from app.extensions import db
from bench.scenario import BenchContext, HttpTarget, PureResult, timed
from contest_engine.jury.models import (
    JuryAssignment,
    JuryConfig,
    JuryCriterion,
    Score,
    ScoreSheet,
    StageJuror,
)
from contest_engine.jury.overview import scores_overview
from contest_engine.jury.sheets import sheet_weighted_total
from contest_engine.jury.standing import refresh_standing
from contest_engine.models import Contest, ContestOrganiser, Division, Entry, Participation, Stage
from contest_engine.rules import allocation, scoring
from contest_engine.rules.ranking import rank
from contest_engine.rules.stages import StageKind, StageState

ENTRIES = 1_000
JURORS = 7
CRITERIA = 10
ORGANISER = "bench-jury-organiser@vmeste.local"
T0 = datetime(2027, 1, 10, 6, 0, tzinfo=UTC)


def prepare(ctx: BenchContext) -> None:
    """A jury stage with 1,000 scored entries (7 submitted sheets each, 10 criteria weighted 1 or 2):
    bulk inserts."""
    rng = random.Random(6)
    db.session.execute(
        insert(User),
        [
            {
                "email": ORGANISER,
                "full_name": "Организатор Жюри",
                "role": Role.ORGANISER,
                "password_hash": ctx.password_hash,
                "timezone": "Europe/Moscow",
                "locale": "ru",
                "active": True,
            },
            *(
                {
                    "email": f"jury{n}@bench.vmeste.local",
                    "full_name": f"Член жюри {n}",
                    "role": Role.JUROR,
                    "password_hash": ctx.password_hash,
                    "timezone": "Europe/Moscow",
                    "locale": "ru",
                    "active": True,
                }
                for n in range(JURORS)
            ),
            *(
                {
                    "email": f"finalist{n}@bench.vmeste.local",
                    "full_name": f"Финалист {n}",
                    "role": Role.TEACHER,
                    "password_hash": ctx.password_hash,
                    "timezone": "Europe/Moscow",
                    "locale": "ru",
                    "active": True,
                }
                for n in range(ENTRIES)
            ),
        ],
    )
    organiser = db.session.scalar(select(User).where(User.email == ORGANISER))
    assert organiser is not None
    jurors = list(db.session.scalars(select(User.id).where(User.email.like("jury%@bench.vmeste.local"))))
    people = list(db.session.scalars(select(User.id).where(User.email.like("finalist%@bench.vmeste.local"))))
    contest = Contest(title="Нагрузочный финал", created_by_id=organiser.id)
    db.session.add(contest)
    db.session.flush()
    db.session.add(ContestOrganiser(contest_id=contest.id, user_id=organiser.id))
    division = Division(contest_id=contest.id, name="Учителя")
    stage = Stage(
        contest_id=contest.id,
        position=1,
        title="Финал",
        kind=StageKind.JURY,
        state=StageState.JUDGING,
        opens_at=T0,
        closes_at=T0 + timedelta(days=7),
        has_jury=True,
    )
    db.session.add_all([division, stage])
    db.session.flush()
    db.session.add(
        JuryConfig(
            stage_id=stage.id,
            aggregation=scoring.Aggregation.TRIMMED_MEAN,
            blind=True,
            disagreement_threshold=Decimal(5),
        )
    )
    criteria = [
        JuryCriterion(
            stage_id=stage.id,
            position=n,
            name=f"Критерий {n + 1}",
            max_points=Decimal(10),
            weight=Decimal(1 + n % 2),
            levels=[],
        )
        for n in range(CRITERIA)
    ]
    db.session.add_all(criteria)
    db.session.add_all([StageJuror(stage_id=stage.id, user_id=juror_id) for juror_id in jurors])
    db.session.flush()
    db.session.execute(
        insert(Participation),
        [
            {"contest_id": contest.id, "user_id": user_id, "division_id": division.id, "registered_at": T0}
            for user_id in people
        ],
    )
    participations = list(
        db.session.scalars(select(Participation.id).where(Participation.contest_id == contest.id))
    )
    db.session.execute(
        insert(Entry),
        [
            {
                "stage_id": stage.id,
                "participation_id": pid,
                "version": 1,
                "is_current": True,
                "text": "План урока",
                "link": "",
                "submitted_at": T0,
            }
            for pid in participations
        ],
    )
    entries = list(db.session.scalars(select(Entry.id).where(Entry.stage_id == stage.id)))
    pairs = [(entry_id, juror_id) for entry_id in entries for juror_id in jurors]
    db.session.execute(
        insert(JuryAssignment),
        [{"stage_id": stage.id, "entry_id": e, "juror_id": j, "created_at": T0} for e, j in pairs],
    )
    points = {pair: {criterion.id: Decimal(rng.randint(0, 10)) for criterion in criteria} for pair in pairs}
    db.session.execute(
        insert(ScoreSheet),
        [
            {
                "stage_id": stage.id,
                "entry_id": e,
                "juror_id": j,
                "state": "submitted",
                "comment": "",
                "updated_at": T0,
                "submitted_at": T0,
                "weighted_total": sheet_weighted_total(criteria, points[(e, j)]),
            }
            for e, j in pairs
        ],
    )
    sheets = db.session.execute(
        select(ScoreSheet.id, ScoreSheet.entry_id, ScoreSheet.juror_id).where(ScoreSheet.stage_id == stage.id)
    ).all()
    db.session.execute(
        insert(Score),
        [
            {"sheet_id": sheet_id, "criterion_id": criterion_id, "points": value}
            for sheet_id, entry_id, juror_id in sheets
            for criterion_id, value in points[(entry_id, juror_id)].items()
        ],
    )
    db.session.commit()
    refresh_standing(stage.id)  # what the scoring services keep: the entries' aggregates and ranks
    db.session.commit()
    ctx.data.update(jury_stage_id=stage.id, jury_organiser=ORGANISER)


def targets(ctx: BenchContext) -> list[HttpTarget]:
    stage_id = ctx.data["jury_stage_id"]
    return [
        HttpTarget(
            "jury scores overview (1,000 entries × 7 jurors)",
            f"/jury/stages/{stage_id}/overview",
            login_as=ORGANISER,
            at_least=0.05,
            p99_under_ms=500,
        )
    ]


def _aggregate_and_rank(criteria: list[scoring.Criterion], marks: list[list[dict[str, Decimal]]]) -> None:
    scores = []
    for entry_id, per_juror in enumerate(marks):
        totals = [scoring.juror_total(criteria, m) for m in per_juror]
        scores.append((entry_id, scoring.aggregate(totals, scoring.Aggregation.TRIMMED_MEAN)))
    rank(scores)


def _refreshed(stage_id: int) -> None:
    refresh_standing(stage_id)
    db.session.rollback()


def pure(ctx: BenchContext) -> list[PureResult]:
    rng = random.Random(7)
    criteria = [scoring.Criterion(f"c{n}", Decimal(10), Decimal(rng.choice([1, 2]))) for n in range(10)]
    marks = [
        [{c.name: Decimal(rng.randint(0, 10)) for c in criteria} for _ in range(7)] for _ in range(10_000)
    ]
    entries = [allocation.Entry(n, n, rng.randint(1, 500)) for n in range(10_000)]
    jurors = [allocation.Juror(1_000_000 + n, rng.randint(1, 500)) for n in range(100)]
    conflicts = [
        (juror.juror_id, entry.participant_id) for entry in entries for juror in rng.sample(jurors, 5)
    ]  # 5% of the jurors conflict with each entry
    stage = db.session.get(Stage, ctx.data["jury_stage_id"])
    return [
        timed(
            "aggregation and ranking: 10,000 entries × 7 jurors × 10 criteria (trimmed mean)",
            lambda: _aggregate_and_rank(criteria, marks),
            repeat=1,
        ),
        timed(
            "allocation: 10,000 entries to 100 jurors, K = 3, 5% conflicts",
            lambda: allocation.allocate(entries, jurors, per_entry=3, conflicts=conflicts),
            repeat=1,
        ),
        timed(
            "scores_overview service: all 1,000 entries × 7 jurors with details",
            lambda: scores_overview(stage),
            repeat=3,
        ),
        timed(
            "scores_overview service, the page's call (50 rows, details on demand)",
            lambda: scores_overview(stage, page=1, per_page=50, with_details=False),
            repeat=3,
        ),
        timed(
            "refresh_standing: the stage's standing recomputed after a score (1,000 × 7, nothing changed)",
            lambda: _refreshed(stage.id),
            repeat=3,
        ),
    ]
