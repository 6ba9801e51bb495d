"""Quiz engine: grading 100,000 mixed answers (pure, answers/s); 500 simulated students each
starting an attempt, saving 20 answers and finishing, over HTTP against gunicorn with 2 workers
(requests/s and p99, beside the bare-Flask page loaded the same way); the attempt page and one
answer save as ordinary targets."""

from __future__ import annotations

import http.client
import json
import os
import queue
import random
import secrets
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from app.accounts import ApiToken, Role, User, hash_token
from app.extensions import db
from bench.measure import percentile, run_threads
from bench.quiz_wsgi import OWNER, bench_policy
from bench.scenario import BenchContext, HttpTarget, PureResult
from courses.quiz import gift_read, grading, questions
from courses.quiz.attempts import start_attempt
from courses.quiz.bank_questions import save_question
from courses.quiz.banks import create_bank
from courses.quiz.policies import register_attempt_policy
from courses.quiz.quizzes import create_quiz

STUDENTS = 500
ANSWERS_PER_STUDENT = 20
GRADED_ANSWERS = 100_000
PAGE_STUDENT = "bench-quiz-student@vmeste.local"

# Four of each auto-graded type plus essays: 20 questions, every type the engine grades.
GIFT_TEMPLATE = """::Столица {n}::Столица России? {{=Москва ~Казань ~%-50%Тверь}}

::Простые {n}::Какие числа простые? {{~%50%2 ~%50%3 ~%-100%4}}

::Земля {n}::Земля круглая. {{T}}

::Слово {n}::Как по-английски «кошка»? {{=cat =%50%kit*}}

::Число {n}::Сколько будет 7 / 2? {{#3.5:0.1}}

::Пары {n}::Сопоставьте. {{=кошка -> cat =собака -> dog =корова -> cow}}

::Пропуски {n}::Столица Франции {{1:SHORTANSWER:=Париж}}, 2+2 = {{1:NUMERICAL:=4:0}} и небо {{1:MC:~зелёное~=синее}}.
"""  # noqa: E501 - GIFT lines are data


def _questions() -> list[questions.AnyQuestion]:
    text = "\n\n".join(GIFT_TEMPLATE.format(n=n) for n in range(3))
    parsed = gift_read.parse_gift(text)
    assert not parsed.errors, parsed.errors
    return [q for q, _line in parsed.questions][:19] + [questions.Essay(name="Эссе", text="Опишите урок.")]


def _answer(question: questions.AnyQuestion, rng: random.Random) -> Any:
    """A plausible answer of the right shape: right, partly right or wrong."""
    if isinstance(question, questions.SingleChoice):
        return rng.choice(question.choices).id
    if isinstance(question, questions.MultipleChoice):
        return [c.id for c in question.choices if rng.random() < 0.5]
    if isinstance(question, questions.TrueFalse):
        return rng.random() < 0.7
    if isinstance(question, questions.ShortAnswer):
        return rng.choice(["cat", "Cat ", "kitten", "dog"])
    if isinstance(question, questions.Numerical):
        return rng.choice(["3.5", "3,45", "4", "три"])
    if isinstance(question, questions.Matching):
        rights = [r.id for r in question.right]
        return {str(left.id): rng.choice(rights) for left in question.left}
    if isinstance(question, questions.Cloze):
        return {
            "1": rng.choice(["Париж", "париж", "Лион"]),
            "2": rng.choice(["4", "5"]),
            "3": rng.choice(question.gaps[2].choices).id,
        }
    return "Мой урок был о дробях. " * rng.randint(1, 20)


def prepare(ctx: BenchContext) -> None:
    """A bank with 20 questions of every type, one quiz over them, 500 students with API tokens,
    and one student with a started attempt for the page targets."""
    register_attempt_policy(OWNER, bench_policy)
    bank = create_bank(OWNER, 1, "Нагрузочный банк")
    rows = []
    for question in _questions():
        rows.append(save_question(bank, question, category_id=None, actor=None))
    quiz = create_quiz(
        bank, title="Нагрузочный тест", question_ids=[r.id for r in rows], attempts_allowed=None, actor=None
    )
    people = [
        {
            "email": f"quiz{n}@bench.vmeste.local",
            "full_name": f"Ученик {n}",
            "role": Role.STUDENT,
            "password_hash": ctx.password_hash,
            "timezone": "Europe/Moscow",
            "locale": "ru",
            "active": True,
        }
        for n in range(STUDENTS)
    ]
    people.append(
        {
            "email": PAGE_STUDENT,
            "full_name": "Ученик Страничный",
            "role": Role.STUDENT,
            "password_hash": ctx.password_hash,
            "timezone": "Europe/Moscow",
            "locale": "ru",
            "active": True,
        }
    )
    db.session.execute(insert(User), people)
    ids = list(
        db.session.scalars(
            select(User.id).where(User.email.like("quiz%@bench.vmeste.local")).order_by(User.id)
        )
    )
    tokens = [secrets.token_urlsafe(32) for _ in ids]
    db.session.execute(
        insert(ApiToken),
        [
            {"user_id": uid, "token_hash": hash_token(raw), "name": "bench", "created_at": datetime.now(UTC)}
            for uid, raw in zip(ids, tokens, strict=True)
        ],
    )
    page_student = db.session.scalar(select(User).where(User.email == PAGE_STUDENT))
    page_token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=page_student.id, token_hash=hash_token(page_token), name="bench"))
    db.session.commit()
    attempt = start_attempt(quiz, page_student, datetime.now(UTC))
    ctx.data["quiz"] = {
        "quiz_id": quiz.id,
        "tokens": tokens,
        "attempt_id": attempt.id,
        "page_token": page_token,
    }


def targets(ctx: BenchContext) -> list[HttpTarget]:
    data = ctx.data["quiz"]
    return [
        HttpTarget(
            "quiz: attempt page (20 questions)",
            f"/quiz/attempts/{data['attempt_id']}",
            login_as=PAGE_STUDENT,
            at_least=0.15,
        ),
        HttpTarget(
            "quiz: API answer save",
            f"/api/v1/attempts/{data['attempt_id']}/answers/3",
            method="PUT",
            body=json.dumps({"answer": True}),
            headers={"Authorization": f"Bearer {data['page_token']}", "Content-Type": "application/json"},
        ),
    ]


def pure(ctx: BenchContext) -> list[PureResult]:
    results = [_grading_rate()]
    if "quiz" in ctx.data and os.environ.get("BENCH_QUIZ_HTTP", "1") != "0":
        results.extend(_students_over_http(ctx))
    return results


def _grading_rate() -> PureResult:
    rng = random.Random(4)
    pool = _questions()
    work = [
        (question, _answer(question, rng)) for question in (rng.choice(pool) for _ in range(GRADED_ANSWERS))
    ]
    start = time.perf_counter()
    for question, answer in work:
        grading.grade(question, answer)
    elapsed = time.perf_counter() - start
    return PureResult(
        f"quiz: grade {GRADED_ANSWERS:,} mixed answers (answers/s)",
        per_second=GRADED_ANSWERS / elapsed,
        at_least_per_s=300_000,
    )


def _students_over_http(ctx: BenchContext) -> list[PureResult]:
    """500 students × (start, 20 saves, finish) against gunicorn (2 workers), then the same number
    of requests against the bare Flask page with the same concurrency."""
    from bench.run import Gunicorn, log

    data = ctx.data["quiz"]
    db.session.remove()
    db.engine.dispose()  # hold no SQLite lock while the workers write
    workdir = Path(os.environ.get("VMESTE_INSTANCE_PATH", "/tmp"))
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    served = Gunicorn("bench.quiz_wsgi:app", env, workdir)
    bare = Gunicorn("bench.bare:app", env, workdir)
    try:
        served.wait_ready("/auth/login")
        bare.wait_ready("/")
        log(f"quiz: {STUDENTS} students × {ANSWERS_PER_STUDENT + 2} requests, {connections} connections")
        app_rps, app_p99, errors = _run_students(served.port, data, connections)
        total = STUDENTS * (ANSWERS_PER_STUDENT + 2)
        base_rps, base_p99, _ = _run_plain(bare.port, total, connections)
    finally:
        served.stop()
        bare.stop()
    if errors:
        raise RuntimeError(f"quiz: {errors} requests failed in the students run")
    return [
        PureResult("quiz: 500 students start + 20 saves + finish over HTTP (requests/s)", per_second=app_rps),
        PureResult("quiz: 500 students over HTTP, p99 latency (s)", seconds=app_p99),
        PureResult("quiz: bare Flask page, same requests and connections (requests/s)", per_second=base_rps),
        PureResult("quiz: bare Flask page, p99 latency (s)", seconds=base_p99),
    ]


def _run_students(port: int, data: dict[str, Any], connections: int) -> tuple[float, float, int]:
    work: queue.Queue[str] = queue.Queue()
    for token in data["tokens"]:
        work.put(token)
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def worker() -> None:
        nonlocal_mine: list[float] = []
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        rng = random.Random(threading.get_ident())
        while True:
            try:
                token = work.get_nowait()
            except queue.Empty:
                break
            try:
                attempt = call_with(
                    connection, "POST", f"/quizzes/{data['quiz_id']}/attempts", token, None, nonlocal_mine
                )
                if attempt is None:
                    continue
                by_slot = attempt["questions"]
                for item in by_slot:
                    call_with(
                        connection,
                        "PUT",
                        f"/attempts/{attempt['id']}/answers/{item['slot']}",
                        token,
                        {"answer": _wire_answer(item, rng)},
                        nonlocal_mine,
                    )
                call_with(connection, "POST", f"/attempts/{attempt['id']}/finish", token, None, nonlocal_mine)
            except (OSError, http.client.HTTPException):
                failures[0] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        with lock:
            latencies.extend(nonlocal_mine)

    def call_with(
        connection: http.client.HTTPConnection,
        method: str,
        path: str,
        token: str,
        body: Any,
        mine: list[float],
    ) -> Any:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        started = time.perf_counter()
        connection.request(
            method, "/api/v1" + path, body=json.dumps(body) if body is not None else None, headers=headers
        )
        response = connection.getresponse()
        payload = response.read()
        mine.append(time.perf_counter() - started)
        if response.status >= 400:
            with lock:
                failures[0] += 1
            return None
        return json.loads(payload)

    elapsed = run_threads([threading.Thread(target=worker) for _ in range(connections)])
    return len(latencies) / elapsed, percentile(latencies, 0.99), failures[0]


def _wire_answer(item: dict[str, Any], rng: random.Random) -> Any:
    """An answer of the right shape from what the API shows the student."""
    kind = item["type"]
    if kind == "single":
        return rng.choice(item["choices"])["id"]
    if kind == "multiple":
        return [c["id"] for c in item["choices"] if rng.random() < 0.5]
    if kind == "truefalse":
        return rng.random() < 0.7
    if kind == "shortanswer":
        return rng.choice(["cat", "Cat", "dog"])
    if kind == "numerical":
        return rng.choice(["3,5", "3.5", "4"])
    if kind == "matching":
        return {str(left["id"]): rng.choice(item["right"])["id"] for left in item["left"]}
    if kind == "cloze":
        return {
            str(gap["number"]): (
                rng.choice(gap["choices"])["id"] if gap["choices"] else rng.choice(["Париж", "4"])
            )
            for gap in item["gaps"]
        }
    if kind == "essay":
        return "Мой урок был о дробях."
    return None


def _run_plain(port: int, total: int, connections: int) -> tuple[float, float, int]:
    counter = iter(range(total))
    lock = threading.Lock()
    latencies: list[float] = []

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        while True:
            with lock:
                if next(counter, None) is None:
                    break
            started = time.perf_counter()
            connection.request("GET", "/")
            connection.getresponse().read()
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, percentile(latencies, 0.99), 0
