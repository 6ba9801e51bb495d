"""Jury scoring: criteria, marks, juror totals, aggregation, display: contest_engine.rules.scoring."""

from decimal import Decimal
from fractions import Fraction

import pytest

from contest_engine.rules.ranking import rank
from contest_engine.rules.scoring import (
    Aggregation,
    Criterion,
    MarkError,
    aggregate,
    display,
    entry_score,
    is_disagreement,
    juror_total,
    max_total,
    spread,
    to_fraction,
    validate_marks,
)

D = Decimal
CRITERIA = [
    Criterion("content", D(10), D(2)),
    Criterion("method", D(5)),
    Criterion("speech", D("2.5"), D("0.5")),
]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, Fraction(3)),
        (Fraction(1, 3), Fraction(1, 3)),
        (D("2.50"), Fraction(5, 2)),
        (33.3, Fraction(333, 10)),  # what the organiser typed, not the binary float
        ("7,5", Fraction(15, 2)),
        (" 12 ", Fraction(12)),
    ],
)
def test_to_fraction(value, expected):
    assert to_fraction(value) == expected


@pytest.mark.parametrize("value", [True, None, "abc", float("nan"), float("inf"), D("NaN"), [1]])
def test_to_fraction_refuses(value):
    with pytest.raises(ValueError, match="percent"):
        to_fraction(value, name="percent")


def test_criterion_coerces_to_decimal():
    criterion = Criterion("c", 10, "0,5")
    assert criterion.max_points == D(10) and isinstance(criterion.max_points, Decimal)
    assert criterion.weight == D("0.5")
    assert Criterion("c", D(3)).weight == D(1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("", D(10)), "needs a name"),
        (("  ", D(10)), "needs a name"),
        (("c", D(0)), "max_points must be above 0"),
        (("c", D(-1)), "max_points must be above 0"),
        (("c", D(10), D(-1)), "weight must not be negative"),
        (("c", "ten"), "c.max_points must be a number"),
        (("c", Fraction(1, 3)), "c.max_points must be a decimal number"),
    ],
)
def test_criterion_refuses(args, message):
    with pytest.raises(ValueError, match=message):
        Criterion(*args)


@pytest.mark.parametrize(
    ("marks", "complete", "expected"),
    [
        (
            {"content": 10, "method": D("4.5"), "speech": "2,5"},
            True,
            {"content": D(10), "method": D("4.5"), "speech": D("2.5")},
        ),
        (
            {"speech": 0, "content": "0", "method": 5.0},
            True,
            {"content": D(0), "method": D(5), "speech": D(0)},
        ),
        ({"method": 3}, False, {"method": D(3)}),  # a draft
        ({}, False, {}),
    ],
)
def test_validate_marks_accepts(marks, complete, expected):
    result = validate_marks(CRITERIA, marks, complete=complete)
    assert result == expected
    assert list(result) == [name for name in ("content", "method", "speech") if name in expected]


@pytest.mark.parametrize(
    ("marks", "complete", "errors"),
    [
        ({"content": "ten", "method": 1, "speech": 1}, True, {"content": "not a number"}),
        (
            {"content": True, "method": None, "speech": float("nan")},
            True,
            {n: "not a number" for n in ("content", "method", "speech")},
        ),
        ({"content": D("Infinity"), "method": 1, "speech": 1}, True, {"content": "not a number"}),
        (
            {"content": -1, "method": D("-0.5"), "speech": 1},
            True,
            {"content": "must not be below 0", "method": "must not be below 0"},
        ),
        (
            {"content": D("10.01"), "method": 6, "speech": 1},
            True,
            {"content": "must not be above 10", "method": "must not be above 5"},
        ),
        ({"content": 1, "method": 1, "speech": 1, "style": 3}, True, {"style": "unknown criterion"}),
        ({"content": 1}, True, {"method": "missing", "speech": "missing"}),
        (
            {"colour": 1, "content": 11},
            False,
            {"colour": "unknown criterion", "content": "must not be above 10"},
        ),
    ],
)
def test_validate_marks_reports_every_criterion(marks, complete, errors):
    with pytest.raises(MarkError) as caught:
        validate_marks(CRITERIA, marks, complete=complete)
    assert caught.value.errors == errors
    for name, message in errors.items():
        assert f"{name}: {message}" in str(caught.value)


def test_validate_marks_refuses_duplicate_criteria():
    with pytest.raises(ValueError, match="unique"):
        validate_marks([Criterion("a", D(1)), Criterion("a", D(2))], {})


@pytest.mark.parametrize(
    ("marks", "total"),
    [
        ({"content": D(10), "method": D(5), "speech": D("2.5")}, D("26.25")),
        ({"content": D(0), "method": D(0), "speech": D(0)}, D(0)),
        ({"content": D("7.5"), "method": D(3), "speech": D("1.5")}, D("18.75")),
    ],
)
def test_juror_total_is_the_weighted_sum(marks, total):
    assert juror_total(CRITERIA, marks) == total


def test_juror_total_is_exact_for_long_decimals():
    criteria = [Criterion("a", D(1), D("0.333333333333333333333333333333"))]
    total = juror_total(criteria, {"a": D("0.999999999999999999999999999999")})
    assert Fraction(total) == Fraction("0.333333333333333333333333333333") * Fraction(
        "0.999999999999999999999999999999"
    )


def test_juror_total_refuses_missing_marks():
    with pytest.raises(MarkError) as caught:
        juror_total(CRITERIA, {"content": D(1)})
    assert caught.value.errors == {"method": "missing"}


def test_max_total():
    assert max_total(CRITERIA) == D("26.25")
    assert max_total([]) == D(0)


@pytest.mark.parametrize(
    ("totals", "method", "expected"),
    [
        # mean
        ([D(10)], Aggregation.MEAN, Fraction(10)),
        ([D(10), D(11), D(11)], "mean", Fraction(32, 3)),  # exact: no 10.666...7
        ([D("7.5"), Fraction(1, 2)], "mean", Fraction(4)),
        # median: odd and even counts
        ([D(3), D(1), D(2)], "median", Fraction(2)),
        ([D(9), D(1), D(5), D(7), D(3)], "median", Fraction(5)),
        ([D(4), D(1), D(3), D(2)], "median", Fraction(5, 2)),
        ([D(1), D(2)], "median", Fraction(3, 2)),
        ([D(8)], "median", Fraction(8)),
        ([Fraction(1, 3), Fraction(1, 2)], "median", Fraction(5, 12)),
        # trimmed mean: 1 and 2 jurors are a plain mean, 3+ drop one highest and one lowest
        ([D(6)], "trimmed_mean", Fraction(6)),
        ([D(2), D(9)], "trimmed_mean", Fraction(11, 2)),
        ([D(0), D(5), D(100)], "trimmed_mean", Fraction(5)),
        ([D(0), D(4), D(5), D(100)], "trimmed_mean", Fraction(9, 2)),
        ([D(10), D(10), D(10), D(1)], "trimmed_mean", Fraction(10)),  # only one of the equal highs goes
        ([D(1), D(2), D(3), D(4), D(50)], "trimmed_mean", Fraction(3)),
        # sum
        ([D("1.25"), D("2.5"), 3], "sum", Fraction(27, 4)),
        ([Fraction(1, 3), Fraction(2, 3), D(1)], Aggregation.SUM, Fraction(2)),
    ],
)
def test_aggregate(totals, method, expected):
    result = aggregate(totals, method)
    assert result == expected
    assert isinstance(result, Fraction)


@pytest.mark.parametrize("method", list(Aggregation))
def test_aggregate_without_totals_is_an_error(method):
    with pytest.raises(ValueError, match="no juror totals"):
        aggregate([], method)


def test_aggregate_refuses_an_unknown_method():
    with pytest.raises(ValueError, match="average"):
        aggregate([D(1)], "average")


def test_entry_score_from_marks():
    marks = {
        1: {"content": D(10), "method": D(5), "speech": D("2.5")},  # 26.25
        2: {"content": D(5), "method": D(5), "speech": D(0)},  # 15
        3: {"content": D(0), "method": D(0), "speech": D(0)},  # 0
    }
    assert entry_score(CRITERIA, marks, "trimmed_mean") == Fraction(15)
    assert entry_score(CRITERIA, marks, "mean") == Fraction(4125, 300)


@pytest.mark.parametrize(
    ("totals", "threshold", "gap", "flag"),
    [
        ([D(5)], 0, Fraction(0), False),
        ([D(5), D(9), D(7)], 4, Fraction(4), False),  # exactly the threshold: not flagged
        ([D(5), D(9), D(7)], D("3.99"), Fraction(4), True),
        ([Fraction(1, 3), D(1)], "0.5", Fraction(2, 3), True),
    ],
)
def test_spread_and_disagreement(totals, threshold, gap, flag):
    assert spread(totals) == gap
    assert is_disagreement(totals, threshold) is flag


def test_spread_without_totals_is_an_error():
    with pytest.raises(ValueError, match="no juror totals"):
        spread([])


@pytest.mark.parametrize(
    ("score", "text"),
    [
        (Fraction(0), "0.00"),
        (7, "7.00"),
        (Fraction(2345, 1000), "2.35"),  # half up, where bankers' rounding would give 2.34
        (D("2.345"), "2.35"),
        (D("2.344999"), "2.34"),
        (Fraction(1, 3), "0.33"),
        (Fraction(2, 3), "0.67"),
        (Fraction(32, 3), "10.67"),
        (Fraction(1, 200), "0.01"),
        (Fraction(-1, 200), "-0.01"),  # half away from zero
        (Fraction(-1, 300), "0.00"),  # no "-0.00"
        (Fraction(-7, 2), "-3.50"),
        (D("123456789012345678901234567890.125"), "123456789012345678901234567890.13"),
    ],
)
def test_display(score, text):
    assert display(score) == text


def test_10000_entries_7_jurors_10_criteria_ranked():
    criteria = [Criterion(f"c{i}", D(10), D("1.5") if i % 2 else D(1)) for i in range(10)]
    marks = {
        entry: {
            juror: {f"c{i}": D((entry * 31 + juror * 7 + i) % 21) / 2 for i in range(10)}
            for juror in range(7)
        }
        for entry in range(10_000)
    }
    ranked = rank(
        (entry, entry_score(criteria, by_juror, "trimmed_mean")) for entry, by_juror in marks.items()
    )
    assert len(ranked) == 10_000
