"""Charts of a report (pure: no app): inline SVG without the style attributes the CSP forbids,
labelled for screen readers, the numbers for the table under each chart, zero shares without a
division by zero, names with «$» or markup drawn as text, and the cache keyed by computed_at."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from monitoring import charts
from monitoring.charts import main_column, report_charts, share
from monitoring.report_shape import Column, Figure, Report, Row

LABELS = {"name": "Район", "year": "Учебный год", "stack": "Доли результатов"}
COLUMNS = [
    Column("participants", "Участники"),
    Column("winners", "Победители"),
    Column("prize_winners", "Призёры"),
    Column("laureates", "Лауреаты"),
    Column("awarded_share", "Доля награждённых", share=True),
]


def fmt(value: Figure, is_share: bool) -> str:
    return f"{Decimal(value) * 100:.0f} %" if is_share else str(value)


def _report(computed: datetime | None = None, names: tuple[str, ...] = ("Центр", "Север")) -> Report:
    rows = [
        Row("district", n, name, {"participants": 10 * n, "winners": n, "prize_winners": 1, "laureates": 0,
                                  "awarded_share": share(n + 1, 10 * n)})
        for n, name in enumerate(names, start=1)
    ]  # fmt: skip
    totals: dict[str, Figure] = {"participants": 30, "awarded_share": Decimal("0.1667")}
    return Report(
        name="olympiads", title="Олимпиады", year=2025, computed_at=computed, columns=COLUMNS, rows=rows,
        totals=totals, previous_totals={"participants": 0, "awarded_share": Decimal(0)},
        trend={2024: {"awarded_share": Decimal(0)}, 2025: {"awarded_share": Decimal("0.1667")}},
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    charts.clear_cache()


def test_bars_trend_and_stack_with_their_numbers() -> None:
    drawn = report_charts(_report(), labels=LABELS, fmt=fmt, cache_key="t")
    assert [chart.kind for chart in drawn] == ["bars", "trend", "stack"]
    bars, trend, stack = drawn
    assert bars.headers == ("Район", "Доля награждённых")
    assert bars.rows == (("Центр", (Decimal("0.2000"),)), ("Север", (Decimal("0.1500"),)))
    assert trend.rows == (("2024/25", (Decimal(0),)), ("2025/26", (Decimal("0.1667"),)))
    assert stack.headers == ("Район", "Победители", "Призёры", "Лауреаты")
    assert stack.rows[0] == ("Центр", (Decimal("0.1000"), Decimal("0.1000"), Decimal(0)))
    assert stack.shares == (True, True, True)
    for chart in drawn:
        assert chart.svg.startswith("<svg") and 'role="img"' in chart.svg and 'width="100%"' in chart.svg
        assert " style=" not in chart.svg and "<style" not in chart.svg and "<metadata" not in chart.svg
        assert "<?xml" not in chart.svg and "<!DOCTYPE" not in chart.svg
    assert "Центр" in bars.svg and "20 %" in bars.svg  # text stays text, the value at the bar's end


def test_kinds_choose_the_charts() -> None:
    drawn = report_charts(_report(), labels=LABELS, fmt=fmt, cache_key="t", kinds=("trend",))
    assert [chart.kind for chart in drawn] == ["trend"]


def test_names_with_markup_and_dollars_are_drawn_as_text() -> None:
    report = _report(names=("<b>Школа</b> & «$5$»", "Север"))
    bars = report_charts(report, labels=LABELS, fmt=fmt, cache_key="t", kinds=("bars",))[0]
    assert "<b>" not in bars.svg and "&lt;b&gt;Школа&lt;/b&gt; &amp; «$5$»" in bars.svg


def test_zero_participants_give_zero_shares() -> None:
    assert share(3, 0) == Decimal(0)
    assert share(1, 3) == Decimal("0.3333")
    report = _report(names=("Пусто",))
    empty = Row("district", 9, "Пусто", {"participants": 0, "winners": 0, "awarded_share": Decimal(0)})
    report = Report(**{**report.__dict__, "rows": [empty]})
    stack = report_charts(report, labels=LABELS, fmt=fmt, cache_key="t", kinds=("stack",))[0]
    assert stack.rows == (("Пусто", (Decimal(0), Decimal(0), Decimal(0))),)


def test_a_chart_is_drawn_once_per_computation() -> None:
    computed = datetime(2025, 11, 1, 9, tzinfo=UTC)
    first = report_charts(_report(computed), labels=LABELS, fmt=fmt, cache_key="t")
    again = report_charts(_report(computed), labels=LABELS, fmt=fmt, cache_key="t")
    assert all(a is b for a, b in zip(first, again, strict=True))
    later = report_charts(
        _report(datetime(2025, 11, 1, 10, tzinfo=UTC)), labels=LABELS, fmt=fmt, cache_key="t"
    )
    assert all(a is not b for a, b in zip(first, later, strict=True))
    other_scope = report_charts(_report(computed), labels=LABELS, fmt=fmt, cache_key="u")
    assert other_scope[0] is not first[0]


def test_many_rows_draw_the_first_forty_and_tabulate_all() -> None:
    report = _report(names=tuple(f"Школа № {n}" for n in range(60)))
    bars = report_charts(report, labels=LABELS, fmt=fmt, cache_key="t", kinds=("bars",))[0]
    assert len(bars.rows) == 60
    assert bars.svg.count("Школа № ") == charts.MAX_BARS


def test_main_column_is_the_first_share_else_the_first_count() -> None:
    assert main_column(_report()) == COLUMNS[-1]
    counts = Report(**{**_report().__dict__, "columns": COLUMNS[:2]})
    assert main_column(counts) == COLUMNS[0]
    assert (
        report_charts(Report(**{**_report().__dict__, "columns": []}), labels=LABELS, fmt=fmt, cache_key=1)
        == []
    )


@pytest.mark.parametrize("name", ["qualification", "activity"])
def test_a_report_of_one_share_has_no_stack_repeating_its_bars(name: str) -> None:
    report = Report(**{**_report().__dict__, "name": name})
    drawn = report_charts(report, labels=LABELS, fmt=fmt, cache_key=name)
    assert [chart.kind for chart in drawn] == ["bars", "trend"]
