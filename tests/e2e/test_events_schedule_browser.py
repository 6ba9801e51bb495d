"""Scheduling in the browser (CSRF on, real server): a methodist opens the calendar from the
«Сообщество» menu, puts a weekly webinar series in it with the form, and finds every sitting at the
same local time in the month and week views; the term plan offers its XLSX and PDF."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.timeutil import to_zone, utcnow
from community.events.models import Event
from tests.e2e.signing_in import log_in
from tests.factories.accounts import methodist

pytestmark = pytest.mark.e2e


def test_a_methodist_schedules_a_weekly_webinar_series(app, page, live_server, screenshot) -> None:  # type: ignore[no-untyped-def]
    runner = methodist(timezone="Asia/Novosibirsk", locale="ru")
    email = runner.email
    db.session.commit()
    first = to_zone(utcnow() + timedelta(days=2), "Asia/Novosibirsk").replace(hour=16, minute=0)
    until = (first + timedelta(weeks=3)).date()

    log_in(page, email)
    page.locator("#nav-community").click()
    page.locator("#nav-calendar").click()
    page.wait_for_url(re.compile(r"/events/month"))
    page.locator("#new-event").click()
    page.get_by_label("Вид", exact=True).select_option("webinar")
    page.get_by_label("Название").fill("Вебинар «Функциональная грамотность»")
    page.get_by_label("Начало").fill(first.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Продолжительность, минут").fill("90")
    page.get_by_label("Часовой пояс начала").select_option("Asia/Novosibirsk")
    page.get_by_label("Повторять каждую неделю до").fill(until.isoformat())
    page.get_by_label("Ссылка на видеоконференцию").fill("https://meet.example.org/fg")
    page.get_by_label("Места").fill("50")
    screenshot(page, "event-form")
    page.locator("#event-save").click()
    page.wait_for_url(re.compile(r"/events/\d+$"))
    assert "4" in page.locator(".alert").first.inner_text()

    starts = db.session.scalars(select(Event.starts_at).order_by(Event.starts_at)).all()
    assert len(starts) == 4
    assert {to_zone(s, "Asia/Novosibirsk").strftime("%H:%M") for s in starts} == {"16:00"}
    db.session.rollback()  # end the read, so the live server's requests never wait on it
    page.goto(f"/events/month?month={first:%Y-%m}")
    cell = page.locator(f'td[data-day="{first.date().isoformat()}"]')
    assert "16:00 Вебинар «Функциональная грамотность»" in cell.inner_text()
    screenshot(page, "calendar-month")
    page.goto(f"/events/week?day={first.date().isoformat()}")
    assert page.locator("#calendar-week [data-event]").count() == 1
    page.goto("/events/term-plan")
    assert page.locator("#term-plan-xlsx").is_visible() and page.locator("#term-plan-pdf").is_visible()
    assert page.js_errors == []
