"""The Markdown editor in Chromium, CSRF on: a teacher writes a course page with the toolbar («Ж»
wraps the selection), looks at the server's preview, and saves; no CSP complaint in the console and
nothing fetched from another site. On a 390-pixel phone the toolbar wraps and nothing scrolls
sideways; without JavaScript the text area still saves."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from courses.models import Item
from tests.conftest import DEFAULT_PASSWORD
from tests.e2e.conftest import LiveServer
from tests.e2e.page_loads import PageLoads
from tests.e2e.signing_in import log_in
from tests.factories import courses as cf
from tests.factories.accounts import teacher

pytestmark = pytest.mark.e2e


def _course_with_module() -> tuple[str, int, int]:
    author = teacher(email="editor-author@example.org", full_name="Ольга Петровна Редакторова")
    course = cf.course(author, title="Смысловое чтение")
    module = cf.module(course, "Модуль 1. Текст", actor=author)
    db.session.commit()
    found = (author.email, course.id, module.id)
    db.session.remove()  # hold no SQLite lock the live server needs
    return found


def _watch(page: Any, live_server: LiveServer) -> tuple[list[str], list[str]]:
    """Console errors (a CSP refusal is one) and every request to a host other than the app's."""
    console: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    own = urlsplit(live_server.url).netloc
    page.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if urlsplit(request.url).netloc not in ("", own) and not request.url.startswith("data:")
            else None
        ),
    )
    return console, foreign


def test_bold_preview_and_save_on_a_course_page(
    app: Any, page: Any, live_server: LiveServer, screenshot: Any
) -> None:
    email, course_id, module_id = _course_with_module()
    console, foreign = _watch(page, live_server)
    log_in(page, email)
    loads = PageLoads(page)
    page.goto(f"/courses/modules/{module_id}/items/new/page")
    body = page.locator("textarea[name=body]")
    form = page.locator("form", has=body)
    toolbar = page.locator("markdown-toolbar")
    expect(toolbar).to_be_visible()
    assert toolbar.get_attribute("for") == body.get_attribute("id")
    bold = toolbar.get_by_role("button", name="Ж", exact=True)
    expect(bold).to_have_attribute("title", "Полужирный (Ctrl+B)")
    expect(toolbar.get_by_role("button", name="К", exact=True)).to_have_attribute("title", "Курсив (Ctrl+I)")
    # the bar never answers to the field's own label («Текст…»), as aria-labels would make it
    expect(page.locator(".md-editor-bar").get_by_label("Текст")).to_have_count(0)
    for title in ("Заголовок", "Маркированный список", "Нумерованный список", "Цитата", "Ссылка"):
        expect(toolbar.get_by_role("button", name=title)).to_be_visible()

    form.locator("input[name=title]").fill("Как читать учебный текст")
    body.fill("Читаем внимательно и отвечаем на вопросы.")
    body.evaluate("field => field.setSelectionRange(0, 6)")  # «Читаем»
    body.evaluate("field => { window.heard = 0; field.addEventListener('input', () => window.heard++); }")
    bold.click()
    expect(body).to_have_value("**Читаем** внимательно и отвечаем на вопросы.")
    assert page.evaluate("window.heard") >= 1  # autosave and the form's own scripts hear the change
    body.press("End")
    body.press("Enter")
    toolbar.get_by_role("button", name="Маркированный список").click()
    body.type("первый пункт")
    expect(body).to_have_value("**Читаем** внимательно и отвечаем на вопросы.\n\n- первый пункт")

    page.get_by_role("button", name="Просмотр").click()
    preview = page.locator(".md-preview")
    expect(preview.locator("strong")).to_have_text("Читаем")
    expect(preview.locator("li")).to_have_text("первый пункт")
    expect(body).to_be_hidden()
    screenshot(page, "markdown-editor-preview")
    page.get_by_role("button", name="Текст", exact=True).click()
    expect(body).to_be_visible()
    expect(preview).to_be_hidden()

    form.locator("button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/courses/items/\d+$"))
    expect(page.locator("article.page-body strong")).to_have_text("Читаем")
    saved = db.session.scalars(select(Item).where(Item.module_id == module_id)).one()
    # the browser sends form text with CRLF line ends, as any textarea does
    assert (
        saved.body.replace("\r\n", "\n") == "**Читаем** внимательно и отвечаем на вопросы.\n\n- первый пункт"
    )
    db.session.remove()
    print(f"page loads: {loads.count} {loads.urls}")
    assert loads.count <= 2  # the form and the saved page: the preview loads no page
    assert not [line for line in console if "Content Security Policy" in line or "Refused" in line], console
    assert not console, console
    assert not foreign, foreign
    assert not page.js_errors, page.js_errors


def test_ctrl_b_and_an_expired_session_in_the_preview(app: Any, page: Any, live_server: LiveServer) -> None:
    email, _course_id, module_id = _course_with_module()
    log_in(page, email)
    page.goto(f"/courses/modules/{module_id}/items/new/page")
    body = page.locator("textarea[name=body]")
    expect(page.locator("markdown-toolbar")).to_be_visible()
    body.fill("слово")
    body.evaluate("field => field.select()")
    body.press("Control+b")
    expect(body).to_have_value("**слово**")
    # a field a script adds later (a rows editor's new row) gets its own toolbar
    body.evaluate(
        "field => { const added = document.createElement('textarea'); added.dataset.markdown = '';"
        " added.name = 'later'; field.form.append(added); }"
    )
    expect(page.locator("markdown-toolbar")).to_have_count(2)
    assert page.locator("markdown-toolbar").nth(1).get_attribute("for") == page.locator(
        "textarea[name=later]"
    ).get_attribute("id")
    page.context.clear_cookies()  # signed out in another tab, say
    page.get_by_role("button", name="Просмотр").first.click()
    expect(page.locator(".md-preview").first).to_have_text("Войдите снова, чтобы увидеть просмотр.")


def test_the_toolbar_wraps_on_a_phone(_browser: Any, app: Any, live_server: LiveServer) -> None:
    email, _course_id, module_id = _course_with_module()
    context = _browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        locale="ru-RU",
        timezone_id="Europe/Moscow",
        has_touch=True,
        is_mobile=True,
    )
    try:
        phone = context.new_page()
        log_in(phone, email)
        phone.goto(f"/courses/modules/{module_id}/items/new/page")
        bar = phone.locator(".md-editor-bar")
        expect(bar).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        box = bar.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        heights = phone.locator(".md-editor-bar button").evaluate_all("els => els.map(e => e.offsetHeight)")
        assert heights and min(heights) >= 40, heights  # tap targets
        phone.locator("textarea[name=body]").fill(
            "| а | б |\n|---|---|\n| " + "очень-длинное-слово" * 8 + " | 2 |"
        )
        phone.get_by_role("button", name="Просмотр").click()
        expect(phone.locator(".md-preview table")).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_without_javascript_the_text_area_still_saves(
    _browser: Any, app: Any, live_server: LiveServer
) -> None:
    email, _course_id, module_id = _course_with_module()
    context = _browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="ru-RU")
    try:
        plain = context.new_page()
        plain.goto("/auth/login")
        plain.get_by_label("Электронная почта").fill(email)
        plain.get_by_label("Пароль").fill(DEFAULT_PASSWORD)
        plain.get_by_role("button", name="Войти").last.click()
        plain.wait_for_url(re.compile(r"/dashboard$"))
        plain.goto(f"/courses/modules/{module_id}/items/new/page")
        assert plain.locator("markdown-toolbar").count() == 0
        body = plain.locator("textarea[name=body]")
        form = plain.locator("form", has=body)
        form.locator("input[name=title]").fill("Без скриптов")
        body.fill("_Курсив_ без панели")
        form.locator("button[type=submit]").first.click()
        plain.wait_for_url(re.compile(r"/courses/items/\d+$"))
        expect(plain.locator("article.page-body em")).to_have_text("Курсив")
    finally:
        context.close()
