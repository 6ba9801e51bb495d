"""The contest-day path through the API (bench/contest_day.py loads it): a pupil starts the
olympiad round, saves answers and finishes, in a bounded number of SQL statements whatever the
number of pupils already in the round; the start tells a new attempt (201) from a resumed one (200)
without a second look-up."""

from __future__ import annotations

import random
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.security import hash_password
from bench.contest_day_nodes import prepare_round
from bench.scenario import BenchContext
from bench.scenarios.quiz import _wire_answer

# Exactly these, for 2 pupils and for 25 (the count must not grow with the round):
START_STATEMENTS = 8  # token, quiz, the pupil's attempts, the contest's policy (stage, participation,
# admission), the quiz's slots, its questions, the attempt, its 20 answer rows (one executemany);
# the reply is built from the drawn rows, nothing is read back (it was 33 before issue 17's work)
SAVE_STATEMENTS = 4  # token, attempt + quiz + answer + question, claim the attempt, store the answer
FINISH_STATEMENTS = 7  # token, attempt + quiz, claim, answers + questions, grades, score, version


def _call(client: FlaskClient, method: str, path: str, token: str, body: Any = None) -> Any:
    return client.open(
        "/api/v1" + path, method=method, headers={"Authorization": f"Bearer {token}"}, json=body
    )


@pytest.mark.parametrize("pupils", [2, 25])
def test_start_save_finish_stay_bounded_whatever_the_round_holds(
    app: Flask, client: FlaskClient, count_queries: Any, pupils: int
) -> None:
    ctx = BenchContext(app=app, password="x", password_hash=hash_password("x"))
    round_data = prepare_round(ctx, pupils)
    db.session.commit()
    rng = random.Random(3)
    quiz_id, tokens = round_data["quiz_id"], round_data["tokens"]
    for token in tokens[1:]:  # the others are in the round already
        assert _call(client, "POST", f"/quizzes/{quiz_id}/attempts", token).status_code == 201
    token = tokens[0]
    with count_queries(cold=True) as counted:
        started = _call(client, "POST", f"/quizzes/{quiz_id}/attempts", token)
    assert started.status_code == 201, started.get_json()
    assert counted.count == START_STATEMENTS, counted.statements
    attempt = started.get_json()
    assert len(attempt["questions"]) == 20
    for item in attempt["questions"][:3]:
        answer = {"answer": _wire_answer(item, rng)}
        with count_queries(cold=True) as counted:
            saved = _call(client, "PUT", f"/attempts/{attempt['id']}/answers/{item['slot']}", token, answer)
        assert saved.status_code == 200 and saved.get_json() == {"slot": item["slot"], "saved": True}
        assert counted.count == SAVE_STATEMENTS, counted.statements
    with count_queries(cold=True) as counted:
        finished = _call(client, "POST", f"/attempts/{attempt['id']}/finish", token)
    assert finished.status_code == 200 and finished.get_json()["state"] == "finished"
    assert counted.count == FINISH_STATEMENTS, counted.statements


def test_a_second_start_resumes_with_200_and_the_saved_answers(app: Flask, client: FlaskClient) -> None:
    ctx = BenchContext(app=app, password="x", password_hash=hash_password("x"))
    round_data = prepare_round(ctx, 1)
    quiz_id, token = round_data["quiz_id"], round_data["tokens"][0]
    first = _call(client, "POST", f"/quizzes/{quiz_id}/attempts", token)
    assert first.status_code == 201 and "answer" not in first.get_json()["questions"][0]
    attempt_id, item = first.get_json()["id"], first.get_json()["questions"][0]
    answer = {"answer": _wire_answer(item, random.Random(1))}
    assert (
        _call(client, "PUT", f"/attempts/{attempt_id}/answers/{item['slot']}", token, answer).status_code
        == 200
    )
    again = _call(client, "POST", f"/quizzes/{quiz_id}/attempts", token)
    assert again.status_code == 200 and again.get_json()["id"] == attempt_id
    assert again.get_json()["questions"][0]["answer"] is not None


def test_the_start_shows_what_was_stored_and_the_finish_what_was_graded(
    app: Flask, client: FlaskClient
) -> None:
    """The start's reply is built from the drawn rows and the finish's from what it wrote, neither
    read back: both must equal what a later read of the attempt finds in the database."""
    ctx = BenchContext(app=app, password="x", password_hash=hash_password("x"))
    round_data = prepare_round(ctx, 1)
    quiz_id, token = round_data["quiz_id"], round_data["tokens"][0]
    started = _call(client, "POST", f"/quizzes/{quiz_id}/attempts", token).get_json()
    db.session.remove()
    stored = _call(client, "GET", f"/attempts/{started['id']}", token).get_json()
    assert [{k: v for k, v in q.items() if k != "answer"} for q in stored["questions"]] == started[
        "questions"
    ]
    assert all(q["answer"] is None for q in stored["questions"])
    assert {k: stored[k] for k in ("id", "quiz_id", "number", "state", "started_at", "deadline")} == {
        k: started[k] for k in ("id", "quiz_id", "number", "state", "started_at", "deadline")
    }
    rng = random.Random(5)
    for item in started["questions"]:
        answer = {"answer": _wire_answer(item, rng)}
        assert (
            _call(
                client, "PUT", f"/attempts/{started['id']}/answers/{item['slot']}", token, answer
            ).status_code
            == 200
        )
    finished = _call(client, "POST", f"/attempts/{started['id']}/finish", token).get_json()
    db.session.remove()
    after = _call(client, "GET", f"/attempts/{started['id']}", token).get_json()
    assert finished == {k: after[k] for k in ("state", "score", "max_score", "needs_grading")}
    assert finished["state"] == "finished"
    assert finished["score"] == pytest.approx(sum(q["points"] for q in after["questions"]))


def test_a_save_to_a_missing_slot_or_someone_elses_attempt_is_refused(
    app: Flask, client: FlaskClient
) -> None:
    ctx = BenchContext(app=app, password="x", password_hash=hash_password("x"))
    round_data = prepare_round(ctx, 2)
    quiz_id, (mine, theirs) = round_data["quiz_id"], round_data["tokens"]
    attempt = _call(client, "POST", f"/quizzes/{quiz_id}/attempts", mine).get_json()
    missing = _call(client, "PUT", f"/attempts/{attempt['id']}/answers/99", mine, {"answer": True})
    assert missing.status_code == 404 and "99" in missing.get_json()["error"]["message"]
    other = _call(client, "PUT", f"/attempts/{attempt['id']}/answers/1", theirs, {"answer": True})
    assert other.status_code == 404
    assert _call(client, "PUT", "/attempts/999999/answers/1", mine, {"answer": True}).status_code == 404
