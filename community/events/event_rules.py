"""Events calendar: what an event may be — pure rules for its fields and for the dates of a weekly
series (plain values in, clean values out, a RuleError with a code and a field otherwise)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from math import ceil
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from community.rules import RuleError, bounded_text

TITLE_MAX = 300
DESCRIPTION_MAX = 20_000
LINK_MAX = 1_000
ADDRESS_MAX = 500
LONGEST_MINUTES = 12 * 60
LARGEST_CAPACITY = 100_000
MOST_OCCURRENCES = 53  # a weekly series of one school year at most
QUESTIONS_MAX = 10
QUESTION_MAX = 300
GRADES = range(1, 12)
KINDS = ("webinar", "open_lesson", "seminar", "master_class", "conference", "round_table")
FORMATS = ("online", "offline", "hybrid")
AUDIENCES = ("network", "association", "invited")
ACADEMIC_HOUR = 45


@dataclass(frozen=True)
class EventDraft:
    """What a host typed. `starts_local` is the wall-clock start in `timezone` (naive);
    `closes_local` the registration deadline, also in `timezone`."""

    kind: str
    title: str
    description: str
    starts_local: datetime
    duration_minutes: int
    timezone: str
    format: str
    link: str = ""
    address: str = ""
    capacity: int | None = None
    audience: str = "network"
    closes_local: datetime | None = None
    association_id: int | None = None
    grades: tuple[int, ...] = ()
    questions: tuple[str, ...] = ()
    weekly_until: date | None = None


@dataclass(frozen=True)
class Sitting:
    """One occurrence, in UTC: start, end, and its registration deadline (None: until the start)."""

    starts_at: datetime
    ends_at: datetime
    closes_at: datetime | None


@dataclass(frozen=True)
class CleanEvent:
    kind: str
    title: str
    description: str
    duration_minutes: int
    hours: int
    timezone: str
    format: str
    link: str
    address: str
    capacity: int | None
    audience: str
    grades: list[int]
    questions: list[dict[str, object]]
    sittings: list[Sitting]


def check_event(draft: EventDraft, now: datetime) -> CleanEvent:
    """The event (or every sitting of its series) as it will be stored, or the first refusal."""
    if draft.kind not in KINDS:
        raise RuleError("event_bad_kind", "kind")
    if draft.format not in FORMATS:
        raise RuleError("event_bad_format", "format")
    if draft.audience not in AUDIENCES:
        raise RuleError("event_bad_audience", "audience")
    title = bounded_text(draft.title, field="title", limit=TITLE_MAX)
    description = bounded_text(draft.description, field="description", limit=DESCRIPTION_MAX, required=False)
    zone = check_zone(draft.timezone)
    minutes = check_duration(draft.duration_minutes)
    link = check_link(draft.link)
    address = bounded_text(draft.address, field="address", limit=ADDRESS_MAX, required=False)
    if draft.format in ("offline", "hybrid") and not address:
        raise RuleError("event_address_required", "address")
    capacity = check_capacity(draft.capacity)
    if draft.audience == "association" and draft.association_id is None:
        raise RuleError("event_association_required", "association_id")
    sittings = plan_sittings(draft.starts_local, zone, minutes, draft.closes_local, draft.weekly_until, now)
    return CleanEvent(
        kind=draft.kind,
        title=title,
        description=description,
        duration_minutes=minutes,
        hours=academic_hours(minutes),
        timezone=draft.timezone,
        format=draft.format,
        link=link,
        address=address,
        capacity=capacity,
        audience=draft.audience,
        grades=clean_grades(draft.grades),
        questions=clean_questions(draft.questions),
        sittings=sittings,
    )


def plan_sittings(
    starts_local: datetime,
    zone: ZoneInfo,
    minutes: int,
    closes_local: datetime | None,
    weekly_until: date | None,
    now: datetime,
) -> list[Sitting]:
    """One sitting, or one a week up to `weekly_until` inclusive, each at the same wall-clock time in
    the host's zone (a 16:00 webinar stays at 16:00 after a change of daylight saving). A deadline
    keeps its distance before each sitting's start."""
    start = starts_local.replace(tzinfo=None)
    first = to_utc(start, zone)
    if first < now:
        raise RuleError("event_start_in_past", "starts_at")
    lead: timedelta | None = None
    if closes_local is not None:
        closes = to_utc(closes_local.replace(tzinfo=None), zone)
        if closes > first:
            raise RuleError("event_deadline_after_start", "registration_closes_at")
        lead = first - closes
    starts = [start]
    if weekly_until is not None:
        if weekly_until < start.date():
            raise RuleError("event_series_ends_before_start", "weekly_until")
        weeks = (weekly_until - start.date()).days // 7
        if weeks + 1 > MOST_OCCURRENCES:
            raise RuleError("event_series_too_long", "weekly_until", limit=MOST_OCCURRENCES)
        starts = [start + timedelta(weeks=n) for n in range(weeks + 1)]
    sittings = []
    for local in starts:
        begins = to_utc(local, zone)
        sittings.append(
            Sitting(begins, begins + timedelta(minutes=minutes), begins - lead if lead is not None else None)
        )
    return sittings


def to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """A naive wall-clock moment in `zone` as aware UTC."""
    return local.replace(tzinfo=zone).astimezone(UTC)


def check_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise RuleError("event_bad_timezone", "timezone") from None


def check_duration(minutes: int) -> int:
    if minutes <= 0:
        raise RuleError("event_duration_not_positive", "duration_minutes")
    if minutes > LONGEST_MINUTES:
        raise RuleError("event_duration_too_long", "duration_minutes", limit=LONGEST_MINUTES // 60)
    return minutes


def check_capacity(capacity: int | None) -> int | None:
    if capacity is None:
        return None
    if capacity <= 0:
        raise RuleError("event_capacity_not_positive", "capacity")
    if capacity > LARGEST_CAPACITY:
        raise RuleError("event_capacity_too_large", "capacity", limit=LARGEST_CAPACITY)
    return capacity


def check_link(link: str) -> str:
    """An http(s) address with a host, or nothing (the host may add the link later)."""
    value = bounded_text(link, field="link", limit=LINK_MAX, required=False)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise RuleError("event_link_not_http", "link")
    return value


def academic_hours(minutes: int) -> int:
    """Hours on the attendance certificate: 45-minute academic hours, rounded up, at least one."""
    return max(1, ceil(minutes / ACADEMIC_HOUR))


def clean_grades(grades: Iterable[int]) -> list[int]:
    values = sorted(set(grades))
    if any(grade not in GRADES for grade in values):
        raise RuleError("event_bad_grade", "grades")
    return values


def clean_questions(questions: Iterable[str]) -> list[dict[str, object]]:
    """The registration form's questions, numbered q1, q2, …; blank lines are dropped."""
    texts = [" ".join(text.split()) for text in questions if text and text.strip()]
    if len(texts) > QUESTIONS_MAX:
        raise RuleError("event_too_many_questions", "questions", limit=QUESTIONS_MAX)
    if any(len(text) > QUESTION_MAX for text in texts):
        raise RuleError("too_long", "questions", limit=QUESTION_MAX)
    return [{"id": f"q{n}", "text": text, "required": False} for n, text in enumerate(texts, start=1)]
