"""Pure rules of attendance: the check-in window, the code, a feedback score, the recording's address,
a library material's number, the average and the academic hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from community.events import attendance_rules as rules
from community.events.event_rules import academic_hours
from community.rules import RuleError

START = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
END = START + timedelta(minutes=90)


def _code(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(RuleError) as caught:
        call()
    return caught.value.code


def test_check_in_opens_a_quarter_of_an_hour_before_and_closes_at_the_end() -> None:
    rules.check_window(START, END, START - timedelta(minutes=15))
    rules.check_window(START, END, END)
    assert _code(lambda: rules.check_window(START, END, START - timedelta(minutes=16))) == "checkin_not_open"
    assert _code(lambda: rules.check_window(START, END, END + timedelta(seconds=1))) == "checkin_closed"


def test_the_host_marks_from_the_window_on_and_later_too() -> None:
    rules.check_marking_time(START, END + timedelta(days=30))
    assert _code(lambda: rules.check_marking_time(START, START - timedelta(hours=1))) == "marking_not_open"


def test_the_code_forgives_spaces_and_dashes_but_not_a_wrong_digit() -> None:
    rules.check_code("482913", " 482 913 ")
    rules.check_code("482913", "482-913")
    assert _code(lambda: rules.check_code("482913", "482914")) == "wrong_code"
    assert _code(lambda: rules.check_code("482913", "")) == "required"
    assert _code(lambda: rules.check_code("482913", None)) == "required"
    assert _code(lambda: rules.check_code("", "123")) == "wrong_code"  # an event without a code


def test_a_score_is_a_whole_number_from_one_to_five() -> None:
    assert rules.clean_score(5) == 5 and rules.clean_score(" 1 ") == 1
    for bad in (0, 6, -1, "5.0", "пять", None, True, 4.5):
        assert _code(lambda bad=bad: rules.clean_score(bad)) == "score_range"


def test_comment_is_optional_and_bounded() -> None:
    assert rules.clean_comment("  Полезно ") == "Полезно" and rules.clean_comment(None) == ""
    assert _code(lambda: rules.clean_comment("я" * (rules.COMMENT_LIMIT + 1))) == "too_long"


def test_the_recording_is_http_only() -> None:
    assert rules.clean_recording_url(" https://rutube.ru/video/1 ") == "https://rutube.ru/video/1"
    assert rules.clean_recording_url("") == ""
    for bad in ("javascript:alert(1)", "ftp://x.org/a", "rutube.ru/video", "https:// x"):
        assert _code(lambda bad=bad: rules.clean_recording_url(bad)) == "not_http"


def test_a_material_by_number_or_address() -> None:
    assert rules.material_id_of("12") == 12
    assert rules.material_id_of("https://vmeste.local/library/materials/34?tab=files") == 34
    assert rules.material_id_of("/library/materials/7") == 7
    assert _code(lambda: rules.material_id_of("")) == "required"
    for bad in ("/forums/3", "0", "99999999999", "материал"):
        assert _code(lambda bad=bad: rules.material_id_of(bad)) == "not_material"


def test_average_to_two_places_and_hours_by_45_minutes() -> None:
    assert rules.average(14, 3) == Decimal("4.67")
    assert rules.average(0, 0) is None
    assert [academic_hours(m) for m in (1, 45, 46, 90, 91)] == [1, 1, 2, 2, 3]
