"""Pure rules of registering (open, cancellable, answers) and the .ics builder: the file validates
with the icalendar package, keeps the host's zone (TZID and its VTIMEZONE) and has stable UIDs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from community.events.feed_items import FeedItem
from community.events.ics import CalendarEntry, build_calendar, feed_entry
from community.events.registration_rules import (
    check_cancellable,
    check_open,
    clean_answers,
    waiting_position,
)
from community.rules import RuleError

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
START = NOW + timedelta(days=3)


def code(call: object) -> str:
    with pytest.raises(RuleError) as caught:
        call()  # type: ignore[operator]
    return caught.value.code


def test_registration_is_open_until_the_deadline_and_the_start() -> None:
    check_open(cancelled=False, starts_at=START, closes_at=None, now=NOW)
    check_open(cancelled=False, starts_at=START, closes_at=NOW + timedelta(minutes=1), now=NOW)
    assert code(lambda: check_open(cancelled=False, starts_at=START, closes_at=NOW, now=NOW)) == "reg_closed"
    started = code(lambda: check_open(cancelled=False, starts_at=NOW, closes_at=None, now=NOW))
    cancelled = code(lambda: check_open(cancelled=True, starts_at=START, closes_at=None, now=NOW))
    assert (started, cancelled) == ("reg_event_started", "reg_cancelled")


def test_a_place_is_given_up_before_the_start_only() -> None:
    check_cancellable(status="registered", starts_at=START, now=NOW)
    check_cancellable(status="waiting", starts_at=START, now=NOW)
    assert code(lambda: check_cancellable(status="cancelled", starts_at=START, now=NOW)) == "reg_none"
    assert code(lambda: check_cancellable(status=None, starts_at=START, now=NOW)) == "reg_none"
    assert code(lambda: check_cancellable(status="registered", starts_at=NOW, now=NOW)) == "reg_event_started"


def test_answers_kept_required_checked_unknown_dropped() -> None:
    questions = [{"id": "q1", "text": "Школа", "required": True}, {"id": "q2", "text": "Вопрос"}]
    kept = clean_answers(questions, {"q1": "  Лицей № 2 ", "q2": "", "q9": "лишнее"})
    assert kept == {"q1": "Лицей № 2"}
    with pytest.raises(RuleError) as caught:
        clean_answers(questions, {"q1": "   "})
    assert (caught.value.code, caught.value.field) == ("reg_answer_required", "answer_q1")
    with pytest.raises(RuleError) as long:
        clean_answers(questions, {"q1": "а", "q2": "б" * 1001})
    assert (long.value.code, long.value.field) == ("too_long", "answer_q2")
    assert clean_answers([], {"q1": 5}) == {}


def test_waiting_position_counts_from_one() -> None:
    assert waiting_position(0) == 1
    assert waiting_position(39) == 40


def test_ics_validates_and_keeps_the_hosts_zone() -> None:
    entry = CalendarEntry(
        uid="event-7@vmeste.example",
        title="Вебинар, «Формирующее; оценивание»",
        starts_at=datetime(2027, 3, 25, 12, 0, tzinfo=UTC),
        ends_at=datetime(2027, 3, 25, 13, 30, tzinfo=UTC),
        timezone="Asia/Novosibirsk",
        location="https://meet.example.org/w",
        description="Описание " * 30,
    )
    data = build_calendar([entry], name="Мой календарь", now=NOW)
    parsed = Calendar.from_ical(data)
    zones = [c for c in parsed.walk("VTIMEZONE")]
    assert [str(z["TZID"]) for z in zones] == ["Asia/Novosibirsk"]
    (event,) = parsed.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start.utcoffset() == timedelta(hours=7) and (start.hour, start.minute) == (19, 0)
    assert event["DTSTART"].params["TZID"] == "Asia/Novosibirsk"
    assert event.decoded("DTEND") - start == timedelta(minutes=90)
    assert str(event["SUMMARY"]) == "Вебинар, «Формирующее; оценивание»"
    assert str(event["UID"]) == "event-7@vmeste.example"
    assert b"\r\n" in data and all(len(line) <= 75 for line in data.split(b"\r\n"))


def test_a_deadline_is_a_moment_in_utc_with_the_sites_link() -> None:
    item = FeedItem(uid="course-item-3-due@vmeste", title="Срок", starts_at=START, url="/courses/items/3")
    entry = feed_entry(item, site="https://vmeste.example/")
    assert entry.url == "https://vmeste.example/courses/items/3"
    (event,) = Calendar.from_ical(build_calendar([entry], name="x", now=NOW)).walk("VEVENT")
    assert event.decoded("DTSTART") == START and "DTEND" not in event
    assert str(event["URL"]) == "https://vmeste.example/courses/items/3"


def test_same_entries_give_the_same_uids_each_time() -> None:
    entries = [CalendarEntry(uid=f"event-{n}@x", title="t", starts_at=START) for n in range(3)]
    first = Calendar.from_ical(build_calendar(entries, name="x", now=NOW))
    second = Calendar.from_ical(build_calendar(entries, name="x", now=NOW + timedelta(hours=1)))
    assert [str(e["UID"]) for e in first.walk("VEVENT")] == [str(e["UID"]) for e in second.walk("VEVENT")]
    assert str(first.walk("VEVENT")[0]["STATUS"]) == "CONFIRMED"
    cancelled = CalendarEntry(uid="event-9@x", title="t", starts_at=START, cancelled=True)
    (event,) = Calendar.from_ical(build_calendar([cancelled], name="x", now=NOW)).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
