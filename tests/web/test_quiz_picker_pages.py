"""Building a quiz (issue 16): the question picker (search, category and type named in Russian,
ticked boxes, a count of picked questions and their marks, a plain form), putting a bank quiz into a
course module (who sees it), the way back (breadcrumbs, the course navigation), numbers by the locale
and the question form's text format."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.domain_errors import Invalid
from app.extensions import db
from courses.models import Item
from courses.quiz.bank_gift import import_gift
from courses.quiz.models import Question, QuestionBank, Quiz, QuizSlot
from courses.quiz_items import place_quiz
from tests.conftest import login
from tests.factories import courses as course_factory
from tests.factories.accounts import teacher
from tests.factories.quiz import bank_with_all_types, make_bank, make_quiz, quiz_owner  # noqa: F401

GIFT = """$CATEGORY: Алгебра
::Сумма::2+2? {=4 ~5 ~3}

::Дроби::Половина от 10? {#5}

$CATEGORY: География
::Столица::Столица России? {=Москва ~Казань}

::Материк::Россия в Евразии. {T}
"""


@pytest.fixture()
def tutor(quiz_owner: Any) -> Any:  # noqa: F811 - the fixture
    user = teacher()
    quiz_owner.managers.add(user.id)
    db.session.commit()
    return user


def _html(response: Any) -> str:
    return response.get_data(as_text=True)


def _bank_with_questions() -> tuple[Any, dict[str, Question]]:
    bank = make_bank()
    rows = import_gift(bank, GIFT, actor=None).imported
    return bank, {r.name: r for r in rows}


def test_new_quiz_page_offers_a_picker_with_russian_types_and_no_codes(client: Any, tutor: Any) -> None:
    bank, _rows = _bank_with_questions()
    login(client, tutor)
    html = _html(client.get(f"/quiz/banks/{bank.id}/quizzes/new"))
    assert "data-quiz-picker" in html and 'type="checkbox" name="question_ids"' in html
    assert "Один вариант" in html and "Числовой" in html and "Верно/неверно" in html
    assert "(single)" not in html and "(truefalse)" not in html and "<select multiple" not in html
    assert "Выбрано вопросов: 0, баллов всего: 0" in html
    assert 'name="shuffle_answers" type="checkbox" value="y" checked' in html or (
        'id="shuffle_answers"' in html and "checked" in html.split('id="shuffle_answers"')[0][-200:]
    )


def test_picker_filters_by_words_category_and_type_and_keeps_what_is_ticked(client: Any, tutor: Any) -> None:
    bank, rows = _bank_with_questions()
    login(client, tutor)
    algebra = rows["Сумма"].category_id
    picked = rows["Столица"].id
    found = client.post(
        f"/quiz/banks/{bank.id}/quizzes/new",
        data={"title": "Черновик", "q": "дРоб", "category": algebra, "filter": "1", "question_ids": [picked]},
    )
    html = _html(found)
    assert found.status_code == 200
    assert "Дроби" in html and "Сумма" not in html and 'value="Черновик"' in html
    # the ticked question from another category stays, as a hidden field, and counts
    assert f'type="hidden" name="question_ids" value="{picked}"' in html
    assert "Выбрано вопросов: 1, баллов всего: 1" in html
    by_type = _html(
        client.post(f"/quiz/banks/{bank.id}/quizzes/new", data={"type": "truefalse", "filter": "1"})
    )
    assert "Материк" in by_type and "Столица" not in by_type
    assert db.session.scalar(select(Quiz.id)) is None  # filtering saves nothing


def test_new_quiz_from_ticked_questions_with_shuffled_answers(client: Any, tutor: Any) -> None:
    bank, rows = _bank_with_questions()
    login(client, tutor)
    ids = [rows["Сумма"].id, rows["Столица"].id]
    made = client.post(
        f"/quiz/banks/{bank.id}/quizzes/new",
        data={
            "title": "Входной",
            "max_grade": "10",
            "grading_method": "highest",
            "review_when": "immediately",
            "shuffle_answers": "y",
            "question_ids": [str(i) for i in ids],
        },
    )
    assert made.status_code == 302
    quiz = db.session.scalar(select(Quiz))
    assert quiz.shuffle_answers is True
    slots = db.session.scalars(select(QuizSlot.question_id).where(QuizSlot.quiz_id == quiz.id)).all()
    assert sorted(slots) == sorted(ids)


def test_picker_refuses_another_banks_question_by_the_field(client: Any, tutor: Any) -> None:
    bank, _rows = _bank_with_questions()
    other, other_rows = bank_with_all_types()
    login(client, tutor)
    refused = client.post(
        f"/quiz/banks/{bank.id}/quizzes/new",
        data={
            "title": "Чужой",
            "max_grade": "10",
            "grading_method": "highest",
            "review_when": "immediately",
            "question_ids": [str(other_rows["single"].id)],
        },
    )
    assert refused.status_code == 422 and "Unknown questions" not in _html(refused)
    assert db.session.scalar(select(Quiz.id)) is None


def test_adding_needs_a_ticked_question_and_skips_those_in_the_quiz(client: Any, tutor: Any) -> None:
    bank, rows = _bank_with_questions()
    quiz = make_quiz(bank, [rows["Сумма"]])
    login(client, tutor)
    page = _html(client.get(f"/quiz/quizzes/{quiz.id}/edit"))
    assert f'name="question_ids" value="{rows["Сумма"].id}"' not in page  # already in the quiz
    empty = client.post(f"/quiz/quizzes/{quiz.id}/slots", data={})
    assert empty.status_code == 422 and "Отметьте хотя бы один вопрос." in _html(empty)
    added = client.post(f"/quiz/quizzes/{quiz.id}/slots", data={"question_ids": [str(rows["Дроби"].id)]})
    assert added.status_code == 302
    assert len(db.session.scalars(select(QuizSlot).where(QuizSlot.quiz_id == quiz.id)).all()) == 2


def test_picker_page_queries_do_not_grow_with_the_bank(client: Any, tutor: Any, count_queries: Any) -> None:
    bank = make_bank()
    login(client, tutor)
    counts = []
    for size in (3, 60):
        import_gift(
            bank, "\n\n".join(f"::P{size}-{i}::1+{i}? {{={1 + i} ~0}}" for i in range(size)), actor=None
        )
        with count_queries() as counter:
            response = client.get(f"/quiz/banks/{bank.id}/quizzes/new")
        assert response.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
    assert _html(response).count('type="checkbox" name="question_ids"') == 25  # one bounded page


def test_picker_rows_show_an_excerpt_and_paging_keeps_the_ticks(client: Any, tutor: Any) -> None:
    bank = make_bank()
    gift = "\n\n".join(f"::Дроби-{i:02d}::Сколько будет **{i}/2** + 1/2? {{={i + 1} ~0}}" for i in range(27))
    rows = {r.name: r for r in import_gift(bank, gift, actor=None).imported}
    login(client, tutor)
    url = f"/quiz/banks/{bank.id}/quizzes/new"
    first = _html(client.get(url))
    picker = first.split("data-quiz-picker")[1].split("</fieldset>")[0]
    assert "data-picker-excerpt>Сколько будет 3/2 + 1/2?<" in picker and "**" not in picker
    ticked = rows["Дроби-00"].id
    second = _html(client.post(url, data={"title": "Дроби", "page": "2", "question_ids": [ticked]}))
    assert second.count('type="checkbox" name="question_ids"') == 2 and "Дроби-26" in second
    assert f'type="hidden" name="question_ids" value="{ticked}"' in second and 'value="Дроби"' in second
    assert "Выбрано вопросов: 1, баллов всего: 1" in second
    assert db.session.scalar(select(Quiz.id)) is None  # a page button saves nothing


def test_numbers_by_the_locale_and_no_exponent_in_the_question_form(client: Any, tutor: Any) -> None:
    bank, rows = _bank_with_questions()
    login(client, tutor)
    form = _html(client.get(f"/quiz/questions/{rows['Сумма'].id}/edit"))
    assert "1E+2" not in form and 'value="100"' in form
    # no «Формат текста: Markdown / HTML / Moodle» to choose: the stored format travels unasked
    assert "Формат текста" not in form and 'name="text_format" value="moodle"' in form
    assert "data-imported-format" not in form and '<select class="form-select" id="text_format"' not in form


def test_an_imported_html_question_keeps_its_format_and_says_so(client: Any, tutor: Any) -> None:
    bank = make_bank()
    row = import_gift(bank, "::Разметка::[html]<p>Выберите</p> {=да ~нет}", actor=None).imported[0]
    login(client, tutor)
    form = _html(client.get(f"/quiz/questions/{row.id}/edit"))
    assert 'name="text_format" value="html"' in form and "data-imported-format" in form


# --- who sees a course's quiz, and the way back ----------------------------------------------------------


def _course_with_bank_quiz() -> tuple[Any, Any, Quiz, Any]:
    author = teacher()
    course = course_factory.course(author)
    module = course_factory.module(course, "Первый модуль")
    bank = db.session.get(QuestionBank, course.bank_id)
    rows = import_gift(bank, GIFT, actor=None).imported
    quiz = make_quiz(bank, rows[:2], title="Тест из банка")
    return author, course, quiz, module


def test_a_bank_quiz_says_nobody_sees_it_and_is_put_into_a_module(client: Any) -> None:
    author, course, quiz, module = _course_with_bank_quiz()
    login(client, author)
    bank_page = _html(client.get(f"/quiz/banks/{course.bank_id}"))
    assert "Пока никто: не в модуле" in bank_page and 'data-who-sees="bank"' in bank_page
    settings = _html(client.get(f"/quiz/quizzes/{quiz.id}/edit"))
    assert 'data-who-sees="unplaced"' in settings and "Поставить в модуль" in settings
    assert "data-course-nav" in settings and "data-breadcrumbs" in settings
    assert f'href="/courses/{course.id}"' in settings
    placed = client.post(f"/quiz/quizzes/{quiz.id}/place", data={"module_id": module.id})
    assert placed.status_code == 302
    item = db.session.scalar(select(Item).where(Item.quiz_id == quiz.id))
    assert item is not None and item.module_id == module.id
    assert 'data-who-sees="placed"' in _html(client.get(f"/quiz/quizzes/{quiz.id}/edit"))
    again = client.post(f"/quiz/quizzes/{quiz.id}/place", data={"module_id": module.id})
    assert again.status_code == 303
    assert len(db.session.scalars(select(Item).where(Item.quiz_id == quiz.id)).all()) == 1


def test_placing_refusals(client: Any, app: Any) -> None:
    app_client = app.test_client
    author, course, quiz, module = _course_with_bank_quiz()
    stranger = teacher()
    login(client, stranger)  # not the course's: no placing
    assert client.post(f"/quiz/quizzes/{quiz.id}/place", data={"module_id": module.id}).status_code == 403
    student_user = course_factory.enrolled(course)
    other = app_client()
    login(other, student_user)
    assert other.post(f"/quiz/quizzes/{quiz.id}/place", data={"module_id": module.id}).status_code == 403
    third = app_client()
    login(third, author)  # an unknown module is refused with a message, nothing written
    assert third.post(f"/quiz/quizzes/{quiz.id}/place", data={"module_id": 999999}).status_code == 303
    assert db.session.scalar(select(Item.id).where(Item.quiz_id == quiz.id)) is None
    other_course = course_factory.course(stranger)
    other_module = course_factory.module(other_course)
    with pytest.raises(Invalid, match="другому курсу"):
        place_quiz(other_module, quiz, actor=stranger)
    assert db.session.scalar(select(Item.id).where(Item.quiz_id == quiz.id)) is None


@pytest.mark.parametrize(
    "path",
    [
        "/quiz/banks/{bank}/import",
        "/quiz/banks/{bank}/questions/new/single",
        "/quiz/questions/{question}",
        "/quiz/quizzes/{quiz}/edit",
        "/quiz/quizzes/{quiz}/attempts",
        "/quiz/quizzes/{quiz}/grading",
        "/quiz/quizzes/{quiz}/statistics",
    ],
)
def test_every_authoring_page_leads_back_to_the_course(client: Any, path: str) -> None:
    author, course, quiz, _module = _course_with_bank_quiz()
    question = db.session.scalar(select(Question.id).where(Question.bank_id == course.bank_id))
    login(client, author)
    html = _html(client.get(path.format(bank=course.bank_id, question=question, quiz=quiz.id)))
    crumbs = html.split("data-breadcrumbs", 1)[1].split("</nav>", 1)[0]
    assert f'href="/courses/{course.id}"' in crumbs and f'href="/quiz/banks/{course.bank_id}"' in crumbs
    assert "data-course-nav" in html
