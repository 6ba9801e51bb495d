"""Course rules without an app: completion, locking, timing, rubrics, gradebook totals, CSV."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from courses import messages, rules
from courses.email_list import looks_like_email, read_email_rows
from courses.rules import GradeCell, ItemFacts, Status, Timing

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
D = Decimal


@pytest.mark.parametrize(
    ("hidden", "visible_from", "expected"),
    [
        (False, None, True),
        (True, None, False),
        (False, NOW - timedelta(minutes=1), True),
        (False, NOW, True),
        (False, NOW + timedelta(minutes=1), False),
        (True, NOW - timedelta(days=1), False),
    ],
)
def test_is_visible(hidden, visible_from, expected) -> None:  # type: ignore[no-untyped-def]
    assert rules.is_visible(hidden, visible_from, NOW) is expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (ItemFacts(1, "viewed"), False),
        (ItemFacts(1, "viewed", viewed=True), True),
        (ItemFacts(1, "submitted", viewed=True), False),
        (ItemFacts(1, "submitted", submitted=True), True),
        (ItemFacts(1, "graded", submitted=True), False),
        (ItemFacts(1, "graded", points=D("0")), True),
        (ItemFacts(1, "graded", completion_points=D("6"), points=D("5.99")), False),
        (ItemFacts(1, "graded", completion_points=D("6"), points=D("6")), True),
        (ItemFacts(1, "none"), False),
        (ItemFacts(1, "none", viewed=True), True),
    ],
)
def test_is_complete(facts: ItemFacts, expected: bool) -> None:
    assert rules.is_complete(facts) is expected


def test_progress_counts_required_items_and_locks_behind_prerequisites() -> None:
    result = rules.progress(
        [
            ItemFacts(1, "viewed", viewed=True),
            ItemFacts(2, "submitted", prerequisite_id=1),
            ItemFacts(3, "graded", completion_points=D("5"), points=D("4"), prerequisite_id=2),
            ItemFacts(4, "none", prerequisite_id=1),
        ]
    )
    assert (result.done, result.required, result.percent) == (1, 3, 33)
    assert result.locked_by == {3: 2}
    assert not result.course_complete


def test_progress_complete_and_empty() -> None:
    assert rules.progress([ItemFacts(1, "viewed", viewed=True)]).course_complete
    empty = rules.progress([ItemFacts(1, "none")])
    assert (empty.percent, empty.course_complete) == (0, False)


@pytest.mark.parametrize(
    ("due", "cutoff", "expected"),
    [
        (None, None, Timing.ON_TIME),
        (NOW + timedelta(hours=1), None, Timing.ON_TIME),
        (NOW, NOW + timedelta(days=1), Timing.ON_TIME),
        (NOW - timedelta(seconds=1), None, Timing.LATE),
        (NOW - timedelta(days=1), NOW + timedelta(days=1), Timing.LATE),
        (NOW - timedelta(days=2), NOW - timedelta(seconds=1), Timing.CLOSED),
        (None, NOW - timedelta(seconds=1), Timing.CLOSED),
    ],
)
def test_submission_timing(due, cutoff, expected) -> None:  # type: ignore[no-untyped-def]
    assert rules.submission_timing(NOW, due, cutoff) is expected


@pytest.mark.parametrize(
    ("submitted", "late", "graded", "expected"),
    [
        (False, False, False, Status.NOT_SUBMITTED),
        (True, False, False, Status.SUBMITTED),
        (True, True, False, Status.LATE),
        (True, True, True, Status.GRADED),
    ],
)
def test_submission_status(submitted, late, graded, expected) -> None:  # type: ignore[no-untyped-def]
    assert rules.submission_status(submitted, late, graded) is expected


RUBRIC = [
    {"name": "Content", "levels": [{"label": "weak", "points": 0}, {"label": "good", "points": "6"}]},
    {"name": "Form", "levels": [{"label": "ok", "points": 1.5}, {"label": "fine", "points": 4}]},
]


def test_rubric_max_and_points() -> None:
    clean = rules.check_rubric(RUBRIC)
    assert rules.rubric_max(clean) == D("10")
    assert rules.rubric_points(clean, {"Content": 1, "Form": 0}) == D("7.5")


@pytest.mark.parametrize(
    "chosen", [{}, {"Content": 1}, {"Content": 2, "Form": 0}, {"Content": "1", "Form": 0}]
)
def test_rubric_points_needs_a_valid_level_per_criterion(chosen) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(rules.RubricError):
        rules.rubric_points(rules.check_rubric(RUBRIC), chosen)


@pytest.mark.parametrize(
    "rubric",
    [
        "x",
        [1],
        [{"name": "", "levels": [{"points": 1}]}],
        [{"name": "A", "levels": []}],
        [{"name": "A", "levels": [{"points": -1}]}],
        [{"name": "A", "levels": [{"points": "x"}]}],
        [{"name": "A", "levels": [{"points": 1}]}, {"name": "A", "levels": [{"points": 1}]}],
        [{"name": "A", "levels": ["x"]}],
    ],
)
def test_check_rubric_refuses(rubric) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(rules.RubricError):
        rules.check_rubric(rubric)


@pytest.mark.parametrize(
    "call",
    [
        lambda: rules.check_rubric("x"),
        lambda: rules.check_rubric([{"name": "A", "levels": []}]),
        lambda: rules.rubric_points(rules.check_rubric(RUBRIC), {}),
        lambda: rules.check_points(D("11"), D("10")),
        lambda: rules.move([1], 5, "up"),
    ],
)
def test_rule_errors_carry_a_code_with_a_message_and_a_field(call) -> None:  # type: ignore[no-untyped-def]
    """Callers learn which rule refused by its code, never by English text (issue 10)."""
    with pytest.raises(rules.RuleError) as refused:
        call()
    assert refused.value.code in messages.MESSAGES
    assert refused.value.field in {"rubric", "points", "id"}


def test_check_points() -> None:
    rules.check_points(D("10"), D("10"))
    for bad in (D("-0.01"), D("10.01")):
        with pytest.raises(ValueError):
            rules.check_points(bad, D("10"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7,5", D("7.5")),
        (3, D("3")),
        ("x", None),
        (None, None),
        (True, None),
        ("NaN", None),
        ("inf", None),
    ],
)
def test_to_decimal(raw, expected) -> None:  # type: ignore[no-untyped-def]
    assert rules.to_decimal(raw) == expected


CELLS = [
    GradeCell(D("8"), D("10"), D("1")),  # 80 %
    GradeCell(None, D("20"), D("1")),  # missing
    GradeCell(D("5"), D("5"), D("2")),  # 100 %, double weight
]


@pytest.mark.parametrize(
    ("missing", "expected"),
    [
        ("zero", Fraction(80 + 0 + 200, 4)),
        ("exclude", Fraction(80 + 200, 3)),
    ],
)
def test_course_total_weighted_mean(missing: str, expected: Fraction) -> None:
    assert rules.course_total(CELLS, missing) == expected


def test_course_total_edge_cases() -> None:
    assert rules.course_total([], "zero") is None
    assert rules.course_total([GradeCell(None, D("10"), D("1"))], "exclude") is None
    assert rules.course_total([GradeCell(D("3"), D("10"), D("0"))], "zero") is None
    assert rules.course_total([GradeCell(D("1"), D("3"), D("1"))], "zero") == Fraction(100, 3)


def test_display_rounds_half_up_only_for_show() -> None:
    assert rules.display(Fraction(100, 3)) == "33.3"
    assert rules.display(Fraction(1, 8), 2) == "0.13"
    assert rules.display(D("2.25")) == "2.3"
    assert rules.display(None) == ""


@pytest.mark.parametrize(
    ("direction", "moving", "expected"),
    [
        ("up", 2, [2, 1, 3]),
        ("down", 2, [1, 3, 2]),
        ("up", 1, [1, 2, 3]),
        ("down", 3, [1, 2, 3]),
    ],
)
def test_move(direction: str, moving: int, expected: list[int]) -> None:
    assert rules.move([1, 2, 3], moving, direction) == expected


def test_move_unknown() -> None:
    with pytest.raises(ValueError):
        rules.move([1], 5, "up")


def test_read_email_rows_keeps_the_first_of_each_address_and_the_typed_text_of_bad_ones() -> None:
    rows = [
        (2, "A,A@x.org", "A@x.org"),
        (3, "B,Bad", "Bad"),
        (5, "C,a@x.org", " a@x.org "),
        (6, "D,d@y.ru", "d@y.ru"),
    ]
    emails, errors = read_email_rows(rows)
    assert [(e.line, e.email, e.text) for e in emails] == [
        (2, "a@x.org", "A,A@x.org"),
        (6, "d@y.ru", "D,d@y.ru"),
    ]
    assert [(b.line, b.text, b.value) for b in errors] == [(3, "B,Bad", "Bad")]


@pytest.mark.parametrize(
    ("value", "ok"),
    [("a@x.org", True), ("@x", False), ("a@", False), ("a b@x.org", False), ("", False), ("a@b@c.ru", True)],
)
def test_looks_like_email(value: str, ok: bool) -> None:
    assert looks_like_email(value) is ok
