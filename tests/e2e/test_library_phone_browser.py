"""Review finding: an association's page on a 390-pixel phone scrolled sideways (its forum topics'
counts kept on one line beside the title, the subscription control on one row)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.extensions import db
from app.timeutil import utcnow
from community.forums.places import ensure_place_forums
from community.forums.topics import open_topic
from tests.conftest import DEFAULT_PASSWORD
from tests.factories.accounts import teacher
from tests.factories.community import AssociationFactory, add_member

pytestmark = pytest.mark.e2e


def test_an_associations_page_fits_a_phone(app: Any, page: Any, live_server: Any) -> None:
    association = AssociationFactory(name="Методическое объединение учителей математики Центрального района")
    leader = teacher()
    add_member(association, leader, leader=True)
    db.session.commit()
    forum = ensure_place_forums("association", association.id)[0]
    open_topic(forum, leader, "Открытый урок по дробям в шестых классах", "Приглашаю коллег.", now=utcnow())
    email, association_id = leader.email, association.id
    db.session.remove()  # hold no SQLite lock the live server needs

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/auth/login")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Войти").last.click()
    page.wait_for_url(re.compile(r"/dashboard$"))
    page.goto(f"/library/associations/{association_id}")
    assert page.locator("#association-forum [data-topic]").count() == 1
    assert page.locator(".subscribe-control").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
