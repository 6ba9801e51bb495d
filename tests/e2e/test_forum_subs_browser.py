"""Subscriptions in the browser (CSRF on, real server): a pupil subscribes to the course forum from
its page, sees the course news as forced and moves it to the daily digest on their subscriptions
page; the digest arrives with the full text and its unsubscribe link, opened without signing in,
confirms and stops the digest (the course news then comes post by post)."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.extensions import db
from app.timeutil import utcnow
from community.subscriptions import digest
from community.subscriptions.models import Subscription
from tests.e2e.signing_in import log_in
from tests.factories import forum_subs as f

pytestmark = pytest.mark.e2e


def test_a_pupil_takes_course_news_as_a_digest_and_unsubscribes_from_a_letter(
    app, page, live_server, screenshot
) -> None:  # type: ignore[no-untyped-def]
    c = f.news_course(students=1)
    pupil = c.students[0]
    news_id, general_id, pupil_id, email = c.news.id, c.general.id, pupil.id, pupil.email
    db.session.commit()

    log_in(page, email)
    page.goto(f"/forums/{general_id}")
    control = page.locator(f'[data-subscription="forum-{general_id}"]')
    control.locator("select").select_option("each")
    control.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(re.compile(rf"/forums/{general_id}$"))
    assert "письмо о каждом новом сообщении" in page.locator(".alert").first.inner_text()
    screenshot(page, "forum-subscribe-control")
    page.goto("/forums/subscriptions")
    row = page.locator(f'[data-entry="forum-{news_id}"]')
    assert row.locator('option[value="off"]').count() == 0
    row.locator("select").select_option("digest")
    row.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(re.compile(r"/forums/subscriptions$"))
    assert "ежедневной сводке" in page.locator(".alert").first.inner_text()
    screenshot(page, "forum-subscriptions")

    now = utcnow()
    f.open_topic(
        c.news, c.author, "Итоговая работа", "Итоговая работа сдаётся до 20 мая.", now - timedelta(hours=1)
    )
    db.session.commit()
    digest.send_digests(now)
    body = f.letters_to(email)[0].body
    assert "Итоговая работа сдаётся до 20 мая." in body
    link = re.search(r"Отказаться от ежедневной сводки в один клик: (\S+)", body)
    assert link is not None
    db.session.remove()  # no open transaction may hold SQLite's lock while the server writes

    page.context.clear_cookies()
    page.goto(urlsplit(link.group(1)).path)
    page.get_by_role("button", name="Отписаться").click()
    assert page.locator('[data-unsubscribe="off"]').is_visible()
    screenshot(page, "forum-unsubscribed")
    db.session.expire_all()
    modes = dict(
        db.session.execute(
            select(Subscription.target_id, Subscription.mode).where(Subscription.user_id == pupil_id)
        ).all()
    )
    assert {key: str(value) for key, value in modes.items()} == {general_id: "each", news_id: "each"}
