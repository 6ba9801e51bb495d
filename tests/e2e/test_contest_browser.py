"""A contest in the browser: the organiser opens the contest page, a participant registers into a
division and hands in an entry (CSRF on, real server)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.timeutil import utcnow
from contest_engine import setup
from contest_engine.queries import contest_stages
from contest_engine.spec import ContestSpec, StageSpec
from tests.e2e.signing_in import log_in
from tests.factories.accounts import organiser, teacher

pytestmark = pytest.mark.e2e


def test_organiser_opens_the_contest_and_a_participant_registers_and_submits(
    app, page, live_server, screenshot
) -> None:  # type: ignore[no-untyped-def]
    owner, person = organiser(), teacher()
    db.session.commit()
    now = utcnow()
    spec = ContestSpec(
        title="Дистанционный учитель — 2027",
        kind="teacher",
        description="**Районный** конкурс",
        divisions=["Учителя начальных классов", "Учителя-предметники"],
        stages=[
            StageSpec(
                "Визитная карточка",
                "submission",
                now - timedelta(hours=1),
                now + timedelta(days=7),
                description="Эссе и ссылка на блог.",
            ),
            StageSpec("Дистанционный урок", "submission", now + timedelta(days=7), now + timedelta(days=14)),
        ],
        awards=[{"title": "Победитель", "ranks": [1, 1]}],
        requires_consent=True,
    )
    contest = setup.create_contest(spec, actor=owner, now=now)
    contest_id, owner_email, person_email = contest.id, owner.email, person.email
    db.session.commit()

    log_in(page, owner_email)
    page.goto(f"/contests/{contest_id}")
    assert page.locator("#contest-title").inner_text() == "Дистанционный учитель — 2027"
    assert page.locator("#timeline .stage-current").count() == 1
    assert "Визитная карточка" in page.locator("#timeline .stage-current").inner_text()
    screenshot(page, "contest")
    page.get_by_role("button", name="Выйти").click()

    log_in(page, person_email)
    page.goto(f"/contests/{contest_id}")
    page.locator("#register-link").click()
    page.locator("#division").select_option(label="Учителя-предметники")
    page.get_by_role("button", name="Зарегистрироваться").last.click()
    assert page.locator(".invalid-feedback").first.is_visible()  # consent is required
    page.get_by_label("Я согласен(на) на обработку моих персональных данных для этого конкурса").check()
    page.get_by_role("button", name="Зарегистрироваться").last.click()
    page.wait_for_url(re.compile(rf"/contests/{contest_id}$"))
    page.locator("#timeline a", has_text="Визитная карточка").click()
    page.get_by_label("Текст").fill("Мой дистанционный урок начинается с вопроса.")
    page.get_by_label("Ссылка").fill("https://blog.example.org")
    page.get_by_role("button", name="Сдать").click()
    page.wait_for_url(re.compile(r"/contests/stages/\d+$"))
    assert "Версия 1" in page.locator("#entry-versions").inner_text()
    screenshot(page, "contest-entry")
    assert not page.js_errors


FITS = """() => {
  const wide = document.documentElement.scrollWidth > window.innerWidth;
  const spilled = [...document.querySelectorAll('.card .btn, .contest-actions .btn')].filter(button => {
    const box = button.getBoundingClientRect();
    const card = button.closest('.card, .contest-actions').getBoundingClientRect();
    return box.left < card.left - 1 || box.right > card.right + 1 || box.right > window.innerWidth;
  }).map(button => button.textContent.trim());
  return {wide, spilled};
}"""


def test_organisers_contest_pages_fit_a_phone(app, _browser, live_server) -> None:  # type: ignore[no-untyped-def]
    owner = organiser()
    db.session.commit()
    now = utcnow()
    spec = ContestSpec(
        title="Ровесник – ровеснику: межрайонная конференция проектов",
        kind="conference",
        divisions=["5–8 классы", "9–11 классы"],
        stages=[
            StageSpec("Приём проектов", "submission", now - timedelta(hours=1), now + timedelta(days=7)),
            StageSpec(
                "Защита проектов",
                "jury",
                now + timedelta(days=7),
                now + timedelta(days=14),
                jury={
                    "criteria": [{"name": "Актуальность", "max_points": 10, "weight": 1}],
                    "aggregation": "mean",
                },
            ),
        ],
    )
    contest = setup.create_contest(spec, actor=owner, now=now)
    contest_id, email = contest.id, owner.email
    stage_id = contest_stages(contest_id)[0].id
    db.session.remove()
    context = _browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        locale="ru-RU",
        timezone_id="Europe/Moscow",
    )
    try:
        page = context.new_page()
        log_in(page, email)
        for path in (
            f"/contests/{contest_id}",
            f"/contests/stages/{stage_id}",
            f"/contests/{contest_id}/stages/new",
            f"/contests/stages/{stage_id}/edit",
            f"/contests/{contest_id}/edit",
            "/contests/new",
            f"/contests/stages/{stage_id}/results",
            f"/contests/{contest_id}/participants",
            f"/contests/{contest_id}/awards",
        ):
            page.goto(path)
            assert page.evaluate(FITS) == {"wide": False, "spilled": []}, path
        page.goto(f"/contests/{contest_id}")
        assert page.locator("#add-stage").bounding_box()["height"] >= 40  # a tap target
    finally:
        context.close()
