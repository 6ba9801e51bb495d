"""An olympiad's round set up in the browser: the questions ticked in check boxes (no Ctrl-click
multiple select), the maximum grade typed back as «100»; a stage that has already begun says how to
set its round up instead of offering a form that refuses."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.timeutil import utcnow
from contest_engine import queries, setup
from contest_engine.models import Stage
from contest_engine.spec import ContestSpec, StageSpec
from courses.quiz.models import Quiz
from tests.e2e.signing_in import log_in
from tests.factories.accounts import organiser

pytestmark = pytest.mark.e2e

GIFT = (
    "::Сумма:: 2 + 2 = ? {#4}\n\n::Земля:: Земля круглая {T}\n\n::Углы:: Сумма углов треугольника? {#180}\n"
)


def _olympiad(owner: Any) -> tuple[int, list[int]]:
    now = utcnow()
    spec = ContestSpec(
        title="Олимпиада «Вместе»",
        kind="olympiad",
        divisions=["5-8"],
        stages=[
            StageSpec("Регистрация", "registration", now, now + timedelta(days=7)),
            StageSpec("Первый тур", "olympiad", now + timedelta(days=8), now + timedelta(days=10)),
            StageSpec("Второй тур", "olympiad", now + timedelta(days=11), now + timedelta(days=12)),
        ],
        awards=[{"title": "Победитель", "ranks": [1, 1]}, {"title": "Участник"}],
        award_quota_percent=Decimal(50),
        requires_consent=False,
    )
    contest = setup.create_contest(spec, actor=owner, now=now - timedelta(days=1))
    stages = [stage.id for stage in queries.contest_stages(contest.id)]
    return contest.id, stages


def test_round_questions_are_ticked_and_a_begun_stage_says_what_to_do(app: Any, page: Any) -> None:
    owner = organiser()
    contest_id, (_registration, first, second) = _olympiad(owner)
    email = owner.email
    db.session.commit()
    db.session.remove()

    log_in(page, email)
    page.goto(f"/contests/{contest_id}")
    page.get_by_role("link", name="Вопросы олимпиады").click()  # a button on the page, not in «Ещё»
    page.wait_for_url(re.compile(rf"/contests/{contest_id}/questions$"))
    page.locator("textarea").first.fill(GIFT)
    page.get_by_role("button", name="Импорт").click()
    page.wait_for_load_state()

    page.goto(f"/contests/stages/{first}")
    expect(page.locator("#round-form select")).to_have_count(0)  # no Ctrl-click list
    expect(page.locator("#round-form [name=round-max_grade]")).to_have_value("100")
    expect(page.get_by_label("Перемешивать вопросы и ответы")).to_be_checked()  # on by default, as in Moodle
    page.get_by_role("button", name="Создать тур").click()  # nothing ticked: refused, nothing made
    page.wait_for_url(re.compile(rf"/contests/stages/{first}/round$"))
    expect(page.locator("#round-questions .invalid-feedback")).to_have_text(
        "Отметьте хотя бы один вопрос для тура."
    )
    assert db.session.get(Stage, first).quiz_id is None
    db.session.remove()
    page.get_by_label("Сумма").check()
    page.get_by_label("Углы").check()
    page.get_by_role("button", name="Создать тур").click()
    page.wait_for_url(re.compile(rf"/contests/stages/{first}$"))
    expect(page.locator("#round-form")).to_have_count(0)
    quiz = db.session.get(Quiz, db.session.get(Stage, first).quiz_id)
    assert (quiz.shuffle_questions, quiz.shuffle_answers) == (True, True)  # the default box, left ticked
    db.session.remove()

    # A stage whose time has come without a round: words and a way forward, not a refusing form.
    db.session.get(Stage, second).state = "closed"
    db.session.commit()
    db.session.remove()
    page.goto(f"/contests/stages/{second}")
    expect(page.locator("#round-form")).to_have_count(0)
    notice = page.locator("#round-too-late")
    expect(notice).to_contain_text("перенесите даты этапа")
    expect(notice.get_by_role("link", name="Изменить этап")).to_have_attribute(
        "href", f"/contests/stages/{second}/edit"
    )
    assert page.js_errors == []
