"""The calendar's pure rules: every refusal by its code and field, the academic hours, and a weekly
series that keeps the host's wall-clock time across the end of daylight saving."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from community.events.event_rules import (
    EventDraft,
    academic_hours,
    check_event,
    clean_questions,
)
from community.rules import RuleError

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
DRAFT = EventDraft(
    kind="webinar",
    title="  Формирующее оценивание  ",
    description="Приёмы **обратной связи**.",
    starts_local=datetime(2026, 9, 10, 16, 0),
    duration_minutes=90,
    timezone="Europe/Moscow",
    format="online",
    link="https://meet.example.org/room",
)


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"kind": "party"}, "event_bad_kind", "kind"),
        ({"format": "radio"}, "event_bad_format", "format"),
        ({"audience": "everyone"}, "event_bad_audience", "audience"),
        ({"title": "   "}, "required", "title"),
        ({"title": "я" * 301}, "too_long", "title"),
        ({"timezone": "Mars/Olympus"}, "event_bad_timezone", "timezone"),
        ({"duration_minutes": 0}, "event_duration_not_positive", "duration_minutes"),
        ({"duration_minutes": -30}, "event_duration_not_positive", "duration_minutes"),
        ({"duration_minutes": 12 * 60 + 1}, "event_duration_too_long", "duration_minutes"),
        ({"capacity": 0}, "event_capacity_not_positive", "capacity"),
        ({"capacity": -5}, "event_capacity_not_positive", "capacity"),
        ({"capacity": 100_001}, "event_capacity_too_large", "capacity"),
        ({"link": "javascript:alert(1)"}, "event_link_not_http", "link"),
        ({"link": "ftp://files.example.org"}, "event_link_not_http", "link"),
        ({"link": "https://"}, "event_link_not_http", "link"),
        ({"link": "https://a b.org"}, "event_link_not_http", "link"),
        ({"format": "offline", "address": ""}, "event_address_required", "address"),
        ({"format": "hybrid", "address": " "}, "event_address_required", "address"),
        ({"audience": "association"}, "event_association_required", "association_id"),
        ({"starts_local": datetime(2026, 9, 1, 11, 59)}, "event_start_in_past", "starts_at"),
        (
            {"closes_local": datetime(2026, 9, 10, 16, 1)},
            "event_deadline_after_start",
            "registration_closes_at",
        ),
        ({"weekly_until": date(2026, 9, 9)}, "event_series_ends_before_start", "weekly_until"),
        ({"weekly_until": date(2027, 9, 20)}, "event_series_too_long", "weekly_until"),
        ({"grades": (0,)}, "event_bad_grade", "grades"),
        ({"grades": (12,)}, "event_bad_grade", "grades"),
        ({"questions": tuple(f"Вопрос {n}" for n in range(11))}, "event_too_many_questions", "questions"),
    ],
)
def test_check_event_refuses(changes: dict[str, object], code: str, field: str) -> None:
    with pytest.raises(RuleError) as refused:
        check_event(replace(DRAFT, **changes), NOW)  # type: ignore[arg-type]
    assert (refused.value.code, refused.value.field) == (code, field)


def test_check_event_cleans_a_single_event() -> None:
    clean = check_event(replace(DRAFT, capacity=30, grades=(7, 5, 7)), NOW)
    assert clean.title == "Формирующее оценивание"
    assert clean.hours == 2
    assert clean.grades == [5, 7]
    assert len(clean.sittings) == 1
    sitting = clean.sittings[0]
    assert sitting.starts_at == datetime(2026, 9, 10, 13, 0, tzinfo=UTC)  # 16:00 in Moscow (UTC+3)
    assert sitting.ends_at == datetime(2026, 9, 10, 14, 30, tzinfo=UTC)
    assert sitting.closes_at is None


def test_offline_with_an_address_and_no_link_is_accepted() -> None:
    clean = check_event(replace(DRAFT, format="offline", link="", address=" Лицей № 1, ауд. 12 "), NOW)
    assert (clean.link, clean.address) == ("", "Лицей № 1, ауд. 12")


def test_a_weekly_series_keeps_the_wall_clock_time_across_daylight_saving() -> None:
    """Berlin leaves summer time on 25 October 2026: the 16:00 webinar moves from 14:00 to 15:00 UTC."""
    draft = replace(
        DRAFT,
        timezone="Europe/Berlin",
        starts_local=datetime(2026, 10, 15, 16, 0),
        closes_local=datetime(2026, 10, 14, 16, 0),
        weekly_until=date(2026, 11, 5),
    )
    sittings = check_event(draft, NOW).sittings
    assert [s.starts_at for s in sittings] == [
        datetime(2026, 10, 15, 14, 0, tzinfo=UTC),
        datetime(2026, 10, 22, 14, 0, tzinfo=UTC),
        datetime(2026, 10, 29, 15, 0, tzinfo=UTC),
        datetime(2026, 11, 5, 15, 0, tzinfo=UTC),
    ]
    assert all((s.starts_at - s.closes_at).days == 1 for s in sittings if s.closes_at)


def test_the_series_end_day_is_included() -> None:
    sittings = check_event(replace(DRAFT, weekly_until=date(2026, 9, 24)), NOW).sittings
    assert len(sittings) == 3


@pytest.mark.parametrize(("minutes", "hours"), [(1, 1), (45, 1), (46, 2), (90, 2), (91, 3), (720, 16)])
def test_academic_hours(minutes: int, hours: int) -> None:
    assert academic_hours(minutes) == hours


def test_questions_are_numbered_and_blank_lines_dropped() -> None:
    assert clean_questions(["Какой класс?", "  ", " Стаж  работы "]) == [
        {"id": "q1", "text": "Какой класс?", "required": False},
        {"id": "q2", "text": "Стаж работы", "required": False},
    ]
    with pytest.raises(RuleError):
        clean_questions(["я" * 301])
