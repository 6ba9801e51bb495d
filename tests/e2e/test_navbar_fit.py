"""The header fits: with every room a role sees (learning, contests, jury, community, administration,
messages, notifications), the bar is one line at 1280 px for each demo role, the organiser and the
administrator included; no page scrolls sideways; on a 390 px phone the collapsed menu opens and
leads to its rooms."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.demo import DEMO_PASSWORD, load_accounts
from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD
from tests.factories.accounts import admin

pytestmark = pytest.mark.e2e

ROLES = ["student", "teacher", "methodist", "organiser", "juror", "coordinator", "district", "admin"]
# The bar's height with one line of links (Bootstrap's navbar with small buttons is ~56 px).
ONE_LINE = 70
# The room left between the rooms' links and the buttons on the right (printed, to see the margin).
SPARE = """(() => {
  const rooms = document.querySelector('#mainnav > ul').getBoundingClientRect();
  const tools = document.querySelector('#mainnav > div').getBoundingClientRect();
  return Math.round(tools.left - rooms.right);
})()"""


def _sign_in(page: Any, email: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto("/auth/login")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").last.click()
    page.wait_for_url(re.compile(r"/dashboard$"))


def test_every_demo_roles_header_is_one_line_at_1280(app: Any, page: Any) -> None:
    load_accounts()
    db.session.remove()
    page.set_viewport_size({"width": 1280, "height": 850})
    heights, spare = {}, {}
    for role in ROLES:
        _sign_in(page, f"{role}@vmeste.local", DEMO_PASSWORD)
        heights[role] = page.evaluate("document.querySelector('nav.navbar').offsetHeight")
        spare[role] = page.evaluate(SPARE)
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, role
    print("navbar heights at 1280 px:", heights, "spare px:", spare)
    assert all(height < ONE_LINE for height in heights.values()), heights
    assert all(room >= 0 for room in spare.values()), spare  # the links never run under the buttons


@pytest.mark.parametrize("width", [1280, 390])
def test_the_administrators_header_fits(app: Any, page: Any, width: int) -> None:
    person = admin(full_name="Александра Владимировна Константинопольская")
    email = person.email
    db.session.commit()
    db.session.remove()
    page.set_viewport_size({"width": width, "height": 850})
    _sign_in(page, email, DEFAULT_PASSWORD)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width > 1000:
        assert page.evaluate("document.querySelector('nav.navbar').offsetHeight") < ONE_LINE
        page.locator("#nav-community").click()
        page.locator("#nav-library").click()
        page.wait_for_url(re.compile(r"/library/$"))
    else:
        # The phone's collapsed menu: the toggler opens it, a group unfolds, a room opens.
        assert not page.locator("#nav-community").is_visible()
        page.locator(".navbar-toggler").click()
        page.locator("#nav-community").click()
        page.locator("#nav-library").click()
        page.wait_for_url(re.compile(r"/library/$"))
        page.locator(".navbar-toggler").click()
        page.locator("#nav-admin").click()
        page.locator("#nav-users").click()
        page.wait_for_url(re.compile(r"/admin/users"))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
