"""Key task 3 in the browser: an organiser sets up a three-stage «Дистанционный учитель» — the
contest with its divisions and awards typed into rows, then a business card and a distance lesson
(submissions with a jury) and a final of open lessons (a jury stage) — counting the pages it takes.
Also the rows editors' add / remove and their messages by the field, and the stage form showing
only what the chosen kind needs."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.timeutil import utcnow
from contest_engine import queries
from contest_engine.jury.models import JuryCriterion
from contest_engine.models import Contest
from contest_engine.setup import create_contest
from contest_engine.spec import ContestSpec, StageSpec
from tests.e2e.page_loads import PageLoads
from tests.e2e.signing_in import log_in
from tests.factories.accounts import organiser

pytestmark = pytest.mark.e2e

# Measured: 6 (the list, the new contest form, the first stage form, two «save and add the next
# stage», the contest page). Before issue 16 the same set-up took about 14.
MOST_PAGE_LOADS = 6


def rows(page: Any, name: str) -> Any:
    return page.locator(f'[data-rows-editor="{name}"] tr[data-row]')


def fill_criteria(page: Any, criteria: list[tuple[str, str, str]]) -> None:
    for index, (name, points, weight) in enumerate(criteria):
        if rows(page, "jury_criteria").count() <= index:
            page.get_by_role("button", name="Добавить критерий").click()
        row = rows(page, "jury_criteria").nth(index)
        row.get_by_label("Критерий").fill(name)
        row.get_by_label("Максимум баллов").fill(points)
        row.get_by_label("Вес").fill(weight)


def test_organiser_sets_up_a_three_stage_contest(app, page, live_server, screenshot) -> None:  # type: ignore[no-untyped-def]
    email = organiser().email
    db.session.commit()
    db.session.remove()
    log_in(page, email)
    loads = PageLoads(page)

    page.goto("/contests/")
    page.locator("#new-contest").click()
    page.get_by_label("Название", exact=True).fill("Дистанционный учитель — 2027")
    page.get_by_label("Вид", exact=True).select_option("teacher")
    divisions = rows(page, "divisions")
    divisions.nth(0).get_by_label("Номинация").fill("Учителя начальных классов")
    page.get_by_role("button", name="Добавить номинацию").click()
    assert divisions.count() == 2 and divisions.nth(1).get_by_label("Номинация").input_value() == ""
    divisions.nth(1).get_by_label("Номинация").fill("Учителя-предметники")
    awards = rows(page, "awards")
    assert [awards.nth(i).get_by_label("Награда").input_value() for i in range(4)] == [
        "Победитель",
        "Призёр",
        "Лауреат",
        "Участник",
    ]
    awards.nth(3).get_by_role("button", name="Удалить").click()  # no award for everyone else
    awards.nth(2).get_by_label("Места с").fill("")
    awards.nth(2).get_by_label("по", exact=True).fill("")
    awards.nth(2).get_by_label("Или лучшие, %").fill("25")
    page.get_by_role("button", name="Создать конкурс").click()
    page.wait_for_url(re.compile(r"/contests/\d+/stages/new$"))

    page.get_by_label("Название", exact=True).fill("Визитная карточка")
    assert (
        page.locator("#section-jury").is_visible()
        and not page.locator("#stage-advanced [data-kinds='timing']").is_visible()
    )
    fill_criteria(page, [("Содержание", "10", "1"), ("Оформление", "5", "0,5")])
    page.get_by_label("Кто проходит на следующий этап").select_option("top_n")
    page.get_by_label("Число для правила").fill("30")
    screenshot(page, "stage-form")
    page.locator("#save-and-next").click()
    page.wait_for_url(re.compile(r"/contests/\d+/stages/new$"))

    page.get_by_label("Название", exact=True).fill("Дистанционный урок")
    fill_criteria(page, [("Методика", "10", "1")])
    page.get_by_label("Кто проходит на следующий этап").select_option("top_n")
    page.get_by_label("Число для правила").fill("10")
    page.locator("#save-and-next").click()
    page.wait_for_url(re.compile(r"/contests/\d+/stages/new$"))

    page.get_by_label("Вид", exact=True).select_option("olympiad")  # a quiz: no entries, no jury
    assert not page.locator("#section-entries").is_visible()
    assert not page.locator("#section-jury").is_visible()
    page.get_by_label("Вид", exact=True).select_option("jury")
    assert page.locator("#section-jury").is_visible()
    page.get_by_label("Название", exact=True).fill("Финал: открытые уроки")
    fill_criteria(page, [("Открытый урок", "20", "1"), ("Самоанализ", "10", "0,5")])
    page.locator("#save-stage").click()
    page.wait_for_url(re.compile(r"/contests/\d+$"))
    timeline = page.locator("#timeline").inner_text()
    for title in ("Регистрация", "Визитная карточка", "Дистанционный урок", "Финал: открытые уроки"):
        assert title in timeline
    assert page.locator("#add-stage").is_visible()  # the next step is a button, not a menu item

    print(f"contest set-up: {loads.count} page loads: {loads.urls}")
    assert loads.count <= MOST_PAGE_LOADS
    assert not page.js_errors

    contest = db.session.scalar(select(Contest))
    assert [d.name for d in queries.contest_divisions(contest.id)] == [
        "Учителя начальных классов",
        "Учителя-предметники",
    ]
    assert [a["title"] for a in contest.award_rules] == ["Победитель", "Призёр", "Лауреат"]
    assert contest.award_rules[2]["top_percent"] == "25" and contest.award_rules[2]["ranks"] is None
    stages = queries.contest_stages(contest.id)
    assert [(s.kind.value, s.has_jury) for s in stages] == [
        ("registration", False),
        ("submission", True),
        ("submission", True),
        ("jury", True),
    ]
    assert (stages[1].advancement_rule, stages[1].advancement_value) == ("top_n", 30)
    final = db.session.scalars(
        select(JuryCriterion).where(JuryCriterion.stage_id == stages[3].id).order_by(JuryCriterion.position)
    ).all()
    assert [(c.name, c.max_points, c.weight) for c in final] == [
        ("Открытый урок", Decimal(20), Decimal(1)),
        ("Самоанализ", Decimal(10), Decimal("0.5")),
    ]


def test_rows_editors_show_their_messages_by_the_field(app, page, live_server) -> None:  # type: ignore[no-untyped-def]
    email = organiser().email
    db.session.commit()
    db.session.remove()
    log_in(page, email)
    page.goto("/contests/new")
    page.get_by_label("Название", exact=True).fill("Олимпиада")
    awards = rows(page, "awards")
    awards.nth(0).get_by_label("Награда").fill("")
    awards.nth(1).get_by_label("по", exact=True).fill("1")
    awards.nth(2).get_by_label("Или лучшие, %").fill("120")
    page.get_by_role("button", name="Создать конкурс").click()
    assert page.locator('[data-rows-editor="divisions"] [data-rows-error]').inner_text() == (
        "Добавьте хотя бы одну номинацию."
    )
    awards = rows(page, "awards")
    assert (
        awards.nth(0).locator(".invalid-feedback").inner_text() == "Назовите награду, например «Победитель»."
    )
    assert (
        awards.nth(1).locator(".invalid-feedback").inner_text()
        == "Не может быть меньше первого места диапазона."
    )
    assert (
        awards.nth(2).locator(".invalid-feedback").inner_text()
        == "Процент должен быть больше 0 и не больше 100."
    )
    assert db.session.scalar(select(Contest)) is None
    assert not page.js_errors


def test_the_stage_form_without_javascript_shows_every_part(app, _browser, live_server) -> None:  # type: ignore[no-untyped-def]
    owner = organiser()
    db.session.commit()
    now = utcnow()
    contest = create_contest(
        ContestSpec(
            title="Конкурс",
            divisions=["Учителя"],
            stages=[StageSpec("Регистрация", "registration", now, now + timedelta(days=7))],
        ),
        actor=owner,
        now=now,
    )
    contest_id, email = contest.id, owner.email
    db.session.remove()
    context = _browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="ru-RU", timezone_id="Europe/Moscow"
    )
    try:
        page = context.new_page()
        log_in(page, email)
        page.goto(f"/contests/{contest_id}/stages/new")
        for part in ("#section-entries", "#section-jury", "#section-advancement"):
            assert page.locator(part).is_visible()
        assert page.locator("[data-row-add]").first.is_hidden()  # nothing to click without JS
        assert rows(page, "jury_criteria").count() == 3  # empty rows to type into instead
        page.get_by_label("Название", exact=True).fill("Визитная карточка")
        fill_criteria(page, [("Содержание", "10", "1")])
        page.locator("#save-stage").click()
        page.wait_for_url(re.compile(rf"/contests/{contest_id}$"))
        stages = queries.contest_stages(contest_id)
        assert [s.title for s in stages] == ["Регистрация", "Визитная карточка"] and stages[1].has_jury
    finally:
        context.close()
