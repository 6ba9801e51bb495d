"""Quiz pages for students and tutors: taking a quiz on one page, autosave, deadlines, review, marking,
regrading and statistics; refusals; fixed query counts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.timeutil import utcnow
from courses.quiz.attempts import attempt_items, finish_attempt, save_answer, start_attempt
from courses.quiz.bank_gift import import_gift
from courses.quiz.models import AttemptState, Question, Quiz, QuizAnswer, QuizAttempt
from courses.quiz.quizzes import update_quiz
from tests.conftest import login
from tests.factories.accounts import student, teacher
from tests.factories.quiz import bank_with_all_types, make_bank, make_quiz, quiz_owner  # noqa: F401


@pytest.fixture()
def tutor(quiz_owner: Any) -> Any:  # noqa: F811 - the fixture
    user = teacher()
    quiz_owner.managers.add(user.id)
    db.session.commit()
    return user


def _html(response: Any) -> str:
    return response.get_data(as_text=True)


# --- taking a quiz ---------------------------------------------------------------------------------


def _quiz_for_students(**settings: Any) -> tuple[Quiz, dict[str, Question]]:
    bank, rows = bank_with_all_types()
    return make_quiz(bank, list(rows.values()), **settings), rows


def test_student_takes_a_quiz_on_one_page(client: Any, tutor: Any) -> None:
    quiz, rows = _quiz_for_students(time_limit_minutes=30)
    user = student()
    login(client, user)
    assert client.get(f"/quiz/quizzes/{quiz.id}").status_code == 200
    started = client.post(f"/quiz/quizzes/{quiz.id}/start")
    assert started.status_code == 302
    attempt = db.session.scalar(select(QuizAttempt))
    page = client.get(f"/quiz/attempts/{attempt.id}")
    html = _html(page)
    assert page.status_code == 200 and 'data-deadline="' in html and "js/quiz.js" in html
    assert "<script>" not in html and "style=" not in html
    items = {i.row.type: i for i in attempt_items(attempt, quiz)}
    single = items["single"]
    right = next(c.id for c in single.question.choices if c.fraction == 1)
    matching = items["matching"]
    data = {
        "slots": ",".join(str(i.slot) for i in items.values()),
        f"q{single.slot}": str(right),
        f"q{items['truefalse'].slot}": "true",
        f"q{items['numerical'].slot}": "3,5",
        f"q{items['essay'].slot}": "Эссе",
        f"q{items['cloze'].slot}-g1": "Париж",
        f"q{items['cloze'].slot}-g2": "4",
        f"q{items['multiple'].slot}": ["1", "2"],
    }
    for left in matching.question.left:
        data[f"q{matching.slot}-{left.id}"] = str(left.right_id)
    saved = client.post(f"/quiz/attempts/{attempt.id}/autosave", data=data)
    assert saved.status_code == 200 and saved.json["saved"] is True
    # a reload shows the saved answers
    again = _html(client.get(f"/quiz/attempts/{attempt.id}"))
    assert 'value="Эссе"' in again or ">Эссе</textarea>" in again
    data["action"] = "finish"
    finished = client.post(f"/quiz/attempts/{attempt.id}", data=data)
    assert finished.status_code == 302 and finished.location.endswith(f"/quiz/attempts/{attempt.id}/review")
    db.session.refresh(attempt)
    assert attempt.state == AttemptState.FINISHED and attempt.score == Decimal(6)
    review = client.get(f"/quiz/attempts/{attempt.id}/review")
    assert review.status_code == 200 and "data-attempt-score" in _html(review)
    assert client.get(f"/quiz/attempts/{attempt.id}").status_code == 302  # finished → review
    late = client.post(f"/quiz/attempts/{attempt.id}/autosave", data=data)
    assert late.status_code == 409


def test_autosave_wrong_shape_is_422_and_page_shows_it(client: Any, tutor: Any) -> None:
    quiz, _rows = _quiz_for_students()
    login(client, student())
    client.post(f"/quiz/quizzes/{quiz.id}/start")
    attempt = db.session.scalar(select(QuizAttempt))
    items = {i.row.type: i for i in attempt_items(attempt, quiz)}
    slot = items["single"].slot
    response = client.post(
        f"/quiz/attempts/{attempt.id}/autosave", data={"slots": str(slot), f"q{slot}": "x"}
    )
    assert response.status_code == 422 and response.json["error"]["fields"][f"q{slot}"]
    page = client.post(f"/quiz/attempts/{attempt.id}", data={"slots": str(slot), f"q{slot}": "999"})
    assert page.status_code == 422 and "invalid-feedback" in _html(page)


def test_overdue_attempt_is_finished_on_the_next_request(client: Any, tutor: Any) -> None:
    quiz, _rows = _quiz_for_students(time_limit_minutes=5)
    login(client, student())
    client.post(f"/quiz/quizzes/{quiz.id}/start")
    attempt = db.session.scalar(select(QuizAttempt))
    attempt.deadline = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get(f"/quiz/attempts/{attempt.id}")
    assert response.status_code == 302
    db.session.refresh(attempt)
    assert attempt.state == AttemptState.FINISHED
    refused = client.post(f"/quiz/attempts/{attempt.id}/autosave", data={"slots": "1", "q1": "1"})
    assert refused.status_code == 409


def test_start_refused_shows_the_reason(client: Any, tutor: Any) -> None:
    quiz, _rows = _quiz_for_students(attempts_allowed=1)
    login(client, student())
    client.post(f"/quiz/quizzes/{quiz.id}/start")
    attempt = db.session.scalar(select(QuizAttempt))
    client.post(f"/quiz/attempts/{attempt.id}", data={"slots": "", "action": "finish"})
    refused = client.post(f"/quiz/quizzes/{quiz.id}/start", follow_redirects=True)
    assert "No attempts are left" in _html(refused) or "попыт" in _html(refused)
    client.post("/auth/logout")
    login(client, teacher())
    assert client.post(f"/quiz/quizzes/{quiz.id}/start").status_code == 403


def test_other_students_attempt_is_404(client: Any, tutor: Any) -> None:
    quiz, _rows = _quiz_for_students()
    attempt = start_attempt(quiz, student(), utcnow())
    login(client, student())
    for url in (f"/quiz/attempts/{attempt.id}", f"/quiz/attempts/{attempt.id}/review"):
        assert client.get(url).status_code == 404
    assert client.post(f"/quiz/attempts/{attempt.id}/autosave", data={}).status_code == 404


def test_review_follows_the_review_options(client: Any, tutor: Any) -> None:
    quiz, _rows = _quiz_for_students(review_when="after_close", closes_at=utcnow() + timedelta(days=1))
    user = student()
    attempt = start_attempt(quiz, user, utcnow())
    finish_attempt(attempt, utcnow())
    login(client, user)
    closed = _html(client.get(f"/quiz/attempts/{attempt.id}/review"))
    assert "data-attempt-score" not in closed and "slot-1" not in closed
    update_quiz(quiz, review_when="immediately", review_answers=False, actor=None)
    shown = _html(client.get(f"/quiz/attempts/{attempt.id}/review"))
    assert "slot-1" in shown and "Right answer" not in shown and "Правильный ответ" not in shown


def test_attempt_page_runs_a_fixed_number_of_queries(client: Any, tutor: Any, count_queries: Any) -> None:
    bank = make_bank()
    login(client, student())
    counts = []
    for size in (2, 20):
        report = import_gift(
            bank, "\n\n".join(f"::S{size}-{i}::{i}? {{={i} ~x}}" for i in range(size)), actor=None
        )
        quiz = make_quiz(bank, report.imported)
        client.post(f"/quiz/quizzes/{quiz.id}/start")
        attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.quiz_id == quiz.id))
        with count_queries() as counter:
            assert client.get(f"/quiz/attempts/{attempt.id}").status_code == 200
        counts.append(counter.count)
        with count_queries() as save_counter:
            data = {"slots": ",".join(str(i) for i in range(1, size + 1))}
            assert client.post(f"/quiz/attempts/{attempt.id}/autosave", data=data).status_code == 200
        counts.append(save_counter.count)
    assert counts[0] == counts[2] and counts[1] == counts[3]
    # The page: the session's user (and the header's counts), the attempt with its quiz, the answers
    # with their questions, the quiz's bank for the breadcrumbs; nothing of a course's cache.
    assert counts[0] <= 5, (counts, counter.statements)


# --- tutors --------------------------------------------------------------------------------------------


def test_tutor_pages_grading_regrade_statistics(client: Any, tutor: Any) -> None:
    quiz, rows = _quiz_for_students()
    user = student()
    attempt = start_attempt(quiz, user, utcnow())
    items = {i.row.type: i for i in attempt_items(attempt, quiz)}
    save_answer(attempt, items["essay"].slot, "Текст эссе", utcnow())
    save_answer(attempt, items["shortanswer"].slot, "kitty", utcnow())
    finish_attempt(attempt, utcnow())
    login(client, tutor)
    listing = client.get(f"/quiz/quizzes/{quiz.id}/attempts")
    assert listing.status_code == 200 and user.full_name in _html(listing)
    queue = client.get(f"/quiz/quizzes/{quiz.id}/grading")
    assert queue.status_code == 200 and "Текст эссе" in _html(queue)
    essay = db.session.scalar(select(QuizAnswer).where(QuizAnswer.needs_grading.is_(True)))
    bad = client.post(f"/quiz/answers/{essay.id}/grade", data={"points": "5"})
    assert bad.status_code == 422 and "invalid-feedback" in _html(bad)
    assert client.post(f"/quiz/answers/{essay.id}/grade", data={"points": "abc"}).status_code == 422
    graded = client.post(
        f"/quiz/answers/{essay.id}/grade",
        data={"points": "1", "comment": "Хорошо", "next": "//evil.example/phish"},
    )
    assert graded.status_code == 302 and "evil.example" not in graded.location  # no open redirect
    db.session.refresh(attempt)
    assert attempt.needs_grading is False and attempt.score == Decimal(1)
    review = client.get(f"/quiz/attempts/{attempt.id}/review")
    assert review.status_code == 200 and "Set grade" in _html(review) or "Поставить" in _html(review)
    stats = client.get(f"/quiz/quizzes/{quiz.id}/statistics")
    assert stats.status_code == 200 and "kitty" in _html(stats)
    row = rows["shortanswer"]
    data = {
        "name": row.name,
        "text": "Как по-английски «кошка»?",
        "text_format": "moodle",
        "category_id": row.category_id,
        "default_mark": "1",
        "answers-0-text": "cat",
        "answers-0-fraction": "100",
        "answers-1-text": "kitt*",
        "answers-1-fraction": "50",
    }
    edited = client.post(f"/quiz/questions/{row.id}/edit", data=data)
    assert edited.status_code == 302 and "regrade=1" in edited.location
    regrade = client.post(f"/quiz/questions/{row.id}/regrade")
    assert regrade.status_code == 200 and user.full_name in _html(regrade)
    db.session.refresh(attempt)
    assert attempt.score == Decimal("1.5")
    client.post("/auth/logout")
    login(client, student())
    assert client.post(f"/quiz/answers/{essay.id}/grade", data={"points": "0"}).status_code == 403


def test_my_attempts_lists_own_attempts(client: Any, tutor: Any) -> None:
    quiz, _rows = _quiz_for_students()
    user = student()
    start_attempt(quiz, user, utcnow())
    login(client, user)
    page = client.get("/quiz/my")
    assert page.status_code == 200 and quiz.title in _html(page)
