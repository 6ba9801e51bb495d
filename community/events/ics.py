"""iCalendar files (RFC 5545) of the calendar: one event's .ics (the letter's attachment and the
download) and a person's feed. An event keeps its host's zone (DTSTART;TZID= with the zone's
VTIMEZONE), so a calendar moves it correctly across a change of daylight saving. UIDs are stable
(`event-<id>@site`): a calendar re-reading the feed updates the entry instead of adding a copy.

The text is written here rather than through the `icalendar` package's component tree: building a
tree of 300 events and serialising it took about 0.1 s a feed, writing the lines directly takes a
few milliseconds. The writer follows the package's rules to the byte (the same property order, TEXT
escaping and folding at 75 octets; tests/unit/test_events_perf_ics.py compares the two), and the
VTIMEZONE blocks are still the package's own, made once per zone and process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

from icalendar import Timezone

from community.events.feed_items import FeedItem
from community.events.models import Event, EventStatus

PRODID = "-//Vmeste//Calendar//RU"
LINE_OCTETS = 75  # a folded line holds fewer octets than this (RFC 5545 §3.1)


@dataclass(frozen=True)
class CalendarEntry:
    """One VEVENT: `timezone` is the zone its times are written in (UTC for things without one)."""

    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime | None = None
    timezone: str = "UTC"
    url: str = ""
    location: str = ""
    description: str = ""
    cancelled: bool = False


def event_uid(event_id: int, domain: str) -> str:
    return f"event-{event_id}@{domain}"


class EventFields(Protocol):
    """What an event's VEVENT is made of: an Event, or a row of these columns (the feed selects only
    them, not whole events)."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def starts_at(self) -> datetime: ...
    @property
    def ends_at(self) -> datetime: ...
    @property
    def timezone(self) -> str: ...
    @property
    def status(self) -> str: ...


FEED_COLUMNS = (
    Event.id,
    Event.title,
    Event.description,
    Event.address,
    Event.starts_at,
    Event.ends_at,
    Event.timezone,
    Event.status,
    Event.link,
)


def event_entry(event: EventFields, *, link: str, page_url: str, domain: str) -> CalendarEntry:
    """An event as its .ics shows it to one reader; `link` is the video link only when that reader
    may see it (empty otherwise), so the file never carries it to the unregistered."""
    place = [part for part in (event.address, link) if part]
    description = "\n\n".join(part for part in (event.description, link, page_url) if part)
    return CalendarEntry(
        uid=event_uid(event.id, domain),
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone or "UTC",
        url=page_url,
        location=" · ".join(place),
        description=description,
        cancelled=event.status == EventStatus.CANCELLED,
    )


def feed_entry(item: FeedItem, *, site: str) -> CalendarEntry:
    """A provider's item (a course deadline, a contest stage, a jury slot), written in UTC."""
    url = site.rstrip("/") + item.url if item.url.startswith("/") else item.url
    description = "\n\n".join(part for part in (item.description, url) if part)
    return CalendarEntry(
        uid=item.uid,
        title=item.title,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        url=url,
        location=item.location,
        description=description,
    )


def content_tag(entries: Sequence[CalendarEntry], *, name: str) -> str:
    """A digest of what the file says apart from its DTSTAMP: the feed's ETag, so a calendar asking
    again is answered 304 without the file being written (the same entries give the same tag)."""
    parts = [name]
    for entry in entries:
        ends = entry.ends_at.isoformat() if entry.ends_at else ""
        parts += (entry.uid, entry.title, entry.starts_at.isoformat(), ends, entry.timezone, entry.url)
        parts += (entry.location, entry.description, "x" if entry.cancelled else "")
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def build_calendar(entries: Iterable[CalendarEntry], *, name: str, now: datetime) -> bytes:
    """The VCALENDAR text (UTF-8, CRLF) with a VTIMEZONE for every zone an entry is written in."""
    listed = list(entries)
    stamp = _utc_stamp(now.astimezone(UTC))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:" + _text(PRODID),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        _fold("X-WR-CALNAME:" + " ".join(name.splitlines())),  # the package writes it unescaped
    ]
    head = "\r\n".join(lines).encode() + b"\r\n"
    zones = b"".join(_vtimezone(zone) for zone in sorted({entry.timezone for entry in listed} - {"UTC"}))
    body: list[str] = []
    for entry in listed:
        _vevent(body, entry, stamp)
    body.append("END:VCALENDAR\r\n")
    return head + zones + "\r\n".join(body).encode()


@lru_cache(maxsize=64)
def _vtimezone(zone: str) -> bytes:
    """A zone's VTIMEZONE (its rules from 1970 to 2038) as the icalendar package writes it, made
    once per process: a feed of hundreds of events in Moscow time writes the same block each time."""
    return bytes(Timezone.from_tzid(zone).to_ical())


@lru_cache(maxsize=64)
def _zone(name: str) -> tzinfo:
    return UTC if name == "UTC" else ZoneInfo(name)


def _vevent(out: list[str], entry: CalendarEntry, stamp: str) -> None:
    """One VEVENT's lines, in the package's canonical order (SUMMARY, DTSTART, DTEND, DTSTAMP, UID,
    then the rest by name)."""
    zone = _zone(entry.timezone)
    out.append("BEGIN:VEVENT")
    out.append(_fold("SUMMARY:" + _text(entry.title)))
    out.append(_moment("DTSTART", entry.starts_at.astimezone(zone)))
    if entry.ends_at is not None and entry.ends_at > entry.starts_at:
        out.append(_moment("DTEND", entry.ends_at.astimezone(zone)))
    out.append("DTSTAMP:" + stamp)
    out.append(_fold("UID:" + _text(entry.uid)))
    if entry.description:
        out.append(_fold("DESCRIPTION:" + _text(entry.description)))
    if entry.location:
        out.append(_fold("LOCATION:" + _text(entry.location)))
    out.append("STATUS:CANCELLED" if entry.cancelled else "STATUS:CONFIRMED")
    if entry.url:
        if "\r" in entry.url or "\n" in entry.url:
            raise ValueError(f"A URI may not hold a line break: {entry.url!r}")
        out.append(_fold("URL:" + entry.url))
    out.append("END:VEVENT")


def _utc_stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _moment(name: str, moment: datetime) -> str:
    """DTSTART/DTEND: UTC with a Z, any other zone as local time with its TZID."""
    if moment.tzinfo is UTC:
        return f"{name}:{_utc_stamp(moment)}"
    return f"{name};TZID={moment.tzinfo}:{moment.strftime('%Y%m%dT%H%M%S')}"


def _text(value: str) -> str:
    """RFC 5545 TEXT escaping, in the package's order (a literal \\N counts as a line break)."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _fold(line: str) -> str:
    """Split a content line into pieces of fewer than 75 octets, never inside a UTF-8 character
    nor right after a backslash or caret (an escape stays whole on one line), as the package does."""
    if len(line) < LINE_OCTETS // 4:
        return line
    data = line.encode()
    if len(data) < LINE_OCTETS:
        return line
    pieces: list[bytes] = []
    start = 0
    while len(data) - start >= LINE_OCTETS:
        end = start + LINE_OCTETS - 1
        while data[end] & 0xC0 == 0x80:  # the middle of a character: cut before it
            end -= 1
        if end - start > 1 and data[end - 1] in b"\\^":
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode()
