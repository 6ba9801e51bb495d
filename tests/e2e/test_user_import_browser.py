"""An administrator brings the school's list from Russian Excel in the browser (issue 15): the
users page leads to the import, a cp1251 file with mistakes is refused line by line, and with
"import the valid lines" the good one is created. CSRF is on: the upload form carries its token."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD
from tests.factories.accounts import InstitutionFactory, admin

pytestmark = pytest.mark.e2e
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tabular"


def test_admin_imports_a_list_from_russian_excel(app, page, live_server, screenshot) -> None:  # type: ignore[no-untyped-def]
    InstitutionFactory(name="Лицей № 3")
    boss = admin()
    email = boss.email
    db.session.commit()

    page.goto("/auth/login")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Войти").last.click()
    page.wait_for_url(re.compile(r"/dashboard$"))
    page.goto("/admin/users")
    page.locator("#users-import").click()
    page.wait_for_url(re.compile(r"/admin/users/import$"))

    page.locator("input[type=file]").set_input_files(str(FIXTURES / "users_bad_lines_cp1251.csv"))
    page.get_by_role("button", name="Импортировать").click()
    items = page.locator("#import-errors li")
    assert items.count() == 5
    assert "Не адрес;Сидоров Сидор;ученик;" in items.first.inner_text()
    assert "Строка 3" in items.first.inner_text()
    screenshot(page, "user-import-errors")

    page.locator("input[type=file]").set_input_files(str(FIXTURES / "users_bad_lines_cp1251.csv"))
    page.get_by_label("Импортировать правильные строки, а остальные показать списком").check()
    page.get_by_role("button", name="Импортировать").click()
    assert "Импортировано: 1" in page.locator("#import-errors").inner_text()
    assert page.locator("#import-errors li").count() == 5
