"""The personal feed at size and on a second poll: 300 items (200 events, 100 course deadlines) parse
with the icalendar package with the hosts' zones kept; the answer carries a weak ETag and may be kept
by the subscriber only (private, no-cache); a poll sending the tag back gets 304 with no body, in the
same number of queries; a change to one event (or a new deadline) gives the whole file again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from icalendar import Calendar
from sqlalchemy import insert, select, update

from app.extensions import db
from app.timeutil import utcnow
from community.events.models import CalendarToken, Event, EventRegistration
from tests.conftest import login
from tests.factories.accounts import teacher
from tests.factories.courses import assignment, course, enrolled, module
from tests.factories.events import EventFactory


def subscribed(client: Any, events: int, deadlines: int) -> tuple[str, Any, Any]:
    """A teacher registered for `events` events (half in Omsk time) with `deadlines` course deadlines;
    their feed's token, the person and the course's module."""
    now = utcnow().replace(microsecond=0)
    person = teacher()
    template = EventFactory.build()
    rows = [
        {
            column: getattr(template, column)
            for column in ("kind", "format", "audience", "link", "checkin_code", "hours", "duration_minutes")
        }
        | {
            "title": f"Вебинар ленты № {n + 1}",
            "description": "Разбор, приёмы; вопросы",
            "starts_at": now + timedelta(days=1 + n % 100, hours=n % 9),
            "ends_at": now + timedelta(days=1 + n % 100, hours=n % 9, minutes=90),
            "timezone": "Asia/Omsk" if n % 2 else "Europe/Moscow",
        }
        for n in range(events)
    ]
    db.session.execute(insert(Event), rows)
    ids = db.session.scalars(select(Event.id).where(Event.title.like("Вебинар ленты № %"))).all()
    db.session.execute(
        insert(EventRegistration),
        [{"event_id": i, "user_id": person.id, "status": "registered", "answers": {}} for i in ids],
    )
    studied = course(title="Курс ДОТ")
    enrolled(studied, person)
    part = module(studied)
    for n in range(deadlines):
        assignment(part, f"Эссе {n + 1}", due_at=now + timedelta(days=2 + n))
    db.session.commit()
    login(client, person)
    assert client.post("/calendar/address").status_code == 302
    token = db.session.scalar(select(CalendarToken.token).where(CalendarToken.user_id == person.id))
    client.post("/auth/logout")
    return str(token), person, part


def test_a_300_item_feed_validates_with_icalendar_and_keeps_the_zones(client: Any) -> None:
    token, _person, _part = subscribed(client, 200, 100)
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200 and response.content_type.startswith("text/calendar")
    parsed = Calendar.from_ical(response.data)
    events = parsed.walk("VEVENT")
    assert len(events) == 300
    assert {str(zone["TZID"]) for zone in parsed.walk("VTIMEZONE")} == {"Asia/Omsk", "Europe/Moscow"}
    webinars = [event for event in events if str(event["SUMMARY"]).startswith("Вебинар ленты")]
    assert len(webinars) == 200
    assert {event["DTSTART"].params["TZID"] for event in webinars} == {"Asia/Omsk", "Europe/Moscow"}
    assert all("https://meet.example.org/webinar" in str(event["DESCRIPTION"]) for event in webinars)
    assert "Разбор, приёмы; вопросы" in str(webinars[0]["DESCRIPTION"])
    deadlines = [event for event in events if "Эссе" in str(event["SUMMARY"])]
    assert len(deadlines) == 100 and all("DTEND" not in event for event in deadlines)


def test_a_second_poll_with_the_tag_is_answered_304(client: Any, count_queries: Any) -> None:
    token, _person, _part = subscribed(client, 12, 3)
    first = client.get(f"/calendar/{token}.ics")
    tag = first.headers["ETag"]
    assert first.status_code == 200 and tag.startswith('W/"')
    assert first.headers["Cache-Control"] == "private, no-cache"
    with count_queries(cold=True) as full:
        assert client.get(f"/calendar/{token}.ics").headers["ETag"] == tag  # the same tag each time
    with count_queries(cold=True) as conditional:
        again = client.get(f"/calendar/{token}.ics", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == tag
    assert conditional.count == full.count
    other = client.get(f"/calendar/{token}.ics", headers={"If-None-Match": 'W/"something-else"'})
    assert other.status_code == 200 and len(Calendar.from_ical(other.data).walk("VEVENT")) == 15


def test_a_change_gives_the_whole_file_with_a_new_tag(client: Any) -> None:
    token, _person, part = subscribed(client, 5, 1)
    tag = client.get(f"/calendar/{token}.ics").headers["ETag"]
    moved = db.session.scalar(select(Event.id).where(Event.title == "Вебинар ленты № 3"))
    db.session.execute(update(Event).where(Event.id == moved).values(title="Перенесённый вебинар"))
    db.session.commit()
    changed = client.get(f"/calendar/{token}.ics", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    assert "Перенесённый вебинар" in {
        str(e["SUMMARY"]) for e in Calendar.from_ical(changed.data).walk("VEVENT")
    }
    newer = changed.headers["ETag"]
    assignment(db.session.merge(part), "Новое эссе", due_at=utcnow() + timedelta(days=9))
    db.session.commit()
    last = client.get(f"/calendar/{token}.ics", headers={"If-None-Match": newer})
    assert last.status_code == 200 and last.headers["ETag"] not in (tag, newer)


def test_an_unknown_token_is_still_404_whatever_the_tag(client: Any) -> None:
    assert (
        client.get("/calendar/nobody-has-this-token.ics", headers={"If-None-Match": "*"}).status_code == 404
    )
