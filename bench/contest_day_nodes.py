"""One contest-day run (started by `bench/contest_day.py` with DATABASE_URL and CONTEST_* set): an
olympiad round open now with 20 auto-graded questions and N registered pupils with API tokens,
served by one gunicorn node (2 workers) or by two nodes behind Debian's nginx on loopback, with
Redis shared by the nodes when `redis-server` is installed. Every pupil starts the round through the
contest's attempt policy, saves 20 answers (`PUT /api/v1/attempts/{id}/answers/{slot}`) and
finishes; then every acknowledged answer is looked up in the database (bench/chaos_round.py's
ledger and check). Prints the figures as one JSON document on stdout.

Two nodes as two machines would run them: the same SECRET_KEY (a session or a link signed by one
node is honoured by the other, and nginx may send a pupil's next request to either), separate
instance folders (each machine has its own disk), one PostgreSQL, one Redis.
"""

from __future__ import annotations

import json
import os
import queue
import random
import secrets
import signal
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from app import create_app
from app.accounts import ApiToken, Role, User, hash_token
from app.extensions import db
from app.security import hash_password
from bench.chaos_round import Ledger, Pupil, compare_with_database
from bench.measure import percentile, run_threads
from bench.scenario import BenchContext
from bench.scenarios.quiz import GIFT_TEMPLATE, _run_plain
from bench.servers import PASSWORD, ROOT, Gunicorn, log, stop_on_sigterm
from bench.topology import nginx, redis_server
from contest_engine import clock, olympiad, queries, setup
from contest_engine.models import Participation
from contest_engine.spec import ContestSpec, StageSpec

ORGANISER = "contest-day-organiser@vmeste.local"
QUESTIONS = 20


def prepare_round(ctx: BenchContext, pupils: int) -> dict[str, Any]:
    """An olympiad round open now (20 questions, 60 minutes, one attempt each), `pupils` registered
    pupils in two divisions, each with an API token (bulk inserts)."""
    now = datetime.now(UTC)
    owner = User(email=ORGANISER, full_name="Организатор Олимпиады", role=Role.ORGANISER)
    owner.password_hash = ctx.password_hash
    db.session.add(owner)
    db.session.commit()
    window = StageSpec("Онлайн-тур", "olympiad", now + timedelta(minutes=1), now + timedelta(days=1))
    spec = ContestSpec(
        title="Олимпиада: день тура",
        kind="olympiad",
        divisions=["5-8", "9-11"],
        stages=[window],
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
        question_ids=[q.id for q in report.imported][:QUESTIONS],
        time_limit_minutes=60,
        max_grade=Decimal(100),
        shuffle=True,
        actor=owner,
        now=now,
    )
    stage.opens_at = quiz.opens_at = now - timedelta(minutes=5)  # set up ahead, opened now
    db.session.commit()
    clock.run_clock(datetime.now(UTC), contest_id=contest.id)
    divisions = queries.contest_divisions(contest.id)
    people = [
        {
            "email": f"tour{n}@contest-day.vmeste.local",
            "full_name": f"Участник {n}",
            "role": Role.STUDENT,
            "password_hash": ctx.password_hash,
            "timezone": "Europe/Moscow",
            "locale": "ru",
            "active": True,
        }
        for n in range(pupils)
    ]
    db.session.execute(insert(User), people)
    ids = list(db.session.scalars(select(User.id).where(User.email.like("tour%@contest-day.vmeste.local"))))
    registrations = [
        {"contest_id": contest.id, "user_id": uid, "division_id": divisions[n % 2].id, "registered_at": now}
        for n, uid in enumerate(ids)
    ]
    db.session.execute(insert(Participation), registrations)
    tokens = [secrets.token_urlsafe(32) for _ in ids]
    rows = [
        {"user_id": uid, "token_hash": hash_token(raw), "name": "contest day", "created_at": now}
        for uid, raw in zip(ids, tokens, strict=True)
    ]
    db.session.execute(insert(ApiToken), rows)
    db.session.commit()
    return {"quiz_id": quiz.id, "tokens": tokens}


class TimedPupil(Pupil):
    """chaos_round's pupil, timing each request as the pupil waits for it (retries included)."""

    def __init__(self, port: int, ledger: Ledger) -> None:
        super().__init__(port, ledger)
        self.latencies: list[float] = []

    def call(self, method: str, path: str, token: str, body: Any = None) -> Any:
        started = time.perf_counter()
        try:
            return super().call(method, path, token, body)
        finally:
            self.latencies.append(time.perf_counter() - started)


def run_pupils(port: int, quiz: dict[str, Any], connections: int, ledger: Ledger) -> dict[str, Any]:
    """Every pupil once (start, 20 saves, finish), `connections` of them at a time, no pause
    between requests: a heavier load than real pupils who read and think."""
    accounts: queue.Queue[str] = queue.Queue()
    for token in quiz["tokens"]:
        accounts.put(token)
    latencies: list[float] = []
    lock = threading.Lock()

    def desk(seed: int) -> None:
        pupil, rng = TimedPupil(port, ledger), random.Random(seed)
        while True:
            try:
                token = accounts.get_nowait()
            except queue.Empty:
                break
            pupil.take_quiz(quiz["quiz_id"], token, float("inf"), rng)
        with lock:
            latencies.extend(pupil.latencies)

    seconds = run_threads([threading.Thread(target=desk, args=(n,), daemon=True) for n in range(connections)])
    return {
        "seconds": round(seconds, 2),
        "requests_per_s": round(len(latencies) / seconds, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "max_ms": round(max(latencies, default=0.0) * 1000, 1),
    }


def main() -> int:
    nodes = int(os.environ.get("CONTEST_NODES", "1"))
    pupils = int(os.environ.get("CONTEST_PUPILS", "1000"))
    connections = int(os.environ.get("CONTEST_CONNECTIONS", str(16 * nodes)))
    workers = int(os.environ.get("CONTEST_WORKERS", "2"))
    app = create_app()
    with app.app_context():
        dialect = db.engine.dialect.name
        db.create_all()
        ctx = BenchContext(app=app, password=PASSWORD, password_hash=hash_password(PASSWORD))
        started = time.perf_counter()
        round_data = prepare_round(ctx, pupils)
        log(f"contest day: {pupils} pupils ready in {time.perf_counter() - started:.1f}s ({dialect})")
        db.session.remove()
        db.engine.dispose()  # the workers get the connections (and the SQLite lock)
    ledger = Ledger()
    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="vmeste-contest-day-")))
        redis_url = stack.enter_context(redis_server(root)) if nodes > 1 else ""
        secret = secrets.token_urlsafe(32)
        servers = []
        for number in range(1, nodes + 1):
            instance = root / f"node{number}"  # each machine's own instance folder
            instance.mkdir()
            env = dict(
                os.environ, VMESTE_INSTANCE_PATH=str(instance), SECRET_KEY=secret, PYTHONPATH=str(ROOT)
            )
            env.update(REDIS_URL=redis_url, TRUSTED_PROXIES="1" if nodes > 1 else "0")
            server = Gunicorn("bench.wsgi:app", env, instance, workers)
            stack.callback(server.stop)
            servers.append(server)
        for server in servers:
            server.wait_ready("/auth/login")
        port = servers[0].port if nodes == 1 else stack.enter_context(nginx([s.port for s in servers], root))
        log(f"contest day: {pupils} pupils × {QUESTIONS + 2} requests, {connections} at a time")
        load = run_pupils(port, round_data, connections, ledger)
        if nodes == 1:  # the bare Flask page with the same requests and connections, right after
            bare = Gunicorn("bench.bare:app", dict(os.environ, PYTHONPATH=str(ROOT)), root, workers)
            stack.callback(bare.stop)
            bare.wait_ready("/")
            bare_rps, bare_p99, _ = _run_plain(bare.port, ledger.requests, connections)
            load["bare_requests_per_s"] = round(bare_rps, 1)
            load["bare_p99_ms"] = round(bare_p99 * 1000, 1)
            load["ratio"] = round(load["requests_per_s"] / bare_rps, 3) if bare_rps else None
    with app.app_context():
        answers = compare_with_database(ledger)
    figures = {
        "database": dialect,
        "nodes": nodes,
        "workers_per_node": workers,
        "redis": bool(redis_url),
        "pupils": pupils,
        "connections": connections,
        "requests": ledger.requests,
        **load,
        "attempts": {"started": ledger.attempts_started, "finished": ledger.attempts_finished},
        "answers": answers,
        "errors": dict(sorted(ledger.errors.items())),
    }
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    sys.exit(main())
