"""What the review of the calendar's pages fixed: times read «8 декабря 2026, 11:00–12:30» in the
viewer's zone (no seconds; the host's clock only when it differs), the check-in page leads on to the
portfolio where the certificate shows, and the host's page has no inline style (the CSP blocks it)
and says «ФИО» and «Видеозапись» where it said «Название» and «Запись»."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from app.extensions import db
from app.timeutil import utcnow
from tests.conftest import login
from tests.factories.accounts import teacher
from tests.factories.events import EventFactory, host, registration


def _event_at(moment: datetime, **kw: Any) -> Any:
    return EventFactory(starts_at=moment, ends_at=moment + timedelta(minutes=90), **kw)


def test_the_event_page_shows_the_time_in_the_viewers_zone_without_seconds(client: Any) -> None:
    moment = datetime(utcnow().year + 1, 3, 10, 8, 0, tzinfo=UTC)
    event = _event_at(moment, timezone="Europe/Moscow")
    viewer = teacher(timezone="Asia/Novosibirsk")
    db.session.commit()
    login(client, viewer)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    when = re.sub(r"\s+", " ", page.split('id="event-when"')[1].split("</dd>")[0])
    assert f"10 марта {moment.year}, 15:00</time>–16:30" in when  # Novosibirsk is UTC+7
    assert "11:00 (Москва)" in when  # the host's clock, since it differs
    assert not re.search(r"\d\d:\d\d:\d\d", re.sub(r"<[^>]+>", "", when))


def test_the_hosts_clock_is_left_out_when_it_is_the_viewers(client: Any) -> None:
    event = _event_at((utcnow() + timedelta(days=3)).replace(microsecond=0), timezone="Europe/Moscow")
    viewer = teacher(timezone="Europe/Moscow")
    db.session.commit()
    login(client, viewer)
    assert 'id="event-host-time"' not in client.get(f"/events/{event.id}").get_data(as_text=True)


def test_the_check_in_page_leads_to_the_portfolio_once_attended(client: Any) -> None:
    start = (utcnow() - timedelta(minutes=5)).replace(microsecond=0)
    event = _event_at(start)
    person = teacher()
    registration(event, person)
    db.session.commit()
    login(client, person)
    assert "data-my-portfolio" not in client.get(f"/events/{event.id}/check-in").get_data(as_text=True)
    client.post(f"/events/{event.id}/check-in", data={"code": "482913"})
    page = client.get(f"/events/{event.id}/check-in").get_data(as_text=True)
    assert '<a href="/portfolio/" data-my-portfolio>' in page
    assert "Скачать сертификат участника (PDF)" in page  # as the PDF calls it, not «удостоверение»
    assert event.title in client.get("/portfolio/", follow_redirects=True).get_data(as_text=True)


def test_the_hosts_attendance_page_has_no_inline_style_and_plain_headings(client: Any) -> None:
    event = _event_at((utcnow() + timedelta(days=1)).replace(microsecond=0))
    person = teacher()
    host(event, person)
    db.session.commit()
    login(client, person)
    page = client.get(f"/events/{event.id}/attendance").get_data(as_text=True)
    assert "checkin-code" in page and "style=" not in page
    assert "ФИО" in page and "Название" not in page  # the people's column, not a "title"
    assert (
        "Видеозапись" in page and "Адрес видеозаписи" in page
    )  # not «Запись», which reads as a registration
