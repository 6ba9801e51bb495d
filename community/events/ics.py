"""iCalendar files (RFC 5545) of the calendar: one event's .ics (the letter's attachment and the
download) and a person's feed. Built with the `icalendar` package so the text is folded and escaped
as calendars expect; an event keeps its host's zone (DTSTART;TZID= with the zone's VTIMEZONE), so a
calendar moves it correctly across a change of daylight saving. UIDs are stable (`event-<id>@site`):
a calendar re-reading the feed updates the entry instead of adding a copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Timezone
from icalendar import Event as VEvent

from community.events.feed_items import FeedItem
from community.events.models import Event, EventStatus

PRODID = "-//Vmeste//Calendar//RU"


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


def event_entry(event: Event, *, link: str, page_url: str, domain: str) -> CalendarEntry:
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


def build_calendar(entries: Iterable[CalendarEntry], *, name: str, now: datetime) -> bytes:
    """The VCALENDAR text (UTF-8, CRLF) with a VTIMEZONE for every zone an entry is written in."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = now.astimezone(UTC)
    events = [_vevent(entry, stamp) for entry in entries]
    for zone in sorted({entry.timezone for entry in entries} - {"UTC"}):
        calendar.add_component(_vtimezone(zone))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


@lru_cache(maxsize=64)
def _vtimezone(zone: str) -> Timezone:
    """A zone's VTIMEZONE (its rules from 1970 to 2038), built once per process: a feed of hundreds
    of events in Moscow time writes the same block each time."""
    return Timezone.from_tzid(zone)


def _vevent(entry: CalendarEntry, stamp: datetime) -> VEvent:
    zone = ZoneInfo(entry.timezone) if entry.timezone != "UTC" else UTC
    vevent = VEvent()
    vevent.add("uid", entry.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", entry.starts_at.astimezone(zone))
    if entry.ends_at is not None and entry.ends_at > entry.starts_at:
        vevent.add("dtend", entry.ends_at.astimezone(zone))
    vevent.add("summary", entry.title)
    if entry.description:
        vevent.add("description", entry.description)
    if entry.location:
        vevent.add("location", entry.location)
    if entry.url:
        vevent.add("url", entry.url)
    vevent.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    return vevent
