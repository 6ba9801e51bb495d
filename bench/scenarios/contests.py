"""Contest engine: ranking and advancement of 100,000 participants in one division (pure, seconds);
the results page of a published stage with 10,000 participants (signed in, a district search, the
public page; beside the bare-Flask baseline); the contest day's one-node run of bench/contest_day.py
(1,000 pupils start the olympiad round, save 20 answers and finish against gunicorn with 2 workers:
requests/s, p99, failed requests, answers lost). BENCH_CONTESTS_HTTP=0 skips that run."""

from __future__ import annotations

import os
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import insert, select

from app.accounts import Role, User
from app.extensions import db
from bench.contest_day import Run, as_pure_results, perform
from bench.scenario import BenchContext, HttpTarget, PureResult, timed
from contest_engine.models import Contest, ContestOrganiser, Division, Participation, Stage, StageResult
from contest_engine.rules import advancement, ranking
from contest_engine.rules.search import search_text
from contest_engine.rules.stages import StageKind, StageState

RANKED = 100_000
RESULTS_PARTICIPANTS = 10_000
PUPILS = 1_000
ORGANISER = "bench-contest-organiser@vmeste.local"


def _organiser(ctx: BenchContext) -> User:
    user = db.session.scalar(select(User).where(User.email == ORGANISER))
    if user is None:
        user = User(
            email=ORGANISER,
            full_name="Организатор Нагрузочный",
            role=Role.ORGANISER,
            password_hash=ctx.password_hash,
        )
        db.session.add(user)
        db.session.commit()
    return user


def _results_stage(ctx: BenchContext, owner: User, now: datetime) -> int:
    """A published olympiad stage whose stored ranking holds 10,000 participants (bulk inserts)."""
    contest = Contest(
        title="Нагрузочная олимпиада: результаты", kind="olympiad", created_by_id=owner.id, award_rules=[]
    )
    db.session.add(contest)
    db.session.flush()
    db.session.add(ContestOrganiser(contest_id=contest.id, user_id=owner.id))
    division = Division(contest_id=contest.id, name="5-11", position=0)
    stage = Stage(
        contest_id=contest.id,
        position=1,
        title="Тур",
        kind=StageKind.OLYMPIAD,
        state=StageState.PUBLISHED,
        opens_at=now - timedelta(days=3),
        closes_at=now - timedelta(days=1),
        results_published_at=now - timedelta(hours=12),
        results_computed_at=now - timedelta(hours=12),
    )
    db.session.add_all([division, stage])
    db.session.flush()
    user_ids = list(
        db.session.scalars(
            select(User.id).where(User.role != Role.ADMIN).order_by(User.id).limit(RESULTS_PARTICIPANTS)
        )
    )
    db.session.execute(
        insert(Participation),
        [
            {
                "contest_id": contest.id,
                "user_id": uid,
                "division_id": division.id,
                "institution_name": f"Школа № {uid % 300}",
                "district": f"Район {uid % 12}",
                "registered_at": now - timedelta(days=5),
            }
            for uid in user_ids
        ],
    )
    people = db.session.execute(
        select(Participation.id, User.full_name, Participation.institution_name, Participation.district)
        .join(User, User.id == Participation.user_id)
        .where(Participation.contest_id == contest.id)
    ).all()
    pids = [row[0] for row in people]
    folded = {row[0]: search_text(row[1], row[2], row[3]) for row in people}  # as write_results stores it
    rng = random.Random(5)
    scores = {pid: Decimal(rng.randint(0, 400)) / 4 for pid in pids}
    ranked = ranking.rank(scores.items())
    db.session.execute(
        insert(StageResult),
        [
            {
                "stage_id": stage.id,
                "participation_id": row.participant_id,
                "division_id": division.id,
                "score": row.score,
                "rank": row.rank,
                "status": "ranked",
                "advanced": False,
                "position": position,
                "search_text": folded[row.participant_id],
            }
            for position, row in enumerate(ranked, start=1)
        ],
    )
    db.session.commit()
    return stage.id


def prepare(ctx: BenchContext) -> None:
    now = datetime.now(UTC)
    owner = _organiser(ctx)
    ctx.data["contests"] = {
        "results_stage_id": _results_stage(ctx, owner, now),
    }


def targets(ctx: BenchContext) -> list[HttpTarget]:
    stage_id = ctx.data["contests"]["results_stage_id"]
    results = f"/contests/stages/{stage_id}/results"
    return [
        HttpTarget(
            "contests: results page 1 of 10,000 (signed in)", results, login_as=ORGANISER, at_least=0.15
        ),
        HttpTarget(
            "contests: results, page 3 of a district search (signed in)",
            f"{results}?page=3&q=%D1%80%D0%B0%D0%B9%D0%BE%D0%BD%201",  # «район 1»: any case finds «Район 1…»
            login_as=ORGANISER,
            at_least=0.05,
            p99_under_ms=500,
        ),
        HttpTarget("contests: public results page 1 (anonymous, no session)", results, at_least=0.4),
    ]


def pure(ctx: BenchContext) -> list[PureResult]:
    rng = random.Random(7)
    rows = [(pid, Fraction(rng.randint(0, 2000), 20)) for pid in range(RANKED)]
    candidates = [advancement.Candidate(pid, score, time_used=rng.randint(60, 3600)) for pid, score in rows]
    rule = advancement.AdvancementRule.top_percent(10)
    results = [
        timed(f"contests: rank {RANKED:,} participants (s)", lambda: ranking.rank(rows), at_most_s=0.5),
        # advance ranks the division itself, so each of these is "rank + advance" (the bar)
        timed(
            f"contests: rank + advance {RANKED:,} participants, top 10% (s)",
            lambda: advancement.advance(candidates, rule),
            at_most_s=0.5,
        ),
        timed(
            f"contests: rank + advance {RANKED:,} participants, ranked by time (s)",
            lambda: advancement.advance(candidates, rule, rank_by_time=True),
            at_most_s=0.5,
        ),
    ]
    if "contests" in ctx.data and os.environ.get("BENCH_CONTESTS_HTTP", "1") != "0":
        results.extend(_contest_day(db.engine.dialect.name))
    return results


def _contest_day(database: str) -> list[PureResult]:
    """1,000 pupils × (start the round, 20 saves, finish) on one node of 2 gunicorn workers, on this
    run's kind of database: `make contest-day`'s run (bench/contest_day.py), on a fresh database of
    its own, with its bars (p99, failed requests, answers lost)."""
    run = Run(f"{PUPILS:,} pupils, one node", database if database == "postgresql" else "sqlite", 1, PUPILS)
    return as_pure_results(perform(run))
