"""The course's quiz item form picks questions with the quiz room's picker (issue 16): the bank is
searched and filtered on the server, one page of 25 at a time, ticks survive paging and filtering,
«Найти» and the page buttons redisplay the form without saving, and each row carries a plain excerpt
of the question's text."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from courses.models import Item
from courses.quiz.bank_gift import import_gift
from courses.quiz.models import Question, QuestionBank, Quiz, QuizSlot
from courses.quiz.picking import excerpt
from tests.conftest import login
from tests.factories import courses as cf
from tests.factories.quiz import bank_with_all_types

GIFT = """$CATEGORY: Алгебра
::Сумма::2+2? {=4 ~5 ~3}

::Дроби-1::Половина от **10**? {#5}

$CATEGORY: География
::Столица::<p>Столица <b>России</b>?</p> {=Москва ~Казань}

::Материк::Россия в Евразии. {T}
"""
SETTINGS = {"max_grade": "10", "prerequisite": "0", "completion": "none", "grading_method": "highest"}


def _html(response: Any) -> str:
    return response.get_data(as_text=True)


def _course_with_questions(gift: str = GIFT) -> tuple[Any, Any, Any, dict[str, Question]]:
    course = cf.course()
    module = cf.module(course)
    author = cf._author(course)
    rows = import_gift(db.session.get(QuestionBank, course.bank_id), gift, actor=author).imported
    return course, module, author, {r.name: r for r in rows}


def _boxes(html: str) -> int:
    return html.count('type="checkbox" name="questions"')


def test_filters_by_cyrillic_words_in_any_case_category_and_type_keeping_what_was_typed(client: Any) -> None:
    _course, module, author, rows = _course_with_questions()
    login(client, author)
    url = f"/courses/modules/{module.id}/items/new/quiz"
    ticked = rows["Столица"].id
    found = client.post(
        url, data={"title": "Черновик", "q": "дРОБИ", "filter": "1", "questions": [ticked], **SETTINGS}
    )
    html = _html(found)
    assert found.status_code == 200 and _boxes(html) == 1 and "Дроби-1" in html and "Сумма" not in html
    assert 'value="Черновик"' in html and 'value="дРОБИ"' in html
    assert f'type="hidden" name="questions" value="{ticked}"' in html  # ticked, filtered out, kept
    assert "Выбрано вопросов: 1, баллов всего: 1" in html
    algebra = rows["Сумма"].category_id
    by_category = _html(client.post(url, data={"category": algebra, "filter": "1", **SETTINGS}))
    assert _boxes(by_category) == 2 and "Столица" not in by_category
    by_type = _html(client.post(url, data={"type": "truefalse", "filter": "1", **SETTINGS}))
    assert _boxes(by_type) == 1 and "Материк" in by_type
    nothing = _html(client.post(url, data={"q": "ёжик", "filter": "1", **SETTINGS}))
    assert _boxes(nothing) == 0 and "Подходящих вопросов нет" in nothing
    assert "data-empty-bank" not in nothing  # the bank is not empty, the search is
    assert db.session.scalar(select(Quiz.id)) is None and cf.count(Item) == 0  # filtering saves nothing


def test_paging_keeps_the_ticks_and_the_save_takes_questions_from_every_page(client: Any) -> None:
    gift = "\n\n".join(f"::Задача {i:02d}::Сколько будет {i} + 1? {{={i + 1} ~0}}" for i in range(30))
    _course, module, author, rows = _course_with_questions(gift)
    login(client, author)
    url = f"/courses/modules/{module.id}/items/new/quiz"
    first_page = _html(client.get(url))
    assert _boxes(first_page) == 25 and "Страница 1 из 2" in first_page
    on_first = rows["Задача 00"].id
    second = _html(
        client.post(url, data={"title": "Сложение", "page": "2", "questions": [on_first], **SETTINGS})
    )
    assert _boxes(second) == 5 and "Задача 29" in second and "Задача 00" not in second
    assert f'type="hidden" name="questions" value="{on_first}"' in second and 'value="Сложение"' in second
    on_second = rows["Задача 29"].id
    back = _html(client.post(url, data={"page": "1", "questions": [on_first, on_second], **SETTINGS}))
    assert f'name="questions" value="{on_first}" data-mark="1" checked' in back
    assert f'type="hidden" name="questions" value="{on_second}"' in back
    assert "Выбрано вопросов: 2, баллов всего: 2" in back
    saved = client.post(url, data={"title": "Сложение", "questions": [on_first, on_second], **SETTINGS})
    assert saved.status_code == 302
    quiz = db.session.scalar(select(Quiz))
    slots = db.session.scalars(select(QuizSlot.question_id).where(QuizSlot.quiz_id == quiz.id)).all()
    assert sorted(slots) == sorted([on_first, on_second]) and cf.count(Item) == 1


def test_another_banks_question_is_refused_by_the_field(client: Any) -> None:
    _course, module, author, _rows = _course_with_questions()
    _other, other_rows = bank_with_all_types()
    login(client, author)
    refused = client.post(
        f"/courses/modules/{module.id}/items/new/quiz",
        data={"title": "Чужой", "questions": [str(other_rows["single"].id)], **SETTINGS},
    )
    assert refused.status_code == 422
    picker = _html(refused).split("data-quiz-picker")[1]
    assert f"Неизвестные вопросы: {other_rows['single'].id}." in picker  # by the picker, not the title
    assert cf.count(Item) == 0 and db.session.scalar(select(Quiz.id)) is None


def test_the_form_queries_do_not_grow_with_the_bank(client: Any, count_queries: Any) -> None:
    course = cf.course()
    module = cf.module(course)
    author = cf._author(course)
    bank_id = course.bank_id
    login(client, author)
    counts = []
    for size in (3, 60):
        bank = db.session.get(QuestionBank, bank_id)
        gift = "\n\n".join(f"::П{size}-{i}::1+{i}? {{={1 + i} ~0}}" for i in range(size))
        import_gift(bank, gift, actor=None)
        with count_queries() as counter:
            response = client.get(f"/courses/modules/{module.id}/items/new/quiz")
        assert response.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
    assert _boxes(_html(response)) == 25


def test_an_excerpt_is_plain_short_text() -> None:
    assert excerpt("<p>Столица <b>России</b>?</p>") == "Столица России?"
    assert (
        excerpt("Половина от **10**? [схема](http://x/y.png) {#1} &amp; ещё")
        == "Половина от 10? схема … & ещё"
    )
    long = excerpt("слово " * 40)
    assert len(long) <= 80 and long.endswith("слово…")
    assert excerpt(None) == "" and excerpt("") == ""
    assert excerpt("# Задача\n\n- Сколько будет 2*3?") == "Задача Сколько будет 2*3?"
