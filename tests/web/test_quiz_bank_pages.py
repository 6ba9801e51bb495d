"""Quiz pages for a bank's managers: permissions, the bank, each question type's form, GIFT import and
export, quiz settings and slots; bad input and refusals per role; fixed query counts."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from courses.quiz.bank_gift import import_gift
from courses.quiz.bank_questions import load_question
from courses.quiz.banks import create_category
from courses.quiz.models import Question, Quiz
from courses.quiz.quizzes import quiz_slots
from tests.conftest import login
from tests.factories.accounts import admin, organiser, student, teacher
from tests.factories.quiz import ALL_TYPES_GIFT, bank_with_all_types, make_bank, make_quiz, quiz_owner  # noqa: F401


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
    for url in (
        f"/quiz/banks/{bank.id}",
        f"/quiz/banks/{bank.id}/import",
        f"/quiz/banks/{bank.id}/export",
        f"/quiz/banks/{bank.id}/questions/new/single",
        f"/quiz/questions/{rows['single'].id}",
        f"/quiz/questions/{rows['single'].id}/edit",
        f"/quiz/banks/{bank.id}/quizzes/new",
        f"/quiz/quizzes/{quiz.id}/edit",
        f"/quiz/quizzes/{quiz.id}/attempts",
        f"/quiz/quizzes/{quiz.id}/grading",
        f"/quiz/quizzes/{quiz.id}/statistics",
    ):
        assert client.get(url).status_code == 403, url
    for url in (
        f"/quiz/questions/{rows['single'].id}/delete",
        f"/quiz/questions/{rows['single'].id}/duplicate",
        f"/quiz/questions/{rows['single'].id}/regrade",
        f"/quiz/banks/{bank.id}/categories",
    ):
        assert client.post(url, data={"name": "x"}).status_code == 403, url


def test_anonymous_is_sent_to_login(client: Any, tutor: Any) -> None:
    bank = make_bank()
    assert client.get(f"/quiz/banks/{bank.id}").status_code == 302


def test_admin_manages_any_bank(client: Any, tutor: Any) -> None:
    bank = make_bank()
    login(client, admin())
    assert client.get(f"/quiz/banks/{bank.id}").status_code == 200


# --- the bank ------------------------------------------------------------------------------------------


def test_bank_page_lists_questions_with_a_fixed_number_of_queries(
    client: Any, tutor: Any, count_queries: Any
) -> None:
    bank = make_bank()
    login(client, tutor)
    counts = []
    for size in (2, 30):
        import_gift(
            bank, "\n\n".join(f"::Q{size}-{i}::2+{i}? {{={2 + i} ~0}}" for i in range(size)), actor=None
        )
        with count_queries() as counter:
            response = client.get(f"/quiz/banks/{bank.id}")
        assert response.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
    assert "Q30-0" in _html(response)


def test_category_create_and_duplicate_is_422_next_to_field(client: Any, tutor: Any) -> None:
    bank = make_bank()
    login(client, tutor)
    assert (
        client.post(f"/quiz/banks/{bank.id}/categories", data={"name": "Алгебра", "parent_id": 0}).status_code
        == 302
    )
    again = client.post(f"/quiz/banks/{bank.id}/categories", data={"name": "Алгебра", "parent_id": 0})
    assert again.status_code == 422 and "invalid-feedback" in _html(again)
    empty = client.post(f"/quiz/banks/{bank.id}/categories", data={"name": "", "parent_id": 0})
    assert empty.status_code == 422


QUESTION_POSTS: dict[str, dict[str, Any]] = {
    "single": {
        "choices-0-text": "Москва",
        "choices-0-fraction": "100",
        "choices-1-text": "Казань",
        "choices-1-fraction": "0",
    },
    "multiple": {
        "choices-0-text": "2",
        "choices-0-fraction": "50",
        "choices-1-text": "3",
        "choices-1-fraction": "50",
        "choices-2-text": "4",
        "choices-2-fraction": "-100",
    },
    "truefalse": {"correct": "true", "feedback_true": "Верно", "feedback_false": "Нет"},
    "shortanswer": {"answers-0-text": "cat", "answers-0-fraction": "100", "case_sensitive": ""},
    "numerical": {"answers-0-value": "3,5", "answers-0-tolerance": "0.1", "answers-0-fraction": "100"},
    "matching": {
        "pairs-0-left": "кошка",
        "pairs-0-right": "cat",
        "pairs-1-left": "собака",
        "pairs-1-right": "dog",
        "distractors": "cow",
    },
    "essay": {},
    "cloze": {"text": "Столица Франции {1:SHORTANSWER:=Париж}, 2+2 = {1:NUMERICAL:=4:0}"},
    "description": {},
}


@pytest.mark.parametrize("kind", list(QUESTION_POSTS))
def test_create_and_edit_each_question_type(client: Any, tutor: Any, kind: str) -> None:
    bank = make_bank()
    login(client, tutor)
    assert client.get(f"/quiz/banks/{bank.id}/questions/new/{kind}").status_code == 200
    data = {
        "name": f"Вопрос {kind}",
        "text": "Текст вопроса",
        "text_format": "markdown",
        "category_id": 0,
        "default_mark": "2",
        "general_feedback": "",
    }
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


@pytest.mark.parametrize(
    ("kind", "bad"),
    [
        (
            "single",
            {
                "choices-0-text": "A",
                "choices-0-fraction": "50",
                "choices-1-text": "B",
                "choices-1-fraction": "0",
            },
        ),
        ("single", {"choices-0-text": "Only one", "choices-0-fraction": "100"}),
        ("single", {"choices-0-text": "A", "choices-0-fraction": "500", "choices-1-text": "B"}),
        (
            "multiple",
            {
                "choices-0-text": "A",
                "choices-0-fraction": "-50",
                "choices-1-text": "B",
                "choices-1-fraction": "0",
            },
        ),
        ("shortanswer", {}),
        ("numerical", {"answers-0-value": "три", "answers-0-fraction": "100"}),
        ("numerical", {"answers-0-value": "3", "answers-0-tolerance": "-1", "answers-0-fraction": "100"}),
        ("matching", {"pairs-0-left": "a", "pairs-0-right": ""}),
        ("matching", {"pairs-0-left": "a", "pairs-0-right": "b"}),
        ("cloze", {"text": "Нет пропусков"}),
        ("cloze", {"text": "Сломано {1:WHAT:=x}"}),
        ("essay", {"name": ""}),
        ("essay", {"default_mark": "-1"}),
    ],
)
def test_question_form_rejections_are_422(client: Any, tutor: Any, kind: str, bad: dict[str, Any]) -> None:
    bank = make_bank()
    login(client, tutor)
    data = {
        "name": "Вопрос",
        "text": "Текст",
        "text_format": "markdown",
        "category_id": 0,
        "default_mark": "1",
    }
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
    response = client.post(
        f"/quiz/banks/{bank.id}/import", data={"text": text, "category_id": 0, "valid_only": "y"}
    )
    assert response.status_code == 422  # the report still lists the skipped one
    assert db.session.scalar(select(func.count()).select_from(Question)) == 1
    assert (
        client.post(f"/quiz/banks/{bank.id}/import", data={"text": "", "category_id": 0}).status_code == 422
    )


def test_gift_import_file_and_export(client: Any, tutor: Any) -> None:
    bank = make_bank()
    login(client, tutor)
    response = client.post(
        f"/quiz/banks/{bank.id}/import",
        data={"file": (io.BytesIO(ALL_TYPES_GIFT.encode()), "questions.gift"), "category_id": 0},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Question)) == 9
    bad = client.post(
        f"/quiz/banks/{bank.id}/import",
        data={"file": (io.BytesIO(b"\xff\xfe\x00bad"), "q.gift"), "category_id": 0},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    exported = client.get(f"/quiz/banks/{bank.id}/export")
    assert exported.status_code == 200 and "::Столица::" in _html(exported)


# --- quiz settings -----------------------------------------------------------------------------------------


def test_quiz_create_edit_and_slots(client: Any, tutor: Any) -> None:
    bank, rows = bank_with_all_types()
    login(client, tutor)
    assert client.get(f"/quiz/banks/{bank.id}/quizzes/new").status_code == 200
    bad = client.post(
        f"/quiz/banks/{bank.id}/quizzes/new",
        data={
            "title": "Тест",
            "max_grade": "10",
            "grading_method": "highest",
            "review_when": "immediately",
            "opens_at": "2026-03-02T10:00",
            "closes_at": "2026-03-01T10:00",
        },
    )
    assert bad.status_code == 422 and "invalid-feedback" in _html(bad)
    assert (
        client.post(f"/quiz/banks/{bank.id}/quizzes/new", data={"title": "", "max_grade": "10"}).status_code
        == 422
    )
    assert (
        client.post(
            f"/quiz/banks/{bank.id}/quizzes/new",
            data={
                "title": "T",
                "max_grade": "10",
                "time_limit_minutes": "0",
                "grading_method": "highest",
                "review_when": "immediately",
            },
        ).status_code
        == 422
    )
    ok = client.post(
        f"/quiz/banks/{bank.id}/quizzes/new",
        data={
            "title": "Тест",
            "max_grade": "10",
            "grading_method": "average",
            "review_when": "after_close",
            "time_limit_minutes": "20",
            "question_ids": [rows["single"].id, rows["numerical"].id],
            "opens_at": "2026-03-01T10:00",
            "closes_at": "2026-03-02T10:00",
        },
    )
    assert ok.status_code == 302
    quiz = db.session.scalar(select(Quiz))
    assert quiz.time_limit_minutes == 20 and str(quiz.grading_method) == "average"
    assert quiz.opens_at.hour == 7  # 10:00 Moscow time is 07:00 UTC
    assert client.get(f"/quiz/quizzes/{quiz.id}/edit").status_code == 200
    assert (
        client.post(f"/quiz/quizzes/{quiz.id}/slots", data={"question_ids": [rows["essay"].id]}).status_code
        == 302
    )
    assert client.post(f"/quiz/quizzes/{quiz.id}/slots", data={}).status_code == 422
    category_id = rows["single"].category_id
    assert (
        client.post(
            f"/quiz/quizzes/{quiz.id}/random", data={"category_id": category_id, "random_count": 99}
        ).status_code
        == 422
    )
    assert (
        client.post(
            f"/quiz/quizzes/{quiz.id}/random", data={"category_id": category_id, "random_count": 2}
        ).status_code
        == 302
    )
    assert len(quiz_slots(quiz)) == 4
    slot = quiz_slots(quiz)[0]
    assert client.post(f"/quiz/slots/{slot.id}/down").status_code == 302
    assert client.post(f"/quiz/slots/{slot.id}/remove").status_code == 302
    assert len(quiz_slots(quiz)) == 3
    edit = client.post(
        f"/quiz/quizzes/{quiz.id}/edit",
        data={"title": "Новое", "max_grade": "5", "grading_method": "last", "review_when": "never"},
    )
    assert edit.status_code == 302
    db.session.refresh(quiz)
    assert quiz.title == "Новое" and quiz.max_grade == Decimal(5) and quiz.opens_at is None
