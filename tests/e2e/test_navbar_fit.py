"""The header fits: with every room an administrator sees (learning, contests, jury, community,
administration, messages, notifications), no page scrolls sideways at 1280 px nor on a 390 px phone."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD
from tests.factories.accounts import admin

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1280, 390])
def test_the_administrators_header_fits(app: Any, page: Any, width: int) -> None:
    person = admin(full_name="Александра Владимировна Константинопольская")
    email = person.email
    db.session.commit()
    db.session.remove()
    page.set_viewport_size({"width": width, "height": 850})
    page.goto("/auth/login")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Войти").last.click()
    page.wait_for_url(re.compile(r"/dashboard$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width > 1000:
        assert page.evaluate("document.querySelector('nav').offsetHeight") < 70  # one line
        page.locator("#nav-community").click()
        page.locator("#nav-library").click()
        page.wait_for_url(re.compile(r"/library/$"))
