"""The chaos round (started by `bench/chaos.py`, which sets DATABASE_URL and the instance folder):
the quiz benchmark's data (500 pupils with API tokens, one 20-question quiz), gunicorn serving the
real app with several workers, pupils starting attempts, saving answers through
`PUT /api/v1/attempts/{id}/answers/{slot}` and finishing, one worker killed with SIGKILL halfway,
then every acknowledged answer looked up in the database. Prints the figures as JSON.

A save whose connection broke is retried, as the attempt page's autosave does; only an HTTP 200 is
an acknowledgement. An answer stored without one (the worker died after the commit) is counted but
is no loss: the pupil was never told it was saved.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import queue
import random
import signal
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.security import hash_password
from bench.run import PASSWORD, Gunicorn, log
from bench.scenario import BenchContext
from bench.scenarios import quiz as quiz_scenario
from courses.quiz.answer_shapes import validate_answer
from courses.quiz.bank_questions import load_question
from courses.quiz.models import Question, QuizAnswer, QuizAttempt

TRIES = 4  # a save lost with its connection is sent again, as the page's autosave does
EXAMPLES = 10  # missing answers listed in the figures, at most
RESPAWN_WAIT = 30.0  # seconds the master has to replace the killed worker
LOOK_FOR_BUSY = 5.0  # seconds spent looking for a worker in the middle of a request


@dataclass
class Ledger:
    """What the pupils were told: each answer acknowledged with HTTP 200, keyed by (attempt, slot),
    the requests sent, and every failure by its kind."""

    acknowledged: dict[tuple[int, int], Any] = field(default_factory=dict)
    requests: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    attempts_started: int = 0
    attempts_finished: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Pupil:
    """One pupil's keep-alive client: a request that fails on a broken connection is retried on a
    new one; an HTTP error is recorded and not retried."""

    def __init__(self, port: int, ledger: Ledger) -> None:
        self.ledger = ledger
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method: str, path: str, token: str, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        payload = json.dumps(body) if body is not None else None
        for _ in range(TRIES):
            with self.ledger.lock:
                self.ledger.requests += 1
            try:
                self.connection.request(method, "/api/v1" + path, body=payload, headers=headers)
                response = self.connection.getresponse()
                text = response.read()
            except (OSError, http.client.HTTPException) as error:
                with self.ledger.lock:
                    self.ledger.errors[type(error).__name__] += 1
                self.connection.close()
                time.sleep(0.1)
                continue
            if response.status >= 400:
                with self.ledger.lock:
                    self.ledger.errors[f"HTTP {response.status}"] += 1
                return None
            return json.loads(text)
        return None

    def take_quiz(self, quiz_id: int, token: str, deadline: float, rng: random.Random) -> None:
        """Start (or resume) an attempt, save every slot, finish: one pupil's round."""
        attempt = self.call("POST", f"/quizzes/{quiz_id}/attempts", token)
        if attempt is None:
            return
        with self.ledger.lock:
            self.ledger.attempts_started += 1
        for item in attempt["questions"]:
            if time.monotonic() >= deadline:
                return
            answer = quiz_scenario._wire_answer(item, rng)
            saved = self.call(
                "PUT", f"/attempts/{attempt['id']}/answers/{item['slot']}", token, {"answer": answer}
            )
            if saved is not None:
                with self.ledger.lock:
                    self.ledger.acknowledged[(attempt["id"], item["slot"])] = answer
        if self.call("POST", f"/attempts/{attempt['id']}/finish", token) is not None:
            with self.ledger.lock:
                self.ledger.attempts_finished += 1


class Server(Gunicorn):
    """The bench's gunicorn runner (readiness and stop) with this round's number of workers."""

    def workers(self) -> set[int]:
        """The master's live children, read from /proc: the workers' pids."""
        found = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
            except (OSError, IndexError):
                continue  # the process ended while we looked
            if int(parent) == self.process.pid and state != "Z":
                found.add(int(stat.parent.name))
        return found

    def serving(self) -> set[int]:
        """The workers holding a pupil's open connection (mid-request): their sockets' inodes
        among the established TCP connections to our port."""
        port = f":{self.port:04X}"
        established = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[1].endswith(port) and fields[3] == "01":
                    established.add(f"socket:[{fields[9]}]")
        found = set()
        for pid in self.workers():
            with contextlib.suppress(OSError):  # the worker or the descriptor went away meanwhile
                if any(os.readlink(fd) in established for fd in Path(f"/proc/{pid}/fd").iterdir()):
                    found.add(pid)
        return found


def kill_one_worker(server: Server, started: float, after: float, workers: int) -> dict[str, Any]:
    """`after` seconds into the round, SIGKILL one worker, one in the middle of a request when one
    is found within a few seconds, then wait for the master to start a new one."""
    time.sleep(max(0.0, started + after - time.monotonic()))
    looking_until = time.monotonic() + LOOK_FOR_BUSY
    busy = server.serving()
    while not busy and time.monotonic() < looking_until:
        time.sleep(0.005)
        busy = server.serving()
    before = server.workers()
    victim = random.Random(9).choice(sorted(busy & before or before))
    os.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic()
    log(f"worker {victim} killed with SIGKILL ({len(before)} were running)")
    kill = {
        "pid": victim,
        "at_s": round(killed_at - started, 3),
        "mid_request": victim in busy,
        "respawned": False,
    }
    while time.monotonic() < killed_at + RESPAWN_WAIT:
        now = server.workers()
        if victim not in now and len(now) >= workers:
            return kill | {
                "respawned": True,
                "new_pid": min(now - before),
                "respawn_s": round(time.monotonic() - killed_at, 3),
            }
        time.sleep(0.02)
    return kill


def run_round(
    server: Server, quiz: dict[str, Any], ledger: Ledger, settings: dict[str, Any]
) -> dict[str, Any]:
    """Pupils take the quiz until the time is up (each account in turn, never two at once), with one
    worker killed halfway; returns what happened to that worker."""
    accounts: queue.Queue[str] = queue.Queue()
    for token in quiz["tokens"]:
        accounts.put(token)
    started = time.monotonic()
    deadline = started + settings["seconds"]

    def pupil_at_a_desk(seed: int) -> None:
        pupil = Pupil(server.port, ledger)
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            token = accounts.get()
            pupil.take_quiz(quiz["quiz_id"], token, deadline, rng)
            accounts.put(token)

    desks = [
        threading.Thread(target=pupil_at_a_desk, args=(n,), daemon=True) for n in range(settings["pupils"])
    ]
    for desk in desks:
        desk.start()
    kill = kill_one_worker(server, started, settings["seconds"] / 2, settings["workers"])
    for desk in desks:
        desk.join()
    kill["duration_s"] = round(time.monotonic() - started, 1)
    return kill


def compare_with_database(ledger: Ledger) -> dict[str, Any]:
    """Every acknowledged answer must be stored with the value acknowledged (as the engine
    normalises it: the same pure rule the save used)."""
    stored = {
        (attempt_id, slot): (answer, question)
        for attempt_id, slot, answer, question in db.session.execute(
            select(QuizAnswer.attempt_id, QuizAnswer.slot, QuizAnswer.answer, Question)
            .join(Question, Question.id == QuizAnswer.question_id)
            .where(QuizAnswer.saved_at.is_not(None))
        )
    }
    missing = []
    for key, sent in ledger.acknowledged.items():
        found = stored.get(key)
        if found is None:
            missing.append({"attempt": key[0], "slot": key[1], "problem": "not stored"})
            continue
        expected = json.loads(json.dumps(validate_answer(load_question(found[1]), sent)))
        if found[0] != expected:
            missing.append({"attempt": key[0], "slot": key[1], "problem": "stored with another value"})
    attempts = db.session.scalar(select(func.count()).select_from(QuizAttempt))
    return {
        "acknowledged": len(ledger.acknowledged),
        "stored": len(stored),
        "missing": len(missing),
        "stored_unacknowledged": len(stored.keys() - ledger.acknowledged.keys()),
        "attempts_in_database": attempts,
        **({"missing_examples": missing[:EXAMPLES]} if missing else {}),
    }


def main() -> int:
    settings = {
        "seconds": float(os.environ.get("CHAOS_SECONDS", "40")),
        "workers": int(os.environ.get("CHAOS_WORKERS", "4")),
        "pupils": int(os.environ.get("CHAOS_PUPILS", "16")),
    }
    app = create_app()
    with app.app_context():
        dialect = db.engine.dialect.name
        db.create_all()
        ctx = BenchContext(app=app, password=PASSWORD, password_hash=hash_password(PASSWORD))
        quiz_scenario.prepare(ctx)
        db.session.remove()
        db.engine.dispose()  # the workers get the connections
    server = Server(
        "bench.quiz_wsgi:app", dict(os.environ), Path(os.environ["VMESTE_INSTANCE_PATH"]), settings["workers"]
    )
    ledger = Ledger()
    try:
        server.wait_ready("/auth/login")
        log(
            f"{settings['pupils']} pupils at once for {settings['seconds']:g}s, {settings['workers']} workers"
        )
        kill = run_round(server, ctx.data["quiz"], ledger, settings)
    finally:
        server.stop()
    with app.app_context():
        answers = compare_with_database(ledger)
    ok = answers["missing"] == 0 and answers["acknowledged"] > 0 and kill["respawned"]
    figures = {
        "ok": ok,
        "database": dialect,
        "gunicorn_workers": settings["workers"],
        "pupils": {"accounts": len(ctx.data["quiz"]["tokens"]), "at_once": settings["pupils"]},
        "duration_s": kill.pop("duration_s"),
        "requests": ledger.requests,
        "attempts": {"started": ledger.attempts_started, "finished": ledger.attempts_finished},
        "answers": answers,
        "errors": dict(sorted(ledger.errors.items())),
        "killed_worker": kill,
    }
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if not ok:
        log(
            "FAILED: "
            + (
                "acknowledged answers are missing"
                if answers["missing"]
                else "nothing was acknowledged"
                if not answers["acknowledged"]
                else "the worker was not respawned"
            )
        )
        log("gunicorn's log ends with:\n" + server.log_path.read_text(errors="replace")[-3000:])
    return 0 if ok else 1


if __name__ == "__main__":
    signal.signal(
        signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum)
    )  # stop gunicorn on the way out
    sys.exit(main())
