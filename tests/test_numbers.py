"""The one display rule for numbers (pure, no app) and the filters that apply it by the locale."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.numbers import number, percent, percent_of, rounded, score


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (4.6666667, "4,67"),
        (Decimal("100.0000"), "100"),
        (9.33, "9,33"),
        (1e2, "100"),
        (1250.5, "1\u00a0250,5"),
        (2.005, "2,01"),  # half up, as at school, not to the even neighbour
        (0, "0"),
        (-1.5, "-1,5"),
    ],
)
def test_a_number_is_written_the_russian_way(value: float, shown: str) -> None:
    assert number(value) == shown


def test_english_keeps_its_point_and_comma() -> None:
    assert number(1250.5, "en") == "1,250.5"
    assert score(4.6666667, 5, "en") == "4.67 of 5"


def test_a_score_names_its_maximum() -> None:
    assert score(4.6666667, 5) == "4,67 из 5"
    assert score(None, 5) == "—"
    assert score(3, None) == "3"


def test_shares_keep_one_decimal_and_a_spaced_sign() -> None:
    assert percent(0.9333) == "93,3\u00a0%"
    assert percent(Decimal("0.2667")) == "26,7\u00a0%"
    assert percent_of(93.333) == "93,3\u00a0%"
    assert percent(None) == "—"


def test_rounding_keeps_the_exact_value_apart() -> None:
    exact = Decimal("4.665")
    assert rounded(exact) == Decimal("4.67")
    assert exact == Decimal("4.665")
    assert number(None) == ""
