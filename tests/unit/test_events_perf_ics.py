"""The calendar files' lean writer (community/events/ics.py) against the icalendar package: for the
same entries it writes what the package's component tree writes, byte for byte (property order,
TEXT escaping, folding at 75 octets without splitting a character or an escape, the zone's
VTIMEZONE), a 300-item feed parses back with the package with its zones kept, and the feed's tag
changes exactly when what the file says changes."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Timezone
from icalendar import Event as VEvent

from community.events.ics import PRODID, CalendarEntry, build_calendar, content_tag

NOW = datetime(2026, 12, 2, 5, 6, 7, 891, tzinfo=UTC)
START = datetime(2027, 3, 25, 12, 0, 0, 250_000, tzinfo=UTC)
ZONES = ("UTC", "Europe/Moscow", "Asia/Novosibirsk", "Europe/Kaliningrad", "Asia/Vladivostok")
# Texts that exercise escaping and folding: commas, semicolons, backslashes (a literal \N too),
# line breaks of each kind, Cyrillic and four-byte characters at a fold, a caret before a fold.
TEXTS = (
    "Вебинар, «Формирующее; оценивание»",
    "C:\\школа\\N1; путь, другой\r\nстрока\rещё\nи ещё",
    "ж" * 37 + "x" + "ё" * 40,
    "a" * 73 + "\\" + "b" * 80,
    "a" * 72 + "^" + "😀" * 30,
    "Описание " * 30,
    "",
)


def read_back(text: str) -> str:
    """What a calendar reads from a TEXT value: line breaks (and a literal \\N) as newlines."""
    return text.replace("\\N", "\n").replace("\r\n", "\n").replace("\r", "\n")


def reference(entries: list[CalendarEntry], name: str) -> bytes:
    """The same calendar built with the icalendar package's components (how ics.py wrote it before)."""
    calendar = Calendar()
    for key, value in (
        ("prodid", PRODID),
        ("version", "2.0"),
        ("calscale", "GREGORIAN"),
        ("method", "PUBLISH"),
        ("x-wr-calname", name),
    ):
        calendar.add(key, value)
    for zone in sorted({entry.timezone for entry in entries} - {"UTC"}):
        calendar.add_component(Timezone.from_tzid(zone))
    for entry in entries:
        zone = UTC if entry.timezone == "UTC" else ZoneInfo(entry.timezone)
        event = VEvent()
        event.add("uid", entry.uid)
        event.add("dtstamp", NOW)
        event.add("dtstart", entry.starts_at.astimezone(zone))
        if entry.ends_at is not None and entry.ends_at > entry.starts_at:
            event.add("dtend", entry.ends_at.astimezone(zone))
        event.add("summary", entry.title)
        for key in ("description", "location", "url"):
            if getattr(entry, key):
                event.add(key, getattr(entry, key))
        event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def entries(count: int) -> list[CalendarEntry]:
    made = []
    for n in range(count):
        starts = START + timedelta(hours=7 * n, minutes=n)
        ends = (None, starts + timedelta(minutes=90), starts - timedelta(minutes=5))[n % 3]
        made.append(
            CalendarEntry(
                uid=f"event-{n}@vmeste.example" if n % 2 else f"course-item-{n}-due@vmeste,x",
                title=TEXTS[n % len(TEXTS)] or "Срок",
                starts_at=starts,
                ends_at=ends,
                timezone=ZONES[n % len(ZONES)],
                url="" if n % 4 == 0 else f"https://vmeste.example/events/{n}?" + "q" * (n % 90),
                location=TEXTS[(n + 2) % len(TEXTS)],
                description=TEXTS[(n + 3) % len(TEXTS)],
                cancelled=n % 5 == 0,
            )
        )
    return made


@pytest.mark.parametrize("count", [0, 1, 2, 40])
@pytest.mark.parametrize("name", ["Вместе: мой календарь", "a,b;c " + "я" * 60])
def test_the_writer_writes_what_the_package_writes(count: int, name: str) -> None:
    listed = entries(count)
    assert build_calendar(listed, name=name, now=NOW) == reference(listed, name)


def test_a_300_item_feed_parses_with_the_package_and_keeps_its_zones() -> None:
    listed = entries(300)
    data = build_calendar(listed, name="Вместе: мой календарь", now=NOW)
    assert all(len(line) < 76 for line in data.split(b"\r\n"))
    parsed = Calendar.from_ical(data)
    events = parsed.walk("VEVENT")
    assert len(events) == 300
    assert {str(zone["TZID"]) for zone in parsed.walk("VTIMEZONE")} == set(ZONES) - {"UTC"}
    for entry, event in zip(listed, events, strict=True):
        assert str(event["UID"]) == entry.uid and str(event["SUMMARY"]) == read_back(entry.title)
        start = event.decoded("DTSTART")
        assert start == entry.starts_at.replace(microsecond=0)
        if entry.timezone == "UTC":
            assert start.tzinfo is not None and start.utcoffset() == timedelta(0)
            assert "TZID" not in event["DTSTART"].params
        else:
            assert event["DTSTART"].params["TZID"] == entry.timezone
        assert ("DTEND" in event) == (entry.ends_at is not None and entry.ends_at > entry.starts_at)
        if entry.description:
            assert str(event["DESCRIPTION"]) == read_back(entry.description)
        assert str(event["STATUS"]) == ("CANCELLED" if entry.cancelled else "CONFIRMED")


def test_a_line_break_in_a_url_is_refused_as_the_package_refuses_it() -> None:
    broken = CalendarEntry(uid="x@y", title="t", starts_at=START, url="https://x/\r\nX-EVIL:1")
    with pytest.raises(ValueError):
        build_calendar([broken], name="x", now=NOW)


def test_the_tag_follows_what_the_file_says_not_when_it_was_written() -> None:
    listed = entries(20)
    tag = content_tag(listed, name="Мой календарь")
    assert tag == content_tag(entries(20), name="Мой календарь")
    assert tag != content_tag(listed, name="My calendar")
    assert tag != content_tag(listed[:-1], name="Мой календарь")
    for change in ({"title": "Новое"}, {"starts_at": START + timedelta(days=400)}, {"cancelled": True}):
        changed = [*listed[:6], dataclasses.replace(listed[6], **change), *listed[7:]]  # type: ignore[arg-type]
        assert content_tag(changed, name="Мой календарь") != tag, change
