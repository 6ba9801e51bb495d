"""Pure rules of monitoring: academic years (September–August in Moscow, labels, the year
parameter), award classes from titles, and the figures' shares (never a division by zero)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from monitoring.academic_year import YearError, academic_year, parse_year, year_bounds, year_label, year_start
from monitoring.award_classes import LAUREATE, PRIZE_WINNER, WINNER, award_class
from monitoring.figures import add_up, complete, share


@pytest.mark.parametrize(
    "moment, year",
    [
        (datetime(2025, 8, 31, 20, 59, 59, tzinfo=UTC), 2024),  # 23:59:59 on 31 August in Moscow
        (datetime(2025, 8, 31, 21, 0, tzinfo=UTC), 2025),  # midnight of 1 September in Moscow
        (datetime(2026, 6, 30, tzinfo=UTC), 2025),
        (datetime(2026, 1, 1), 2025),  # a naive moment is taken as UTC
        (datetime(2010, 8, 31, 20, 30, tzinfo=UTC), 2010),  # MSK+4 then: already 1 September
    ],
)
def test_academic_year_by_the_moscow_clock(moment: datetime, year: int) -> None:
    assert academic_year(moment) == year


def test_bounds_and_labels() -> None:
    start, end = year_bounds(2025)
    assert start == datetime(2025, 8, 31, 21, 0, tzinfo=UTC) and end == year_start(2026)
    assert academic_year(start) == 2025 and academic_year(end - timedelta(microseconds=1)) == 2025
    assert year_label(2025) == "2025/26" and year_label(2099) == "2099/00"


@pytest.mark.parametrize(
    "text, year",
    [
        ("2024", 2024),
        ("2024/25", 2024),
        (" 2024 / 25 ", 2024),
        ("2024-2025", 2024),
        ("2024–25", 2024),
        (2023, 2023),
        (None, 2025),
        ("", 2025),
        ("2000", 2000),
        ("2099/00", None),
    ],
)
def test_parse_year(text: str | int | None, year: int | None) -> None:
    if year is None:
        with pytest.raises(YearError):
            parse_year(text, current=2025)
    else:
        assert parse_year(text, current=2025) == year


@pytest.mark.parametrize(
    "text",
    ["2026", "1999", "2024/26", "2024-2026", "24/25", "год", "2024/25/26", "20245", "２０２４", "2024\x00"],
)
def test_parse_year_refuses(text: str) -> None:
    with pytest.raises(YearError):
        parse_year(text, current=2025)


@pytest.mark.parametrize(
    "title, klass",
    [
        ("Победитель", WINNER),
        ("ПОБЕДИТЕЛЬ муниципального этапа", WINNER),
        ("Winner", WINNER),
        ("Призёр", PRIZE_WINNER),
        ("Призер II степени", PRIZE_WINNER),
        ("Prize-winner", PRIZE_WINNER),
        ("Лауреат", LAUREATE),
        ("Диплом лауреата", LAUREATE),
        ("Laureate", LAUREATE),
        ("Лауреат (победитель в номинации)", WINNER),
        ("Специальный приз жюри", LAUREATE),
        ("Диплом I степени", LAUREATE),
        ("", LAUREATE),
    ],
)
def test_award_class(title: str, klass: str) -> None:
    assert award_class(title) == klass


def test_share_rounds_half_up_and_never_divides_by_zero() -> None:
    assert share(1, 3) == Decimal("0.3333") and share(2, 3) == Decimal("0.6667")
    assert share(0, 0) == Decimal("0.0000") and share(5, 0) == Decimal("0.0000")
    assert str(share(21, 50)) == "0.4200"


def test_totals_derive_shares_from_sums_not_from_shares() -> None:
    big = complete("olympiads", {"participants": 100, "winners": 40})
    small = complete("olympiads", {"participants": 2, "winners": 0})
    assert big["awarded_share"] == Decimal("0.4000") and small["awarded_share"] == Decimal("0")
    total = add_up("olympiads", [big, small])
    assert total["participants"] == 102 and total["awarded_share"] == Decimal("0.3922")
    assert complete("activity", {})["activity_index"] == Decimal("0")
