"""A juror scores an entry in the browser in blind mode: the live total follows the typing, a draft
and a submit go through with CSRF on, and the participant's name and institution never appear."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD
from tests.factories.jury import jury_stage

pytestmark = pytest.mark.e2e


def test_juror_scores_an_entry_in_blind_mode(app: Any, page: Any, live_server: Any, screenshot: Any) -> None:
    built = jury_stage(entries=1, jurors=1, blind=True)
    user = built.jurors[0]
    email, entry_id = user.email, built.entries[0].id
    secret = built.participants[0].full_name
    institution = built.participants[0].institution.name
    db.session.commit()
    db.session.remove()  # hold no SQLite lock the live server needs

    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/auth/login")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Войти").last.click()
    page.wait_for_url(re.compile(r"/dashboard$"))

    page.goto("/jury/")
    page.get_by_role("link", name="Открыть").first.click()
    page.wait_for_url(re.compile(rf"/jury/entries/{entry_id}$"))
    expect(page.locator("[data-blind]")).to_be_visible()
    expect(page.get_by_text("не раскрыто")).to_be_visible()  # the level descriptions are in view
    page.get_by_label("Содержание").fill("8")
    page.get_by_label("Методика").fill("4,5")
    expect(page.locator("#jury-total")).to_have_text("17.00")
    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.get_by_text("Черновик сохранён.")).to_be_visible()
    page.get_by_label("Комментарий").fill("Чёткая структура урока")
    page.get_by_role("button", name="Отправить оценки").click()
    expect(page.get_by_text("Оценки отправлены.")).to_be_visible()
    expect(page.locator("h2 .badge")).to_have_text("отправлено")
    screenshot(page, "jury-scoring")
    for path in ("/jury/", f"/jury/entries/{entry_id}", "/dashboard"):
        page.goto(path)
        content = page.content()
        assert secret not in content and institution not in content
    assert page.js_errors == []
