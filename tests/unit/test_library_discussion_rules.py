"""The discussion's pure rules without an app: comment text, threading, the edit window, stars,
the average."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from community.library import discussion_rules as rules
from community.library.messages import MESSAGES
from community.rules import RuleError

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("given", "expected"),
    [("  Спасибо!  ", "Спасибо!"), ("**жирно**", "**жирно**"), ("я" * 5000, "я" * 5000)],
)
def test_comment_text_is_stripped(given: str, expected: str) -> None:
    assert rules.comment_text(given) == expected


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("", "comment_empty"),
        ("   \n\t", "comment_empty"),
        (None, "comment_empty"),
        (5, "comment_empty"),
        ("я" * 5001, "too_long"),
    ],
)
def test_comment_text_refusals(given: object, code: str) -> None:
    with pytest.raises(RuleError) as refused:
        rules.comment_text(given)
    assert (refused.value.code, refused.value.field) == (code, "text")
    assert refused.value.code in MESSAGES


def test_reason_required_only_for_hiding() -> None:
    assert rules.reason_text("  ", required=False) == ""
    with pytest.raises(RuleError) as refused:
        rules.reason_text("  ", required=True)
    assert (refused.value.code, refused.value.field) == ("required", "reason")
    with pytest.raises(RuleError) as refused:
        rules.reason_text("x" * 501, required=False)
    assert refused.value.code == "too_long"


@pytest.mark.parametrize(
    ("parent_id", "parent", "expected"),
    [
        (None, None, None),  # a top comment
        (7, rules.ParentFacts(material_id=1, parent_id=None), 7),  # a reply to a top comment
        (8, rules.ParentFacts(material_id=1, parent_id=7), 7),  # a reply to a reply joins the thread
    ],
)
def test_thread_root(parent_id: int | None, parent: rules.ParentFacts | None, expected: int | None) -> None:
    assert rules.thread_root(1, parent_id, parent) == expected


@pytest.mark.parametrize(
    "parent",
    [None, rules.ParentFacts(material_id=2, parent_id=None), rules.ParentFacts(material_id=2, parent_id=5)],
)
def test_unknown_or_foreign_parent_is_refused(parent: rules.ParentFacts | None) -> None:
    with pytest.raises(RuleError) as refused:
        rules.thread_root(1, 9, parent)
    assert (refused.value.code, refused.value.field) == ("parent_unknown", "parent_id")


@pytest.mark.parametrize(
    ("age", "open_"),
    [
        (timedelta(0), True),
        (timedelta(minutes=29, seconds=59), True),
        (timedelta(minutes=30), True),
        (timedelta(minutes=30, seconds=1), False),
        (timedelta(days=1), False),
    ],
)
def test_edit_window(age: timedelta, open_: bool) -> None:
    assert rules.within_edit_window(NOW - age, NOW) is open_
    if open_:
        rules.check_edit_window(NOW - age, NOW)
    else:
        with pytest.raises(RuleError) as refused:
            rules.check_edit_window(NOW - age, NOW)
        assert refused.value.code == "edit_window_closed" and refused.value.params == {"minutes": 30}


@pytest.mark.parametrize("value", [1, 3, 5])
def test_stars_accepted(value: int) -> None:
    assert rules.stars(value) == value


@pytest.mark.parametrize("value", [0, 6, -1, "5", 4.0, True, None, [5]])
def test_stars_refused(value: object) -> None:
    with pytest.raises(RuleError) as refused:
        rules.stars(value)
    assert (refused.value.code, refused.value.field) == ("stars_range", "stars")


@pytest.mark.parametrize(
    ("total", "count", "expected", "filled"),
    [
        (0, 0, None, 0),
        (14, 3, Decimal("4.67"), 5),
        (5, 1, Decimal("5.00"), 5),
        (9, 2, Decimal("4.50"), 5),
        (13, 3, Decimal("4.33"), 4),
        (1, 3, Decimal("0.33"), 0),
    ],
)
def test_average_and_stars_drawn(total: int, count: int, expected: Decimal | None, filled: int) -> None:
    assert rules.average(total, count) == expected
    assert rules.filled_stars(expected) == filled
