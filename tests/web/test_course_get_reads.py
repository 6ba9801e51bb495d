"""Course and quiz pages read on GET (app/read_requests.py's guard set to "raise" here): the first view
of an item, an overdue attempt met by its pages and an issued certificate are written after the
response (app/after_response.py) or by a POST, and the state they leave is the same as before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.timeutil import utcnow
from courses.models import ItemView
from courses.quiz.attempts import start_attempt
from courses.quiz.bank_gift import import_gift
from courses.quiz.models import AttemptState, QuizAttempt
from tests.conftest import login
from tests.factories import courses as cf
from tests.factories.accounts import student
from tests.factories.quiz import make_bank, make_quiz, quiz_owner  # noqa: F401


def _views() -> int:
    return db.session.scalar(select(func.count()).select_from(ItemView)) or 0


def test_the_first_view_of_an_item_is_noted_after_the_page(client, guarded) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    item = cf.page(cf.module(course), "Введение", completion="viewed")
    learner = cf.enrolled(course)
    login(client, learner)
    assert client.get(f"/courses/items/{item.id}").status_code == 200
    assert _views() == 1
    assert client.get(f"/courses/items/{item.id}").status_code == 200  # a second view: one read
    assert _views() == 1
    assert "data-complete" in client.get(f"/courses/{course.id}").get_data(as_text=True)


@pytest.mark.usefixtures("quiz_owner")
def test_an_overdue_attempt_is_finished_after_its_page(client, guarded) -> None:  # type: ignore[no-untyped-def]
    bank = make_bank()
    rows = import_gift(bank, "::Q::2+2=4? {T}", actor=None).imported
    quiz = make_quiz(bank, rows, time_limit_minutes=5)
    pupil = student()
    attempt = start_attempt(quiz, pupil, utcnow())
    attempt_id = attempt.id
    db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt_id)
        .values(deadline=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()
    login(client, pupil)
    response = client.get(f"/quiz/attempts/{attempt_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/attempts/{attempt_id}/review"
    )
    db.session.expire_all()
    finished = db.session.get(QuizAttempt, attempt_id)
    assert finished.state == AttemptState.FINISHED and finished.score is not None
    assert client.get(f"/quiz/attempts/{attempt_id}/review").status_code == 200


@pytest.mark.usefixtures("quiz_owner")
def test_the_review_met_by_an_overdue_attempt_opens_finished_and_graded(client, guarded) -> None:  # type: ignore[no-untyped-def]
    bank = make_bank()
    rows = import_gift(bank, "::Q::2+2=4? {T}", actor=None).imported
    quiz = make_quiz(bank, rows, time_limit_minutes=5)
    pupil = student()
    attempt_id = start_attempt(quiz, pupil, utcnow() - timedelta(minutes=6)).id
    db.session.commit()
    login(client, pupil)
    first = client.get(f"/quiz/attempts/{attempt_id}/review")  # straight from the timer's redirect
    assert first.status_code == 302
    assert first.headers["Location"].endswith(f"/attempts/{attempt_id}/review?finished=1")
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "data-timed-out" in page and 'data-attempt-state="finished"' in page
