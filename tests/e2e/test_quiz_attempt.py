"""A student in the browser takes a timed quiz: answers are autosaved, a reload keeps them, the
countdown runs, finishing shows the review. CSRF is on (the live server), so autosave proves it
sends its token."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from app.extensions import db
from courses.quiz.bank_gift import import_gift
from tests.conftest import DEFAULT_PASSWORD
from tests.factories.accounts import student
from tests.factories.quiz import make_bank, make_quiz, quiz_owner  # noqa: F401

pytestmark = pytest.mark.e2e

GIFT = """::Столица::Столица России? {=Москва ~Казань ~Тверь}

::Слово::Как по-английски «кошка»? {=cat}

::Число::Сколько будет 7 / 2? {#3.5:0.1}
"""


def test_student_takes_a_timed_quiz_reloads_and_sees_the_review(
    app: Any,
    page: Any,
    live_server: Any,
    quiz_owner: Any,  # noqa: F811 - the fixture imported above
    screenshot: Any,
) -> None:
    bank = make_bank()
    rows = import_gift(bank, GIFT, actor=None).imported
    quiz = make_quiz(bank, rows, title="Входной тест", time_limit_minutes=15)
    user = student(email="pupil@example.org")
    quiz_id, email = quiz.id, user.email
    db.session.commit()
    db.session.remove()  # hold no SQLite lock the live server needs

    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/auth/login")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Войти").last.click()
    page.wait_for_url(re.compile(r"/dashboard$"))

    page.goto(f"/quiz/quizzes/{quiz_id}")
    page.get_by_role("button", name="Начать попытку").click()
    page.wait_for_url(re.compile(r"/quiz/attempts/\d+$"))
    countdown = page.locator("#quiz-countdown [data-countdown-value]")
    expect(countdown).to_have_text(re.compile(r"^1[45]:\d\d$"))

    with page.expect_response(lambda r: r.url.endswith("/autosave") and r.status == 200):
        page.get_by_label("Москва").check()
    short = page.locator("#slot-2 input[name=q2]")
    short.fill("Cat")
    with page.expect_response(lambda r: r.url.endswith("/autosave") and r.status == 200):
        short.blur()
    expect(page.locator("#quiz-save-status")).to_contain_text("сохранены")
    screenshot(page, "quiz-attempt")

    page.reload()  # the browser "closes" mid-way: nothing is lost
    assert page.get_by_label("Москва").is_checked()
    assert page.locator("#slot-2 input[name=q2]").input_value() == "Cat"
    page.locator("#slot-3 input[name=q3]").fill("3,5")
    with page.expect_response(lambda r: r.url.endswith("/autosave") and r.status == 200):
        page.locator("#slot-3 input[name=q3]").blur()

    page.get_by_role("button", name="Завершить попытку").click()
    page.wait_for_url(re.compile(r"/quiz/attempts/\d+/review$"))
    assert page.locator("[data-attempt-state]").get_attribute("data-attempt-state") == "finished"
    assert page.locator("[data-attempt-score]").inner_text().startswith("3 из 3")
    assert "Правильный ответ:" in page.content()
    screenshot(page, "quiz-review")
    assert page.js_errors == []
