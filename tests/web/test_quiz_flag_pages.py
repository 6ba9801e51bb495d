"""Taking a quiz on a phone (issue 16), the server's side: the navigation squares (answered,
flagged), flags saved with the attempt (a toggle, refused once finished, race-safe), «Время вышло»
when the clock finished the attempt, the review of a matching question pair by pair, numbers by the
locale, and the review link first in each row."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.domain_errors import Conflict, NotFound
from app.extensions import db
from app.timeutil import utcnow
from courses.quiz import rules
from courses.quiz.attempt_flags import toggle_flag
from courses.quiz.attempts import attempt_items, finish_attempt, save_answer, start_attempt
from courses.quiz.models import QuizAnswer, QuizAttempt
from tests.concurrency import at_once, skip_memory_database
from tests.conftest import login
from tests.factories.accounts import student, teacher
from tests.factories.quiz import bank_with_all_types, make_quiz, quiz_owner  # noqa: F401


@pytest.fixture()
def tutor(quiz_owner: Any) -> Any:  # noqa: F811 - the fixture
    user = teacher()
    quiz_owner.managers.add(user.id)
    db.session.commit()
    return user


def _html(response: Any) -> str:
    return response.get_data(as_text=True)


def _attempt(**settings: Any) -> tuple[Any, Any, Any, dict[str, Any]]:
    bank, rows = bank_with_all_types()
    quiz = make_quiz(bank, list(rows.values()), **settings)
    user = student()
    attempt = start_attempt(quiz, user, utcnow())
    items = {i.row.type: i for i in attempt_items(attempt, quiz)}
    return quiz, user, attempt, items


def test_attempt_page_has_squares_for_every_question(client: Any, tutor: Any) -> None:
    quiz, user, attempt, items = _attempt(time_limit_minutes=20)
    save_answer(attempt, items["single"].slot, items["single"].view["choices"][0]["id"], utcnow())
    login(client, user)
    html = _html(client.get(f"/quiz/attempts/{attempt.id}"))
    assert html.count("data-nav-slot=") == len(items)
    answered = html.split(f'data-nav-slot="{items["single"].slot}"')[0].rsplit("<a ", 1)[1]
    assert "is-answered" in answered
    assert 'id="quiz-time-up"' in html and "Время вышло" in html and 'role="timer"' in html
    assert html.count("data-flag-slot=") == len(items) - 1  # not on the description


def test_flag_is_a_toggle_saved_with_the_attempt(client: Any, tutor: Any) -> None:
    _quiz, user, attempt, items = _attempt()
    slot = items["essay"].slot
    login(client, user)
    first = client.post(f"/quiz/attempts/{attempt.id}/flag/{slot}")
    assert first.status_code == 200 and first.json == {"slot": slot, "flagged": True}
    html = _html(client.get(f"/quiz/attempts/{attempt.id}"))
    square = html.split(f'data-nav-slot="{slot}"')[0].rsplit("<a ", 1)[1]
    assert "is-flagged" in square and 'aria-pressed="true"' in html
    assert client.post(f"/quiz/attempts/{attempt.id}/flag/{slot}").json["flagged"] is False
    assert client.post(f"/quiz/attempts/{attempt.id}/flag/999").status_code == 404


def test_flag_without_javascript_saves_the_answers_and_returns_to_the_question(
    client: Any, tutor: Any
) -> None:
    _quiz, user, attempt, items = _attempt()
    essay = items["essay"].slot
    login(client, user)
    response = client.post(
        f"/quiz/attempts/{attempt.id}",
        data={"slots": str(essay), f"q{essay}": "Черновик", "action": f"flag-{essay}"},
    )
    assert response.status_code == 302 and response.location.endswith(f"#slot-{essay}")
    row = db.session.scalar(
        select(QuizAnswer).where(QuizAnswer.attempt_id == attempt.id, QuizAnswer.slot == essay)
    )
    db.session.refresh(row)
    assert row.flagged is True and row.answer == "Черновик"


def test_flag_refusals_by_role_and_state(client: Any, tutor: Any, app: Any) -> None:
    _quiz, user, attempt, items = _attempt()
    slot = items["single"].slot
    other = app.test_client()
    login(other, student())
    assert other.post(f"/quiz/attempts/{attempt.id}/flag/{slot}").status_code == 404  # not theirs to know
    login(client, tutor)
    assert client.post(f"/quiz/attempts/{attempt.id}/flag/{slot}").status_code == 403  # a tutor reads only
    finish_attempt(attempt, utcnow())
    with pytest.raises(Conflict):
        toggle_flag(attempt, slot, utcnow())
    with pytest.raises(NotFound):
        toggle_flag(attempt, 99, utcnow())
    mine = app.test_client()
    login(mine, user)
    refused = mine.post(f"/quiz/attempts/{attempt.id}/flag/{slot}")
    assert refused.status_code == 409 and refused.json["error"]["message"]


def test_two_flags_at_once_flip_twice(app: Any, tutor: Any) -> None:
    skip_memory_database()
    _quiz, _user, attempt, items = _attempt()
    slot, attempt_id = items["single"].slot, attempt.id
    db.session.remove()  # hold no SQLite lock the threads need

    def flip() -> bool:
        return toggle_flag(db.session.get(QuizAttempt, attempt_id), slot, utcnow())

    outcomes = at_once(app, [flip, flip])
    stored = db.session.scalar(
        select(QuizAnswer.flagged).where(QuizAnswer.attempt_id == attempt_id, QuizAnswer.slot == slot)
    )
    assert sorted(outcomes) == [False, True] and stored is False  # type: ignore[type-var]


def test_time_ran_out_is_said_on_the_review_and_in_the_lists(client: Any, tutor: Any) -> None:
    quiz, user, attempt, _items = _attempt(time_limit_minutes=5)
    later = attempt.deadline + timedelta(seconds=30)
    finish_attempt(attempt, later)
    assert rules.ran_out_of_time(attempt.deadline, attempt.finished_at)
    login(client, user)
    review = _html(client.get(f"/quiz/attempts/{attempt.id}/review"))
    assert "data-timed-out" in review and "Время вышло" in review
    start = _html(client.get(f"/quiz/quizzes/{quiz.id}"))
    assert "время вышло" in start


def test_finishing_in_time_says_nothing_about_time() -> None:
    now = utcnow()
    assert not rules.ran_out_of_time(now + timedelta(minutes=3), now)
    assert not rules.ran_out_of_time(None, now)
    assert not rules.ran_out_of_time(now, None)
    assert rules.ran_out_of_time(now, now)


def test_review_of_matching_marks_each_pair_and_gives_the_right_one(client: Any, tutor: Any) -> None:
    _quiz, user, attempt, items = _attempt()
    matching = items["matching"]
    left = list(matching.question.left)
    wrong = {
        str(left[0].id): left[1].right_id,
        str(left[1].id): left[0].right_id,
        str(left[2].id): left[2].right_id,
    }
    save_answer(attempt, matching.slot, wrong, utcnow())
    finish_attempt(attempt, utcnow())
    login(client, user)
    html = _html(client.get(f"/quiz/attempts/{attempt.id}/review"))
    card = html.split(f'id="slot-{matching.slot}"', 1)[1].split("</section>", 1)[0]
    assert card.count('data-pair="wrong"') == 2 and card.count('data-pair="right"') == 1
    assert card.count("data-right-match") == 2 and "<select" not in card
    rights = {r.id: r.text for r in matching.question.right}
    assert f"Правильная пара: {rights[left[0].right_id]}" in card


def test_review_numbers_by_the_locale_and_attempts_list_has_review_first(client: Any, tutor: Any) -> None:
    quiz, user, attempt, items = _attempt()
    multiple = items["multiple"]
    save_answer(attempt, multiple.slot, [multiple.question.choices[0].id], utcnow())
    finish_attempt(attempt, utcnow())
    login(client, tutor)
    listing = _html(client.get(f"/quiz/quizzes/{quiz.id}/attempts"))
    row = listing.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    first_cell = row.split("</td>", 1)[0]
    assert "data-review-link" in first_cell
    assert " из " in row and "/ " not in row.split("</td>", 4)[4]
    review = _html(client.get(f"/quiz/attempts/{attempt.id}/review"))
    assert "0,5 из 1" in review  # half of the multiple-choice mark, written the Russian way
