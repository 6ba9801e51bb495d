"""A newcomer in the browser: register, log out and in, switch to English, see the dashboard.

Runs against the live server with CSRF on, so every form here proves it carries its token.
`make screenshots` saves its screenshots into docs/screenshots/ for the README.
"""

from __future__ import annotations

import re

import pytest

from app import account_services
from app.extensions import db
from tests.factories.accounts import InstitutionFactory

pytestmark = pytest.mark.e2e


def test_register_login_switch_language_and_see_the_dashboard(app, page, live_server, screenshot) -> None:  # type: ignore[no-untyped-def]
    school = InstitutionFactory(name="МБОУ «Гимназия № 1»", district="Центральный район")
    InstitutionFactory(name="МАОУ «Лицей № 3»", district="Ленинский район")
    school_id = school.id
    # Commit and read nothing more: on SQLite an open transaction here would hold the write lock
    # the live server needs.
    db.session.commit()

    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "ru"
    screenshot(page, "home")
    page.get_by_role("link", name="Зарегистрироваться").first.click()
    page.get_by_label("Электронная почта").fill("anna@example.org")
    page.get_by_label("ФИО").fill("Анна Сергеевна Новикова")
    page.get_by_label("Учреждение").select_option(str(school_id))
    page.get_by_label("Пароль", exact=True).fill("anna-secret-1")
    page.get_by_label("Повторите пароль").fill("anna-secret-1")
    screenshot(page, "register")
    page.get_by_role("button", name="Создать учётную запись").click()
    page.wait_for_url(re.compile(r"/dashboard$"))
    assert "Здравствуйте, Анна Сергеевна Новикова!" in page.locator("#dashboard-title").inner_text()

    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/auth/login")
    page.get_by_label("Электронная почта").fill("anna@example.org")
    screenshot(page, "login")
    page.get_by_label("Пароль").fill("wrong-password")
    page.get_by_role("button", name="Войти").last.click()
    assert page.locator("[data-form-errors]").inner_text().strip() == "Неверный адрес или пароль."
    page.get_by_label("Пароль").fill("anna-secret-1")
    page.get_by_role("button", name="Войти").last.click()
    page.wait_for_url(re.compile(r"/dashboard$"))

    page.locator("#language-switch button[data-lang=en]").click()
    page.wait_for_url(re.compile(r"/dashboard$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#dashboard-title").inner_text() == "Hello, Анна Сергеевна Новикова!"
    assert "МБОУ «Гимназия № 1»" in page.content()
    screenshot(page, "dashboard")

    page.get_by_role("link", name="Network").first.click()
    assert page.get_by_role("heading", name="Institutions of the network").is_visible()
    screenshot(page, "network")
    assert page.js_errors == []

    user = account_services.find_user_by_email("anna@example.org")
    assert user is not None and user.locale == "en"


def test_language_choice_is_remembered_in_a_new_browser(app, page, _browser, live_server) -> None:  # type: ignore[no-untyped-def]
    account_services.create_user(
        email="ivan@example.org",
        full_name="Иван Петров",
        password="ivan-secret-1",
        role="student",
        locale="en",
    )
    page.goto("/auth/login")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.get_by_label("Электронная почта").fill("ivan@example.org")
    page.get_by_label("Пароль").fill("ivan-secret-1")
    page.get_by_role("button", name="Войти").last.click()
    page.wait_for_url(re.compile(r"/dashboard$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Student" in page.locator("[data-role]").inner_text()


def test_admin_pages_in_the_browser(app, page, live_server, screenshot) -> None:  # type: ignore[no-untyped-def]
    account_services.create_user(
        email="root@example.org", full_name="Администратор", password="root-secret-1", role="admin"
    )
    page.goto("/auth/login")
    page.get_by_label("Электронная почта").fill("root@example.org")
    page.get_by_label("Пароль").fill("root-secret-1")
    page.get_by_role("button", name="Войти").last.click()
    page.wait_for_url(re.compile(r"/dashboard$"))
    page.goto("/admin/institutions/new")
    page.get_by_label("Название").fill("Районный методический центр")
    page.get_by_label("Тип").select_option("methodical_centre")
    page.get_by_label("Или новый район").fill("Кировский район")  # no district records yet: a new one
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(re.compile(r"/admin/institutions$"))
    assert "Районный методический центр" in page.content()
    assert "Учреждение сохранено." in page.content()
    screenshot(page, "admin-institutions")
