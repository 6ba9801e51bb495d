"""Key task 1 (issue 16): a teacher with no course yet builds one — a module, a page and a quiz from
questions imported in GIFT — following the screens alone: the dashboard's call to action, the
course page's buttons, the course navigation to the question bank and back. The page loads are
counted (the issue's note had ~15 before; the bound below is what was measured). The quiz pages
are the quiz helper's: they are found by their labels and roles only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from app.extensions import db
from courses.quiz.bank_gift import import_gift
from courses.quiz.models import QuestionBank
from tests.e2e.page_loads import PageLoads
from tests.e2e.signing_in import log_in
from tests.factories import courses as cf
from tests.factories.accounts import teacher

pytestmark = pytest.mark.e2e

MAX_LOADS = 11

GIFT = """\
::Столица::Столица России? {=Москва ~Санкт-Петербург ~Казань}

::Земля::Земля круглая. {T}

::Дроби::Сколько будет 1/2 + 1/4? {=3/4 ~2/6 ~1/8}
"""


def test_teacher_builds_a_course_with_a_module_a_page_and_a_gift_quiz(
    app: Any, page: Any, live_server: Any
) -> None:
    teacher(email="builder@example.org", full_name="Наталья Сергеевна Строева")
    db.session.commit()
    db.session.remove()  # hold no SQLite lock the live server needs

    log_in(page, "builder@example.org")
    loads = PageLoads(page)
    page.get_by_role("link", name="Создать курс").click()
    page.get_by_label("Название", exact=True).fill("Дроби, 5 класс")
    page.get_by_label("Объём, часов").fill("12")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("#course-title")).to_have_text("Дроби, 5 класс")
    expect(page.locator("[data-empty-state]")).to_contain_text("Добавить первый модуль")

    page.get_by_label("Название модуля").fill("Тема 1. Обыкновенные дроби")
    page.get_by_role("button", name="Добавить модуль").click()
    module = page.locator("section", has_text="Тема 1. Обыкновенные дроби")
    module.get_by_role("link", name="+ Страница").click()
    page.get_by_label("Название", exact=True).fill("Что такое дробь")
    page.get_by_label("Текст", exact=True).fill(
        "Дробь — это часть целого: **числитель** над **знаменателем**."
    )
    expect(page.locator('input[name="weight"]')).to_have_count(0)  # a page asks for no weight
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("article.page-body strong").first).to_have_text("числитель")

    course_nav = page.get_by_role("navigation", name="Навигация по курсу")
    course_nav.get_by_role("link", name="Банк вопросов").click()
    page.get_by_role("link", name=re.compile("Импорт")).first.click()
    page.get_by_role("textbox", name=re.compile("GIFT")).fill(GIFT)
    page.get_by_role("button", name=re.compile("Импорт")).click()
    expect(page.get_by_text("Столица", exact=True).first).to_be_visible()

    page.get_by_role("navigation", name="Навигация по курсу").get_by_role("link", name="Модули").click()
    page.locator("section", has_text="Тема 1. Обыкновенные дроби").get_by_role("link", name="+ Тест").click()
    page.get_by_label("Название", exact=True).fill("Проверь себя: дроби")
    picker = page.locator("[data-quiz-picker]")  # the quiz room's picker: the bank's three fit one page
    expect(picker.get_by_text("Земля круглая.")).to_be_visible()  # each row shows its question's text
    for name in ("Столица", "Земля", "Дроби"):
        picker.get_by_role("checkbox", name=re.compile(rf"^\s*{name}")).check()
    expect(picker.locator("[data-picker-count]")).to_have_text("Выбрано вопросов: 3, баллов всего: 3")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("link", name="Открыть тест")).to_be_visible()

    print(f"key task 1, build a course with a module, a page and a GIFT quiz: {loads.count} page loads")
    assert loads.count <= MAX_LOADS, loads.urls
    page.get_by_role("navigation", name="Навигация по курсу").get_by_role("link", name="Модули").click()
    items = page.locator("section", has_text="Тема 1. Обыкновенные дроби").locator("[data-item]")
    expect(items).to_have_count(2)

    # Not part of the key task's count: with a larger bank the teacher searches on the server, and
    # what was typed and ticked comes back with the results («Найти» redisplays, it saves nothing);
    # Enter finds in the search box and saves in the other fields.
    page.locator("section", has_text="Тема 1. Обыкновенные дроби").get_by_role("link", name="+ Тест").click()
    page.get_by_label("Название", exact=True).fill("Вторая проверка")
    picker = page.locator("[data-quiz-picker]")
    picker.get_by_role("checkbox", name=re.compile(r"^\s*Столица")).check()
    picker.get_by_label("Найти по названию").fill("дРОБИ")
    picker.get_by_label("Найти по названию").press("Enter")  # Enter in the search box finds
    expect(picker.get_by_role("checkbox")).to_have_count(1)
    expect(page.get_by_label("Название", exact=True)).to_have_value("Вторая проверка")
    expect(picker.locator("[data-picker-count]")).to_have_text("Выбрано вопросов: 1, баллов всего: 1")
    picker.get_by_role("checkbox", name=re.compile(r"^\s*Дроби")).check()
    expect(picker.locator("[data-picker-count]")).to_have_text("Выбрано вопросов: 2, баллов всего: 2")
    page.get_by_label("Название", exact=True).press("Enter")  # Enter in another field saves
    expect(page.get_by_role("link", name="Открыть тест")).to_be_visible()
    assert page.js_errors == []


def test_quiz_item_picker_pages_and_fits_a_phone(
    app: Any, _browser: Any, live_server: Any, screenshot: Any
) -> None:
    """A bank of 30 questions: the picker shows 25, a tick on page 1 survives «Вперёд» and counts, and
    nothing scrolls sideways at 390 px (long names and excerpts wrap)."""
    course = cf.course()
    module = cf.module(course)
    author = cf._author(course)
    bank = db.session.get(QuestionBank, course.bank_id)
    gift = "\n\n".join(
        f"::Дроби-{i:02d}::Сократите дробь **{2 * i + 2}/{4 * i + 4}** и запишите ответ несократимой "
        f"обыкновенной дробью без пробелов. {{=1/2 ~2/4}}"
        for i in range(30)
    )
    import_gift(bank, gift, actor=author)
    email, url = author.email, f"/courses/modules/{module.id}/items/new/quiz"
    db.session.commit()
    db.session.remove()
    context = _browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="ru-RU", has_touch=True
    )
    page = context.new_page()
    log_in(page, email)
    page.goto(url)
    picker = page.locator("[data-quiz-picker]")
    expect(picker.get_by_role("checkbox")).to_have_count(25)
    expect(picker.get_by_text("Сократите дробь 2/4 и запишите").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "course-quiz-item-picker-phone")
    picker.get_by_role("checkbox", name=re.compile(r"^\s*Дроби-00")).check()
    picker.get_by_role("button", name="Вперёд").click()
    expect(picker.get_by_role("checkbox")).to_have_count(5)
    expect(picker.locator("[data-picker-count]")).to_have_text("Выбрано вопросов: 1, баллов всего: 1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
