"""Contest engine: ranking and advancement of 100,000 participants in one division (pure, seconds);
the results page of a published stage with 10,000 participants (HTML and API, beside the bare-Flask
baseline); 1,000 pupils each starting the olympiad round through the contest's attempt policy, saving
20 answers and finishing, against gunicorn with 2 workers (requests/s, p99, errors)."""

from __future__ import annotations

import os
import random
import secrets
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from sqlalchemy import insert, select

from app.accounts import ApiToken, Role, User, hash_token
from app.extensions import db
from bench.scenario import BenchContext, HttpTarget, PureResult, timed
from contest_engine import clock, olympiad, queries, setup
from contest_engine.models import Contest, ContestOrganiser, Division, Participation, Stage, StageResult
from contest_engine.rules import advancement, ranking
from contest_engine.rules.search import search_text
from contest_engine.rules.stages import StageKind, StageState
from contest_engine.spec import ContestSpec, StageSpec

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


def _round(ctx: BenchContext, owner: User, now: datetime) -> dict[str, object]:
    """An olympiad round open now, 20 auto-graded questions, 1,000 registered pupils with API tokens."""
    from bench.scenarios.quiz import GIFT_TEMPLATE

    spec = ContestSpec(
        title="Нагрузочная олимпиада: тур",
        kind="olympiad",
        divisions=["5-8", "9-11"],
        stages=[StageSpec("Онлайн-тур", "olympiad", now + timedelta(minutes=1), now + timedelta(days=2))],
        awards=[{"title": "Участник"}],
    )
    contest = setup.create_contest(spec, actor=owner, now=now)
    text = "\n\n".join(GIFT_TEMPLATE.format(n=n) for n in range(3))
    report = olympiad.import_questions(contest, text, actor=owner)
    assert not report.errors, report.errors
    stage = queries.contest_stages(contest.id)[0]
    quiz = olympiad.create_round(
        stage,
        contest,
        question_ids=[q.id for q in report.imported][:20],
        time_limit_minutes=60,
        max_grade=Decimal(100),
        shuffle=True,
        actor=owner,
        now=now,
    )
    stage_id = stage.id
    stage = db.session.get(Stage, stage_id)
    stage.opens_at = quiz.opens_at = now - timedelta(minutes=5)  # open it now (set up a minute ahead)
    db.session.commit()
    clock.run_clock(datetime.now(UTC), contest_id=contest.id)
    divisions = queries.contest_divisions(contest.id)
    people = [
        {
            "email": f"olymp{n}@bench.vmeste.local",
            "full_name": f"Олимпиадник {n}",
            "role": Role.STUDENT,
            "password_hash": ctx.password_hash,
            "timezone": "Europe/Moscow",
            "locale": "ru",
            "active": True,
        }
        for n in range(PUPILS)
    ]
    db.session.execute(insert(User), people)
    ids = list(
        db.session.scalars(
            select(User.id).where(User.email.like("olymp%@bench.vmeste.local")).order_by(User.id)
        )
    )
    db.session.execute(
        insert(Participation),
        [
            {
                "contest_id": contest.id,
                "user_id": uid,
                "division_id": divisions[n % 2].id,
                "registered_at": now,
                "institution_name": "Школа",
            }
            for n, uid in enumerate(ids)
        ],
    )
    tokens = [secrets.token_urlsafe(32) for _ in ids]
    db.session.execute(
        insert(ApiToken),
        [
            {"user_id": uid, "token_hash": hash_token(raw), "name": "bench", "created_at": now}
            for uid, raw in zip(ids, tokens, strict=True)
        ],
    )
    db.session.commit()
    return {"quiz_id": quiz.id, "tokens": tokens, "contest_id": contest.id}


def prepare(ctx: BenchContext) -> None:
    now = datetime.now(UTC)
    owner = _organiser(ctx)
    ctx.data["contests"] = {
        "results_stage_id": _results_stage(ctx, owner, now),
        "round": _round(ctx, owner, now),
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
        results.extend(_pupils_over_http(ctx))
    return results


def _pupils_over_http(ctx: BenchContext) -> list[PureResult]:
    """1,000 pupils × (start the round, 20 saves, finish) against the real app with 2 gunicorn
    workers; the contest's attempt policy decides every start and caps every deadline."""
    from bench.run import Gunicorn, log
    from bench.scenarios.quiz import _run_plain, _run_students

    data = ctx.data["contests"]["round"]
    db.session.remove()
    db.engine.dispose()
    workdir = Path(os.environ.get("VMESTE_INSTANCE_PATH", "/tmp"))
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    served = Gunicorn("bench.wsgi:app", env, workdir)
    bare = Gunicorn("bench.bare:app", env, workdir)
    try:
        served.wait_ready("/auth/login")
        bare.wait_ready("/")
        log(f"contests: {PUPILS} pupils × 22 requests, {connections} connections")
        app_rps, app_p99, errors = _run_students(served.port, data, connections)
        base_rps, base_p99, _ = _run_plain(bare.port, PUPILS * 22, connections)
    finally:
        served.stop()
        bare.stop()
    return [
        PureResult(
            f"contests: {PUPILS:,} pupils start the round + 20 saves + finish (requests/s)",
            per_second=app_rps,
        ),
        PureResult(f"contests: {PUPILS:,} pupils, p99 latency (s)", seconds=app_p99),
        PureResult(f"contests: {PUPILS:,} pupils, failed requests", per_second=float(errors)),
        PureResult(
            "contests: bare Flask page, same requests and connections (requests/s)", per_second=base_rps
        ),
        PureResult("contests: bare Flask page, p99 latency (s)", seconds=base_p99),
    ]
