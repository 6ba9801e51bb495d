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

START_STATEMENTS = 33  # today: token, quiz, attempt in progress, the contest's policy, the draw,
# the attempt, 20 answer rows one by one (courses.quiz.attempts), the attempt and its questions back
SAVE_STATEMENTS = 5  # token, attempt + quiz, answer + question, claim the attempt, store the answer
FINISH_STATEMENTS = 8


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
    assert counted.count <= START_STATEMENTS, counted.statements
    attempt = started.get_json()
    assert len(attempt["questions"]) == 20
    for item in attempt["questions"][:3]:
        answer = {"answer": _wire_answer(item, rng)}
        with count_queries(cold=True) as counted:
            saved = _call(client, "PUT", f"/attempts/{attempt['id']}/answers/{item['slot']}", token, answer)
        assert saved.status_code == 200 and saved.get_json() == {"slot": item["slot"], "saved": True}
        assert counted.count <= SAVE_STATEMENTS, counted.statements
    with count_queries(cold=True) as counted:
        finished = _call(client, "POST", f"/attempts/{attempt['id']}/finish", token)
    assert finished.status_code == 200 and finished.get_json()["state"] == "finished"
    assert counted.count <= FINISH_STATEMENTS, counted.statements


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
