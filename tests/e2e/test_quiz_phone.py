"""Key task 5 of issue 16: a pupil takes a timed quiz on a 390×844 phone — start, answer, flag,
move by the numbered squares, finish, review — in a counted number of page loads, with nothing
scrolling sideways, the timer always on screen and answer rows big enough for a thumb. Also: time
running out says so, and the teacher's quiz pages fit the phone too."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from app.accounts import User
from app.extensions import db
from app.timeutil import utcnow
from courses.quiz.attempts import start_attempt
from courses.quiz.bank_gift import import_gift
from courses.quiz.models import Quiz
from tests.e2e.page_loads import PageLoads
from tests.e2e.signing_in import log_in
from tests.factories.accounts import student, teacher
from tests.factories.quiz import make_bank, make_quiz, quiz_owner  # noqa: F401

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
#: Page loads for the whole task, measured at 6 (sign in 2, quiz page, start, finish's review,
#: back to the quiz page); issue 16 asked for at most 10.
MAX_LOADS = 7

GIFT = """::Столица::Столица Российской Федерации, город федерального значения? {=Москва ~Казань ~Тверь}

::Пары::Сопоставьте животных и их названия на английском языке. {
=кошка домашняя обыкновенная -> domestic cat
=собака служебная -> working dog
=корова -> cow
}

::Число::Сколько будет 7 / 2? {#3.5:0.1}

::Слово::Как по-английски «кошка»? {=cat}
"""


def _phone(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="ru-RU", timezone_id="Europe/Moscow", has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    return page


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def _timer_on_screen(page: Any, stuck: bool = False) -> None:
    """The timer is on screen on one line; once the page scrolls (`stuck`) it sits at the top."""
    box = page.locator("#quiz-countdown").bounding_box()
    assert (
        box is not None and box["y"] >= 0 and box["y"] + box["height"] <= (120 if stuck else PHONE["height"])
    )
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["height"] < 40  # one line


def test_pupil_takes_a_timed_quiz_on_a_phone(
    app: Any,
    _browser: Any,
    live_server: Any,
    quiz_owner: Any,  # noqa: F811 - the fixture imported above
    screenshot: Any,
) -> None:
    bank = make_bank()
    rows = import_gift(bank, GIFT, actor=None).imported
    quiz = make_quiz(
        bank,
        rows,
        title="Входная диагностика по окружающему миру для учеников пятых классов",
        time_limit_minutes=15,
    )
    user = student(email="phone-pupil@example.org")
    quiz_id, email = quiz.id, user.email
    db.session.commit()
    db.session.remove()  # hold no SQLite lock the live server needs

    page = _phone(_browser, live_server)
    page.on("dialog", lambda dialog: dialog.accept())
    loads = PageLoads(page)
    log_in(page, email)
    _fits(page)
    courses = page.locator("#courses-panel").bounding_box()
    profile = page.locator(".card", has_text="Электронная почта").first.bounding_box()
    assert courses["y"] < profile["y"]  # on a phone one's courses come before the profile

    page.goto(f"/quiz/quizzes/{quiz_id}")
    _fits(page)
    page.get_by_role("button", name="Начать попытку").click()
    page.wait_for_url(re.compile(r"/quiz/attempts/\d+$"))
    _fits(page)
    _timer_on_screen(page)
    title = page.locator(".quiz-title").bounding_box()
    assert title is not None and title["height"] < 30  # shortened to one line, not wrapped

    # Answer the first question: the whole row is the target, at least 40 px high.
    row = page.locator("#slot-1 .form-check").first
    assert row.bounding_box()["height"] >= 40
    with page.expect_response(lambda r: r.url.endswith("/autosave") and r.status == 200):
        page.get_by_label("Москва").check()
    expect(page.locator("[data-nav-slot='1']")).to_have_class(re.compile(r"is-answered"))

    # Flag question 2 to come back to it: its square turns flagged, saved with the attempt.
    with page.expect_response(lambda r: "/flag/2" in r.url and r.status == 200):
        page.locator("[data-flag-slot='2']").click()
    expect(page.locator("[data-nav-slot='2']")).to_have_class(re.compile(r"is-flagged"))

    # Move by the squares: question 3 comes into view, the timer stays on screen.
    page.locator("[data-nav-slot='3']").click()
    number = page.locator("#slot-3 input[name=q3]")
    expect(number).to_be_in_viewport()
    _timer_on_screen(page, stuck=True)
    number.fill("3,5")
    with page.expect_response(lambda r: r.url.endswith("/autosave") and r.status == 200):
        number.blur()
    page.locator("[data-nav-slot='2']").click()
    selects = page.locator("#slot-2 select")
    for index in range(selects.count()):
        selects.nth(index).select_option(index=1)
    _fits(page)
    page.evaluate("window.scrollTo(0, 0)")  # the README shows the page as it opens
    screenshot(page, "quiz-phone")

    page.get_by_role("button", name="Завершить попытку").click()
    page.wait_for_url(re.compile(r"/quiz/attempts/\d+/review(#.*)?$"))  # the square's #slot stays
    _fits(page)
    assert page.locator("[data-attempt-state]").get_attribute("data-attempt-state") == "finished"
    assert " из " in page.locator("[data-attempt-score]").inner_text()
    pairs = page.locator("#slot-2 [data-pair]")
    assert pairs.count() == 3
    assert "кошка домашняя обыкновенная" in page.locator("#slot-2").inner_text()  # in full, not cut
    assert page.locator("[data-timed-out]").count() == 0
    verdicts = {slot: page.locator(f"#slot-{slot} [data-verdict]").inner_text() for slot in (1, 3, 4)}
    assert verdicts == {1: "верно", 3: "верно", 4: "нет ответа"}  # each question's verdict in words

    page.get_by_role("link", name="Назад к тесту").click()
    page.wait_for_url(re.compile(rf"/quiz/quizzes/{quiz_id}$"))
    _fits(page)
    review = page.locator("[data-review-link]").first
    box = review.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]  # «Разбор» reachable

    print(f"pupil's timed quiz on a phone: {loads.count} page loads: {loads.urls}")
    assert loads.count <= MAX_LOADS
    page.goto("/quiz/my")  # after the count: one's own attempts, «Разбор» on screen too
    _fits(page)
    box = page.locator("[data-review-link]").first.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    assert page.js_errors == []
    page.context.close()


def test_time_running_out_says_so(
    app: Any,
    _browser: Any,
    live_server: Any,
    quiz_owner: Any,  # noqa: F811 - the fixture imported above
) -> None:
    bank = make_bank()
    rows = import_gift(bank, GIFT, actor=None).imported
    quiz = make_quiz(bank, rows[:1], title="Пятиминутка", time_limit_minutes=1)
    user = student(email="late-pupil@example.org")
    quiz_id, user_id, email = quiz.id, user.id, user.email
    db.session.commit()
    db.session.remove()

    page = _phone(_browser, live_server)
    log_in(page, email)
    page.goto("/quiz/my")  # none taken yet: the empty page leads to the courses, where quizzes are
    expect(page.locator("[data-empty-state]")).to_contain_text("Тесты находятся внутри курсов")
    expect(page.locator("[data-empty-state]").get_by_role("link", name="Все курсы")).to_have_attribute(
        "href", "/courses/"
    )
    # The attempt began 55 seconds ago: five seconds are left when the page opens.
    attempt = start_attempt(
        db.session.get(Quiz, quiz_id), db.session.get(User, user_id), utcnow() - timedelta(seconds=55)
    )
    attempt_id = attempt.id
    db.session.commit()
    db.session.remove()
    page.goto(f"/quiz/attempts/{attempt_id}")
    page.get_by_label("Москва").check()
    notice = page.locator("#quiz-time-up")
    expect(notice).to_be_visible(timeout=10_000)
    expect(notice).to_contain_text("Время вышло")
    page.wait_for_url(re.compile(rf"/quiz/attempts/{attempt_id}/review(\?finished=1)?$"), timeout=10_000)
    expect(page.locator("[data-timed-out]")).to_contain_text("Время вышло")
    _fits(page)
    assert page.js_errors == []
    page.context.close()


def test_teachers_quiz_pages_fit_a_phone(
    app: Any,
    _browser: Any,
    live_server: Any,
    quiz_owner: Any,  # noqa: F811 - the fixture imported above
) -> None:
    tutor = teacher(email="phone-teacher@example.org")
    quiz_owner.managers.add(tutor.id)
    bank = make_bank("Банк вопросов по окружающему миру для пятых и шестых классов")
    rows = import_gift(
        bank, "$CATEGORY: Очень длинное название категории вопросов о природе\n" + GIFT, actor=None
    ).imported
    quiz = make_quiz(bank, rows, title="Входная диагностика по окружающему миру", time_limit_minutes=15)
    pupil = student()
    attempt = start_attempt(quiz, pupil, utcnow())
    ids = {"bank": bank.id, "quiz": quiz.id, "question": rows[1].id, "attempt": attempt.id}
    email = tutor.email
    db.session.commit()
    db.session.remove()

    page = _phone(_browser, live_server)
    log_in(page, email)
    for path in (
        "/quiz/banks/{bank}",
        "/quiz/banks/{bank}/import",
        "/quiz/banks/{bank}/quizzes/new",
        "/quiz/banks/{bank}/questions/new/matching",
        "/quiz/questions/{question}",
        "/quiz/questions/{question}/edit",
        "/quiz/quizzes/{quiz}/edit",
        "/quiz/quizzes/{quiz}",
        "/quiz/quizzes/{quiz}/attempts",
        "/quiz/quizzes/{quiz}/grading",
        "/quiz/quizzes/{quiz}/statistics",
        "/quiz/attempts/{attempt}/review",
    ):
        page.goto(path.format(**ids))
        _fits(page)
        for button in page.locator("main .card .btn, main .list-group-item .btn").all():
            box = button.bounding_box()
            if box is not None:
                assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
                    f"{path}: a button spills out"
                )
    assert page.js_errors == []
    page.context.close()
