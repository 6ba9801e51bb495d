"""Quiz engine services for attempts: start, autosave, deadlines, finishing, marking, regrading, grades,
and two requests at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from app.accounts import User
from app.domain_errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from courses.quiz import questions
from courses.quiz.attempts import (
    AttemptItem,
    attempt_items,
    finish_attempt,
    finish_overdue,
    save_answer,
    start_attempt,
)
from courses.quiz.bank_gift import import_gift
from courses.quiz.bank_questions import (
    save_question,
)
from courses.quiz.banks import create_bank
from courses.quiz.grades import attempt_results, quiz_grades
from courses.quiz.marking import grade_answer, grading_queue, regrade_question
from courses.quiz.models import AttemptState, Quiz, QuizAnswer, QuizAttempt
from courses.quiz.quizzes import (
    create_quiz,
)
from tests.factories.accounts import student, teacher
from tests.factories.quiz import ALL_TYPES_GIFT, bank_with_all_types, make_bank, make_quiz, quiz_owner  # noqa: F401

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("quiz_owner")


def answers_for(items: list[AttemptItem]) -> dict[str, tuple[int, Any]]:
    """slot and a fully right answer for each type."""
    by_type = {item.row.type: item for item in items}
    right: dict[str, Any] = {}
    for kind, item in by_type.items():
        q = item.question
        if kind == "single":
            right[kind] = next(c.id for c in q.choices if c.fraction == 1)
        elif kind == "multiple":
            right[kind] = [c.id for c in q.choices if c.fraction > 0]
        elif kind == "truefalse":
            right[kind] = True
        elif kind == "shortanswer":
            right[kind] = "  CAT "
        elif kind == "numerical":
            right[kind] = "3,5"
        elif kind == "matching":
            right[kind] = {str(left.id): left.right_id for left in q.left}
        elif kind == "essay":
            right[kind] = "Мой урок был о дробях."
        elif kind == "cloze":
            right[kind] = {"1": "париж", "2": "4"}
    return {kind: (by_type[kind].slot, value) for kind, value in right.items()}


def test_full_attempt_scores_every_type() -> None:
    bank, rows = bank_with_all_types()
    quiz = make_quiz(bank, list(rows.values()))
    user = student()
    attempt = start_attempt(quiz, user, NOW)
    items = attempt_items(attempt, quiz)
    for _kind, (slot, value) in answers_for(items).items():
        save_answer(attempt, slot, value, NOW + timedelta(minutes=1))
    finished = finish_attempt(attempt, NOW + timedelta(minutes=2))
    assert finished.state == AttemptState.FINISHED
    assert finished.max_score == Decimal(8)
    assert finished.score == Decimal(7)  # all right but the essay, which waits for a tutor
    assert finished.needs_grading is True
    essay = db.session.scalar(
        select(QuizAnswer).where(QuizAnswer.attempt_id == attempt.id, QuizAnswer.needs_grading.is_(True))
    )
    queue = db.session.scalars(grading_queue([quiz.id])).all()
    assert [a.id for a in queue] == [essay.id]
    grade_answer(essay, Decimal("0.5"), "Хорошо", actor=None, now=NOW)
    db.session.refresh(attempt)
    assert attempt.score == Decimal("7.5") and attempt.needs_grading is False
    assert quiz_grades([quiz.id]) == {(quiz.id, user.id): Decimal("9.38")}


def test_grade_answer_refuses_points_out_of_range() -> None:
    bank, rows = bank_with_all_types()
    quiz = make_quiz(bank, [rows["essay"]])
    attempt = start_attempt(quiz, student(), NOW)
    answer = db.session.scalar(select(QuizAnswer).where(QuizAnswer.attempt_id == attempt.id))
    with pytest.raises(Conflict):
        grade_answer(answer, Decimal(1), "", actor=None, now=NOW)
    finish_attempt(attempt, NOW)
    with pytest.raises(Invalid):
        grade_answer(answer, Decimal(2), "", actor=None, now=NOW)
    with pytest.raises(Invalid):
        grade_answer(answer, Decimal(-1), "", actor=None, now=NOW)


def test_save_answer_rejects_wrong_shape_and_unknown_slot() -> None:
    bank, rows = bank_with_all_types()
    quiz = make_quiz(bank, [rows["single"], rows["matching"]])
    attempt = start_attempt(quiz, student(), NOW)
    with pytest.raises(Invalid) as error:
        save_answer(attempt, 1, "not an id", NOW)
    assert error.value.fields["answer"]
    with pytest.raises(Invalid):
        save_answer(attempt, 1, 999, NOW)
    with pytest.raises(Invalid):
        save_answer(attempt, 2, ["list"], NOW)
    with pytest.raises(NotFound):
        save_answer(attempt, 9, 1, NOW)


def test_start_refusals_policy_window_and_attempts_left(quiz_owner: Any) -> None:  # noqa: F811 - the fixture
    bank, rows = bank_with_all_types()
    user = student()
    quiz = make_quiz(
        bank, [rows["single"]], attempts_allowed=1, opens_at=NOW, closes_at=NOW + timedelta(days=1)
    )
    with pytest.raises(Conflict, match="not open|не открыт"):
        start_attempt(quiz, user, NOW - timedelta(minutes=1))
    with pytest.raises(Conflict):
        start_attempt(quiz, user, NOW + timedelta(days=2))
    with pytest.raises(Forbidden):
        start_attempt(quiz, teacher(), NOW)
    quiz_owner.allowed, quiz_owner.reason = False, "Этап закрыт"
    with pytest.raises(Conflict, match="Этап закрыт"):
        start_attempt(quiz, user, NOW)
    quiz_owner.allowed = True
    first = start_attempt(quiz, user, NOW)
    assert start_attempt(quiz, user, NOW + timedelta(minutes=1)).id == first.id  # resumed
    finish_attempt(first, NOW + timedelta(minutes=2))
    with pytest.raises(Conflict, match="(?i)attempts|попыт"):
        start_attempt(quiz, user, NOW + timedelta(minutes=3))


def test_start_without_a_registered_policy_is_refused() -> None:
    bank = create_bank("nobody", 1, "Ничей")
    db.session.commit()
    row = import_gift(bank, "::A::2+2? {=4 ~5}", actor=None).imported[0]
    quiz = create_quiz(bank, title="T", question_ids=[row.id], actor=None)
    with pytest.raises(Forbidden):
        start_attempt(quiz, student(), NOW)


def test_deadline_is_the_smallest_of_limit_close_and_cap(quiz_owner: Any) -> None:  # noqa: F811 - the fixture
    bank, rows = bank_with_all_types()
    quiz = make_quiz(bank, [rows["single"]], time_limit_minutes=30, closes_at=NOW + timedelta(minutes=20))
    assert start_attempt(quiz, student(), NOW).deadline == NOW + timedelta(minutes=20)
    quiz_owner.cap = NOW + timedelta(minutes=10)
    assert start_attempt(quiz, student(), NOW).deadline == NOW + timedelta(minutes=10)


def test_answer_one_second_after_the_deadline_is_refused_and_attempt_finished() -> None:
    bank, rows = bank_with_all_types()
    quiz = make_quiz(bank, [rows["single"], rows["truefalse"]], time_limit_minutes=10)
    attempt = start_attempt(quiz, student(), NOW)
    items = attempt_items(attempt, quiz)
    right = answers_for(items)
    save_answer(attempt, *right["single"], NOW + timedelta(minutes=5))
    late = NOW + timedelta(minutes=10, seconds=1)
    with pytest.raises(Conflict, match="deadline|срок|Время"):
        save_answer(attempt, *right["truefalse"], late)
    db.session.refresh(attempt)
    assert attempt.state == AttemptState.FINISHED
    assert attempt.score == Decimal(1)
    assert attempt.finished_at == NOW + timedelta(minutes=10)
    with pytest.raises(Conflict):
        save_answer(attempt, *right["truefalse"], late)


def test_overdue_attempts_are_finished_by_the_tick_and_on_next_start() -> None:
    bank, rows = bank_with_all_types()
    quiz = make_quiz(bank, [rows["single"]], time_limit_minutes=5)
    a = start_attempt(quiz, student(), NOW)
    b_user = student()
    b = start_attempt(quiz, b_user, NOW)
    assert finish_overdue(NOW + timedelta(minutes=4)) == []
    lines = finish_overdue(NOW + timedelta(minutes=6))
    assert lines == ["finished 2 overdue attempts"]
    assert finish_overdue(NOW + timedelta(minutes=7)) == []
    db.session.refresh(a)
    db.session.refresh(b)
    assert a.state == b.state == AttemptState.FINISHED
    # a new start after an overdue one begins attempt 2
    assert start_attempt(quiz, b_user, NOW + timedelta(minutes=8)).number == 2


def test_regrade_question_after_fixing_it_reports_changes() -> None:
    bank, rows = bank_with_all_types()
    quiz = make_quiz(bank, [rows["shortanswer"]])
    user = student()
    attempt = start_attempt(quiz, user, NOW)
    save_answer(attempt, 1, "kitty", NOW)
    finish_attempt(attempt, NOW)
    assert attempt.score == Decimal(0)
    fixed = questions.ShortAnswer(
        name="Слово",
        text="Как по-английски «кошка»?",
        answers=(questions.Answer("cat"), questions.Answer("kitt*", questions.Fraction(1, 2))),
    )
    save_question(
        bank, fixed, category_id=rows["shortanswer"].category_id, actor=None, row=rows["shortanswer"]
    )
    changes = regrade_question(rows["shortanswer"], actor=None)
    assert [(c.user_id, c.old_points, c.new_points) for c in changes] == [
        (user.id, Decimal(0), Decimal("0.5"))
    ]
    db.session.refresh(attempt)
    assert attempt.score == Decimal("0.5")
    assert regrade_question(rows["shortanswer"], actor=None) == []


@pytest.mark.parametrize(
    ("method", "expected"), [("highest", "10.00"), ("average", "5.00"), ("first", "0.00"), ("last", "10.00")]
)
def test_quiz_grades_follow_the_grading_method(method: str, expected: str) -> None:
    bank, rows = bank_with_all_types()
    quiz = make_quiz(bank, [rows["truefalse"]], grading_method=method)
    user = student()
    for value in (False, True):
        attempt = start_attempt(quiz, user, NOW)
        save_answer(attempt, 1, value, NOW)
        finish_attempt(attempt, NOW + timedelta(minutes=3))
    assert quiz_grades([quiz.id]) == {(quiz.id, user.id): Decimal(expected)}
    assert quiz_grades([quiz.id], [user.id + 1000]) == {}
    results = attempt_results(quiz.id)
    assert [r.user_id for r in results] == [user.id]
    assert results[0].time_used_seconds == 180


def _threads(count: int, target: Any) -> list[Any]:
    results: list[Any] = [None] * count
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = target()

    workers = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results


def test_two_finishes_at_once_grade_once(app: Any) -> None:
    bank, rows = bank_with_all_types()
    quiz = make_quiz(bank, [rows["truefalse"], rows["numerical"]])
    attempt = start_attempt(quiz, student(), NOW)
    save_answer(attempt, 1, True, NOW)
    attempt_id = attempt.id
    db.session.remove()

    def finish() -> tuple[str, Decimal | None, Any]:
        with app.app_context():
            try:
                row = db.session.get(QuizAttempt, attempt_id)
                done = finish_attempt(row, NOW + timedelta(minutes=1))
                return str(done.state), done.score, done.finished_at
            finally:
                db.session.remove()

    results = _threads(2, finish)
    assert results[0] == results[1] == ("finished", Decimal(1), NOW + timedelta(minutes=1))
    graded = db.session.scalar(
        select(func.count())
        .select_from(QuizAnswer)
        .where(QuizAnswer.attempt_id == attempt_id, QuizAnswer.points.is_not(None))
    )
    assert graded == 2


def test_two_starts_at_once_make_one_attempt(app: Any) -> None:
    bank, rows = bank_with_all_types()
    quiz_id = make_quiz(bank, [rows["single"]]).id
    user_id = student().id
    db.session.commit()
    db.session.remove()

    def start() -> int:
        with app.app_context():
            try:
                quiz = db.session.get(Quiz, quiz_id)
                return start_attempt(quiz, db.session.get(User, user_id), NOW).id
            finally:
                db.session.remove()

    ids = _threads(4, start)
    assert len(set(ids)) == 1
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1


def test_save_racing_finish_never_loses_a_saved_answer(app: Any) -> None:
    bank, rows = bank_with_all_types()
    quiz = make_quiz(bank, [rows["truefalse"]])
    attempt_id = start_attempt(quiz, student(), NOW).id
    db.session.remove()

    def save() -> str:
        with app.app_context():
            try:
                row = db.session.get(QuizAttempt, attempt_id)
                save_answer(row, 1, True, NOW)
                return "saved"
            except Conflict:
                return "refused"
            finally:
                db.session.remove()

    def finish() -> str:
        with app.app_context():
            try:
                finish_attempt(db.session.get(QuizAttempt, attempt_id), NOW)
                return "finished"
            finally:
                db.session.remove()

    targets = iter([save, finish])
    outcome = _threads(2, lambda: next(targets)())
    attempt = db.session.get(QuizAttempt, attempt_id)
    # Whichever came first, a saved answer is graded and a refused one is not stored.
    stored = db.session.scalar(select(QuizAnswer.answer).where(QuizAnswer.attempt_id == attempt_id))
    if "saved" in outcome:
        assert stored is True and attempt.score == Decimal(1)
    else:
        assert stored is None and attempt.score == Decimal(0)
