"""Quiz API: attempts, answers, finishing and grades as API.md says, with every refusal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from app.extensions import db
from app.timeutil import utcnow
from courses.quiz.attempts import attempt_items
from courses.quiz.models import QuizAttempt
from courses.quiz.quizzes import update_quiz
from tests.factories.accounts import admin, student, teacher
from tests.factories.quiz import bank_with_all_types, make_quiz, quiz_owner  # noqa: F401

pytestmark = pytest.mark.usefixtures("quiz_owner")


@pytest.fixture()
def setup(quiz_owner: Any) -> Any:  # noqa: F811 - the fixture
    bank, rows = bank_with_all_types()
    tutor = teacher()
    quiz_owner.managers.add(tutor.id)
    quiz = make_quiz(bank, list(rows.values()), attempts_allowed=2)
    db.session.commit()
    return quiz, rows, tutor


def test_start_attempt_gives_questions_in_the_api_shape(api: Any, setup: Any) -> None:
    quiz, _rows, _tutor = setup
    response = api(student()).post(f"/quizzes/{quiz.id}/attempts")
    assert response.status_code == 201, response.json
    body = response.json
    assert set(body) >= {"id", "deadline", "questions"}
    by_type = {q["type"]: q for q in body["questions"]}
    assert [q["slot"] for q in body["questions"]] == list(range(1, 10))
    assert {"id", "text"} == set(by_type["single"]["choices"][0])
    assert (
        "left" in by_type["matching"]
        and "right" in by_type["matching"]
        and "choices" not in by_type["matching"]
    )
    assert [g["number"] for g in by_type["cloze"]["gaps"]] == [1, 2]
    assert by_type["single"]["mark"] == 1
    assert "fraction" not in str(body)


def test_answer_finish_and_grades(api: Any, setup: Any) -> None:
    quiz, _rows, tutor = setup
    user = student()
    client = api(user)
    body = client.post(f"/quizzes/{quiz.id}/attempts").json
    slots = {q["type"]: q for q in body["questions"]}
    single = slots["single"]
    attempt = db.session.get(QuizAttempt, body["id"])
    right = next(i for i in attempt_items(attempt, quiz) if i.row.type == "single")
    correct = next(c.id for c in right.question.choices if c.fraction == 1)
    assert (
        client.put(f"/attempts/{body['id']}/answers/{single['slot']}", {"answer": correct}).status_code == 200
    )
    assert (
        client.put(
            f"/attempts/{body['id']}/answers/{slots['numerical']['slot']}", {"answer": "3,5"}
        ).status_code
        == 200
    )
    saved = client.get(f"/attempts/{body['id']}").json
    assert {q["slot"]: q["answer"] for q in saved["questions"]}[single["slot"]] == correct
    assert client.post(f"/quizzes/{quiz.id}/attempts").status_code == 200  # resumes the same attempt
    first = client.post(f"/attempts/{body['id']}/finish")
    second = client.post(f"/attempts/{body['id']}/finish")
    assert first.status_code == second.status_code == 200
    assert (
        first.json == second.json == {"state": "finished", "score": 2, "max_score": 8, "needs_grading": False}
    )
    finished = client.get(f"/attempts/{body['id']}").json
    assert finished["score"] == 2 and finished["state"] == "finished"
    late = client.put(f"/attempts/{body['id']}/answers/{single['slot']}", {"answer": correct})
    assert late.status_code == 409 and late.json["error"]["code"] == "conflict"
    grades = api(tutor).get(f"/quizzes/{quiz.id}/grades")
    assert grades.status_code == 200
    assert grades.json["items"] == [{"user_id": user.id, "grade": 2.5}]


@pytest.mark.parametrize(
    ("slot_type", "answer"),
    [
        ("single", "abc"),
        ("single", 999999),
        ("multiple", 5),
        ("truefalse", "yes"),
        ("shortanswer", 12),
        ("numerical", ["3"]),
        ("matching", [1]),
        ("cloze", "text"),
        ("essay", {"a": 1}),
        ("description", "x"),
    ],
)
def test_wrong_answer_shape_is_422(api: Any, setup: Any, slot_type: str, answer: Any) -> None:
    quiz, _rows, _tutor = setup
    client = api(student())
    body = client.post(f"/quizzes/{quiz.id}/attempts").json
    slot = next(q["slot"] for q in body["questions"] if q["type"] == slot_type)
    response = client.put(f"/attempts/{body['id']}/answers/{slot}", {"answer": answer})
    assert response.status_code == 422
    assert response.json["error"]["code"] == "validation" and response.json["error"]["fields"]["answer"]


def test_bad_bodies_and_unknown_slot(api: Any, setup: Any) -> None:
    quiz, _rows, _tutor = setup
    client = api(student())
    attempt_id = client.post(f"/quizzes/{quiz.id}/attempts").json["id"]
    assert (
        client.put(
            f"/attempts/{attempt_id}/answers/1", data="nope", content_type="application/json"
        ).status_code
        == 422
    )
    assert client.put(f"/attempts/{attempt_id}/answers/1", {"answer": 1, "extra": 2}).status_code == 422
    assert client.put(f"/attempts/{attempt_id}/answers/99", {"answer": 1}).status_code == 404


def test_another_students_attempt_is_not_found(api: Any, setup: Any) -> None:
    quiz, _rows, tutor = setup
    owner_body = api(student()).post(f"/quizzes/{quiz.id}/attempts").json
    other = api(student())
    assert other.get(f"/attempts/{owner_body['id']}").status_code == 404
    assert other.put(f"/attempts/{owner_body['id']}/answers/1", {"answer": 1}).status_code == 404
    assert other.post(f"/attempts/{owner_body['id']}/finish").status_code == 404
    # a tutor may look but never answer or finish for the student
    assert api(tutor).get(f"/attempts/{owner_body['id']}").status_code == 200
    assert api(tutor).put(f"/attempts/{owner_body['id']}/answers/1", {"answer": 1}).status_code == 403
    assert api(tutor).post(f"/attempts/{owner_body['id']}/finish").status_code == 403
    assert api().get(f"/attempts/{owner_body['id']}").status_code == 401
    assert api(student()).get("/attempts/999999").status_code == 404


def test_start_refusals_are_409_with_the_reason(api: Any, setup: Any) -> None:
    quiz, _rows, _tutor = setup
    client = api(student())
    for _ in range(2):
        attempt_id = client.post(f"/quizzes/{quiz.id}/attempts").json["id"]
        client.post(f"/attempts/{attempt_id}/finish")
    refused = client.post(f"/quizzes/{quiz.id}/attempts")
    assert refused.status_code == 409 and refused.json["error"]["message"]
    update_quiz(quiz, closes_at=utcnow() - timedelta(minutes=1), opens_at=None, actor=None)
    closed = api(student()).post(f"/quizzes/{quiz.id}/attempts")
    assert closed.status_code == 409 and closed.json["error"]["code"] == "conflict"
    assert api(teacher()).post(f"/quizzes/{quiz.id}/attempts").status_code == 403
    assert api(student()).post("/quizzes/999999/attempts").status_code == 404
    assert api().post(f"/quizzes/{quiz.id}/attempts").status_code == 401


def test_answer_after_the_deadline_is_409_and_attempt_finished(api: Any, setup: Any) -> None:
    quiz, _rows, _tutor = setup
    client = api(student())
    body = client.post(f"/quizzes/{quiz.id}/attempts").json
    attempt = db.session.get(QuizAttempt, body["id"])
    attempt.deadline = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.put(f"/attempts/{body['id']}/answers/3", {"answer": True})
    assert response.status_code == 409
    assert client.get(f"/attempts/{body['id']}").json["state"] == "finished"


def test_grades_are_for_managers_only(api: Any, setup: Any) -> None:
    quiz, _rows, _tutor = setup
    assert api(student()).get(f"/quizzes/{quiz.id}/grades").status_code == 403
    assert api(teacher()).get(f"/quizzes/{quiz.id}/grades").status_code == 403
    assert api(admin()).get(f"/quizzes/{quiz.id}/grades").json == {
        "items": [],
        "max_grade": 10,
        "grading_method": "highest",
    }
    assert api(admin()).get("/quizzes/999999/grades").status_code == 404


def test_saving_an_answer_runs_a_fixed_number_of_queries(api: Any, setup: Any, count_queries: Any) -> None:
    quiz, _rows, _tutor = setup
    client = api(student())
    body = client.post(f"/quizzes/{quiz.id}/attempts").json
    counts = []
    for slot in (1, 2):
        with count_queries() as counter:
            client.put(f"/attempts/{body['id']}/answers/{slot}", {"answer": None})
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 8
