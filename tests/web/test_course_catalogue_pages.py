"""The course catalogue's empty states (issue 16), and the quiz item form's question picker costs
the same queries whatever the bank holds."""

from __future__ import annotations

from app.extensions import db
from courses.quiz.bank_gift import import_gift
from courses.quiz.models import QuestionBank
from tests.conftest import login
from tests.factories import courses as cf
from tests.factories.accounts import student, teacher


def _empty(html: str) -> str:
    return html.split("data-empty-state>")[1].split("</div>")[0] if "data-empty-state>" in html else ""


def test_empty_catalogue_asks_a_teacher_to_create_a_course(client) -> None:  # type: ignore[no-untyped-def]
    login(client, teacher())
    empty = _empty(client.get("/courses/").get_data(as_text=True))
    assert 'href="/courses/new">Создать курс</a>' in empty


def test_empty_catalogue_tells_a_pupil_who_enrols_them(client) -> None:  # type: ignore[no-untyped-def]
    cf.course(enrolment_mode="invitation")
    login(client, student())
    empty = _empty(client.get("/courses/").get_data(as_text=True))
    assert "Пока нет курсов, открытых для записи." in empty and "href" not in empty


def test_a_search_with_no_match_offers_every_course(client) -> None:  # type: ignore[no-untyped-def]
    cf.course(title="Алгебра", enrolment_mode="open")
    login(client, student())
    html = client.get("/courses/?q=химия").get_data(as_text=True)
    assert 'href="/courses/">Показать все курсы</a>' in _empty(html)
    assert "data-empty-state" not in client.get("/courses/").get_data(as_text=True)


def test_quiz_item_form_queries_do_not_grow_with_the_bank(client, count_queries) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    author = cf._author(course)
    bank_id = course.bank_id
    url = f"/courses/modules/{module.id}/items/new/quiz"
    login(client, author)
    counts = []
    for batch in (1, 12):
        gift = "\n\n".join(
            f"$CATEGORY: Тема {n % 3}\n::В{batch}-{n}::Вопрос {n}? {{T}}" for n in range(batch)
        )
        bank = db.session.get(QuestionBank, bank_id)
        assert not import_gift(bank, gift, actor=db.session.merge(author)).errors
        with count_queries(cold=True) as counter:
            html = client.get(url).get_data(as_text=True)
        counts.append(counter.count)
    assert html.count('type="checkbox" name="questions"') == 13
    assert counts[0] == counts[1], counts
