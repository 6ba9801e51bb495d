"""Quiz pages: the bank, question forms per type, GIFT import/export, quiz settings, taking a quiz,
review, tutor pages; bad input and refusals per role; fixed query counts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.timeutil import utcnow
from courses.quiz.attempts import attempt_items, finish_attempt, save_answer, start_attempt
from courses.quiz.bank_gift import import_gift
from courses.quiz.bank_questions import load_question
from courses.quiz.banks import create_category
from courses.quiz.models import AttemptState, Question, Quiz, QuizAnswer, QuizAttempt
from courses.quiz.quizzes import quiz_slots, update_quiz
from tests.conftest import login
from tests.factories.accounts import admin, organiser, student, teacher
from tests.factories.quiz import bank_with_all_types, make_bank, make_quiz, quiz_owner  # noqa: F401


@pytest.fixture()
def tutor(quiz_owner: Any) -> Any:  # noqa: F811 - the fixture
    user = teacher()
    quiz_owner.managers.add(user.id)
    db.session.commit()
    return user


def _html(response: Any) -> str:
    return response.get_data(as_text=True)


# --- permissions ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [student, teacher, organiser])
def test_bank_pages_refuse_non_managers(client: Any, tutor: Any, persona: Any) -> None:
    bank, rows = bank_with_all_types()
    quiz = make_quiz(bank, [rows["single"]])
    login(client, persona())
    for url in (f"/quiz/banks/{bank.id}", f"/quiz/banks/{bank.id}/import", f"/quiz/banks/{bank.id}/export",
                f"/quiz/banks/{bank.id}/questions/new/single", f"/quiz/questions/{rows['single'].id}",
                f"/quiz/questions/{rows['single'].id}/edit", f"/quiz/banks/{bank.id}/quizzes/new",
                f"/quiz/quizzes/{quiz.id}/edit", f"/quiz/quizzes/{quiz.id}/attempts",
                f"/quiz/quizzes/{quiz.id}/grading", f"/quiz/quizzes/{quiz.id}/statistics"):
        assert client.get(url).status_code == 403, url
    for url in (f"/quiz/questions/{rows['single'].id}/delete", f"/quiz/questions/{rows['single'].id}/duplicate",
                f"/quiz/questions/{rows['single'].id}/regrade", f"/quiz/banks/{bank.id}/categories"):
        assert client.post(url, data={"name": "x"}).status_code == 403, url


def test_anonymous_is_sent_to_login(client: Any, tutor: Any) -> None:
    bank = make_bank()
    assert client.get(f"/quiz/banks/{bank.id}").status_code == 302


def test_admin_manages_any_bank(client: Any, tutor: Any) -> None:
    bank = make_bank()
    login(client, admin())
    assert client.get(f"/quiz/banks/{bank.id}").status_code == 200


# --- the bank ------------------------------------------------------------------------------------------


def test_bank_page_lists_questions_with_a_fixed_number_of_queries(client: Any, tutor: Any, count_queries: Any) -> None:
    bank = make_bank()
    login(client, tutor)
    counts = []
    for size in (2, 30):
        import_gift(bank, "\n\n".join(f"::Q{size}-{i}::2+{i}? {{={2 + i} ~0}}" for i in range(size)), actor=None)
        with count_queries() as counter:
            response = client.get(f"/quiz/banks/{bank.id}")
        assert response.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
    assert "Q30-0" in _html(response)


def test_category_create_and_duplicate_is_422_next_to_field(client: Any, tutor: Any) -> None:
    bank = make_bank()
    login(client, tutor)
    assert client.post(f"/quiz/banks/{bank.id}/categories", data={"name": "Алгебра", "parent_id": 0}).status_code == 302
    again = client.post(f"/quiz/banks/{bank.id}/categories", data={"name": "Алгебра", "parent_id": 0})
    assert again.status_code == 422 and "invalid-feedback" in _html(again)
    empty = client.post(f"/quiz/banks/{bank.id}/categories", data={"name": "", "parent_id": 0})
    assert empty.status_code == 422


QUESTION_POSTS: dict[str, dict[str, Any]] = {
    "single": {"choices-0-text": "Москва", "choices-0-fraction": "100", "choices-1-text": "Казань",
               "choices-1-fraction": "0"},
    "multiple": {"choices-0-text": "2", "choices-0-fraction": "50", "choices-1-text": "3", "choices-1-fraction": "50",
                 "choices-2-text": "4", "choices-2-fraction": "-100"},
    "truefalse": {"correct": "true", "feedback_true": "Верно", "feedback_false": "Нет"},
    "shortanswer": {"answers-0-text": "cat", "answers-0-fraction": "100", "case_sensitive": ""},
    "numerical": {"answers-0-value": "3,5", "answers-0-tolerance": "0.1", "answers-0-fraction": "100"},
    "matching": {"pairs-0-left": "кошка", "pairs-0-right": "cat", "pairs-1-left": "собака", "pairs-1-right": "dog",
                 "distractors": "cow"},
    "essay": {},
    "cloze": {"text": "Столица Франции {1:SHORTANSWER:=Париж}, 2+2 = {1:NUMERICAL:=4:0}"},
    "description": {},
}


@pytest.mark.parametrize("kind", list(QUESTION_POSTS))
def test_create_and_edit_each_question_type(client: Any, tutor: Any, kind: str) -> None:
    bank = make_bank()
    login(client, tutor)
    assert client.get(f"/quiz/banks/{bank.id}/questions/new/{kind}").status_code == 200
    data = {"name": f"Вопрос {kind}", "text": "Текст вопроса", "text_format": "markdown", "category_id": 0,
            "default_mark": "2", "general_feedback": ""}
    data.update(QUESTION_POSTS[kind])
    response = client.post(f"/quiz/banks/{bank.id}/questions/new/{kind}", data=data)
    assert response.status_code == 302, _html(response)[:3000]
    row = db.session.scalar(select(Question).where(Question.bank_id == bank.id))
    assert row.type == kind
    question = load_question(row)
    assert question.default_mark == (Decimal(0) if kind == "description" else Decimal(2))
    edit = client.get(f"/quiz/questions/{row.id}/edit")
    assert edit.status_code == 200
    assert client.get(f"/quiz/questions/{row.id}").status_code == 200  # preview
    data["name"] = "Исправленный"
    assert client.post(f"/quiz/questions/{row.id}/edit", data=data).status_code == 302
    db.session.refresh(row)
    assert row.name == "Исправленный" and row.version == 2


@pytest.mark.parametrize(("kind", "bad"), [
    ("single", {"choices-0-text": "A", "choices-0-fraction": "50", "choices-1-text": "B", "choices-1-fraction": "0"}),
    ("single", {"choices-0-text": "Only one", "choices-0-fraction": "100"}),
    ("single", {"choices-0-text": "A", "choices-0-fraction": "500", "choices-1-text": "B"}),
    ("multiple", {"choices-0-text": "A", "choices-0-fraction": "-50", "choices-1-text": "B", "choices-1-fraction": "0"}),
    ("shortanswer", {}),
    ("numerical", {"answers-0-value": "три", "answers-0-fraction": "100"}),
    ("numerical", {"answers-0-value": "3", "answers-0-tolerance": "-1", "answers-0-fraction": "100"}),
    ("matching", {"pairs-0-left": "a", "pairs-0-right": ""}),
    ("matching", {"pairs-0-left": "a", "pairs-0-right": "b"}),
    ("cloze", {"text": "Нет пропусков"}),
    ("cloze", {"text": "Сломано {1:WHAT:=x}"}),
    ("essay", {"name": ""}),
    ("essay", {"default_mark": "-1"}),
])
def test_question_form_rejections_are_422(client: Any, tutor: Any, kind: str, bad: dict[str, Any]) -> None:
    bank = make_bank()
    login(client, tutor)
    data = {"name": "Вопрос", "text": "Текст", "text_format": "markdown", "category_id": 0, "default_mark": "1"}
    data.update(bad)
    response = client.post(f"/quiz/banks/{bank.id}/questions/new/{kind}", data=data)
    assert response.status_code == 422, kind
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_unknown_type_is_404(client: Any, tutor: Any) -> None:
    bank = make_bank()
    login(client, tutor)
    assert client.get(f"/quiz/banks/{bank.id}/questions/new/riddle").status_code == 404


def test_duplicate_move_delete(client: Any, tutor: Any) -> None:
    bank, rows = bank_with_all_types()
    login(client, tutor)
    row = rows["essay"]
    assert client.post(f"/quiz/questions/{row.id}/duplicate").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Question)) == 10
    category = create_category(bank, "Другое", actor=None)
    assert client.post(f"/quiz/questions/{row.id}/move", data={"category_id": category.id}).status_code == 302
    db.session.refresh(row)
    assert row.category_id == category.id
    assert client.post(f"/quiz/questions/{row.id}/delete").status_code == 302
    assert db.session.get(Question, row.id) is None


def test_gift_import_textarea_errors_then_valid_only(client: Any, tutor: Any) -> None:
    bank = make_bank()
    login(client, tutor)
    text = "::A::2+2? {=4 ~5}\n\n::B::Сломано {=x ~y\n"
    response = client.post(f"/quiz/banks/{bank.id}/import", data={"text": text, "category_id": 0})
    assert response.status_code == 422
    assert "3" in _html(response) and db.session.scalar(select(func.count()).select_from(Question)) == 0
    response = client.post(f"/quiz/banks/{bank.id}/import", data={"text": text, "category_id": 0, "valid_only": "y"})
    assert response.status_code == 422  # the report still lists the skipped one
    assert db.session.scalar(select(func.count()).select_from(Question)) == 1
    assert client.post(f"/quiz/banks/{bank.id}/import", data={"text": "", "category_id": 0}).status_code == 422


def test_gift_import_file_and_export(client: Any, tutor: Any) -> None:
    import io

    from tests.factories.quiz import ALL_TYPES_GIFT

    bank = make_bank()
    login(client, tutor)
    response = client.post(f"/quiz/banks/{bank.id}/import", data={
        "file": (io.BytesIO(ALL_TYPES_GIFT.encode()), "questions.gift"), "category_id": 0},
        content_type="multipart/form-data")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Question)) == 9
    bad = client.post(f"/quiz/banks/{bank.id}/import", data={
        "file": (io.BytesIO(b"\xff\xfe\x00bad"), "q.gift"), "category_id": 0}, content_type="multipart/form-data")
    assert bad.status_code == 422
    exported = client.get(f"/quiz/banks/{bank.id}/export")
    assert exported.status_code == 200 and "::Столица::" in _html(exported)


# --- quiz settings -----------------------------------------------------------------------------------------


def test_quiz_create_edit_and_slots(client: Any, tutor: Any) -> None:
    bank, rows = bank_with_all_types()
    login(client, tutor)
    assert client.get(f"/quiz/banks/{bank.id}/quizzes/new").status_code == 200
    bad = client.post(f"/quiz/banks/{bank.id}/quizzes/new", data={
        "title": "Тест", "max_grade": "10", "grading_method": "highest", "review_when": "immediately",
        "opens_at": "2026-03-02T10:00", "closes_at": "2026-03-01T10:00"})
    assert bad.status_code == 422 and "invalid-feedback" in _html(bad)
    assert client.post(f"/quiz/banks/{bank.id}/quizzes/new", data={"title": "", "max_grade": "10"}).status_code == 422
    assert client.post(f"/quiz/banks/{bank.id}/quizzes/new", data={
        "title": "T", "max_grade": "10", "time_limit_minutes": "0", "grading_method": "highest",
        "review_when": "immediately"}).status_code == 422
    ok = client.post(f"/quiz/banks/{bank.id}/quizzes/new", data={
        "title": "Тест", "max_grade": "10", "grading_method": "average", "review_when": "after_close",
        "time_limit_minutes": "20", "question_ids": [rows["single"].id, rows["numerical"].id],
        "opens_at": "2026-03-01T10:00", "closes_at": "2026-03-02T10:00"})
    assert ok.status_code == 302
    quiz = db.session.scalar(select(Quiz))
    assert quiz.time_limit_minutes == 20 and str(quiz.grading_method) == "average"
    assert quiz.opens_at.hour == 7  # 10:00 Moscow time is 07:00 UTC
    assert client.get(f"/quiz/quizzes/{quiz.id}/edit").status_code == 200
    assert client.post(f"/quiz/quizzes/{quiz.id}/slots", data={"question_ids": [rows["essay"].id]}).status_code == 302
    assert client.post(f"/quiz/quizzes/{quiz.id}/slots", data={}).status_code == 422
    category_id = rows["single"].category_id
    assert client.post(f"/quiz/quizzes/{quiz.id}/random", data={"category_id": category_id,
                                                                 "random_count": 99}).status_code == 422
    assert client.post(f"/quiz/quizzes/{quiz.id}/random", data={"category_id": category_id,
                                                                 "random_count": 2}).status_code == 302
    assert len(quiz_slots(quiz)) == 4
    slot = quiz_slots(quiz)[0]
    assert client.post(f"/quiz/slots/{slot.id}/down").status_code == 302
    assert client.post(f"/quiz/slots/{slot.id}/remove").status_code == 302
    assert len(quiz_slots(quiz)) == 3
    edit = client.post(f"/quiz/quizzes/{quiz.id}/edit", data={"title": "Новое", "max_grade": "5",
                                                              "grading_method": "last", "review_when": "never"})
    assert edit.status_code == 302
    db.session.refresh(quiz)
    assert quiz.title == "Новое" and quiz.max_grade == Decimal(5) and quiz.opens_at is None


# --- taking a quiz --------------------------------------------------------------------------------------------


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
    data = {"slots": ",".join(str(i.slot) for i in items.values()), f"q{single.slot}": str(right),
            f"q{items['truefalse'].slot}": "true", f"q{items['numerical'].slot}": "3,5",
            f"q{items['essay'].slot}": "Эссе", f"q{items['cloze'].slot}-g1": "Париж",
            f"q{items['cloze'].slot}-g2": "4", f"q{items['multiple'].slot}": ["1", "2"]}
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
    response = client.post(f"/quiz/attempts/{attempt.id}/autosave", data={"slots": str(slot), f"q{slot}": "x"})
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
        report = import_gift(bank, "\n\n".join(f"::S{size}-{i}::{i}? {{={i} ~x}}" for i in range(size)),
                                      actor=None)
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
    graded = client.post(f"/quiz/answers/{essay.id}/grade",
                         data={"points": "1", "comment": "Хорошо", "next": "//evil.example/phish"})
    assert graded.status_code == 302 and "evil.example" not in graded.location  # no open redirect
    db.session.refresh(attempt)
    assert attempt.needs_grading is False and attempt.score == Decimal(1)
    review = client.get(f"/quiz/attempts/{attempt.id}/review")
    assert review.status_code == 200 and "Set grade" in _html(review) or "Поставить" in _html(review)
    stats = client.get(f"/quiz/quizzes/{quiz.id}/statistics")
    assert stats.status_code == 200 and "kitty" in _html(stats)
    row = rows["shortanswer"]
    data = {"name": row.name, "text": "Как по-английски «кошка»?", "text_format": "moodle", "category_id": row.category_id,
            "default_mark": "1", "answers-0-text": "cat", "answers-0-fraction": "100",
            "answers-1-text": "kitt*", "answers-1-fraction": "50"}
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
