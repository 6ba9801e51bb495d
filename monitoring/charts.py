"""Charts of a monitoring report, drawn on the server with matplotlib: bars by district or school, a
line over the years, stacked shares of the results. Each chart carries the numbers it shows, so the
page prints them in an accessible table under it.

SVG goes inline into a page whose Content-Security-Policy forbids `style=` attributes, so the inline
styles matplotlib writes become SVG presentation attributes (fill, stroke, font-size …). Drawing takes
tens of milliseconds; a chart is kept in a small per-process cache under a key that holds the report's
`computed_at`, so a page view draws only after a recompute. PNG (for the PDF) is drawn the same way.
"""

from __future__ import annotations

import io
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure as MplFigure  # noqa: E402

from monitoring.academic_year import year_label  # noqa: E402
from monitoring.report_shape import Column, Figure, Report, Row  # noqa: E402

BLUE, GREY = "#2f6db5", "#9aa5b1"
STACK_COLOURS = ("#c8911b", "#7a8fa6", "#5b9a68")
MAX_BARS = 40  # more rows than this: the chart shows the first 40 by value, the table all of them
# The results that make up a report's stacked shares, and what they are a share of.
# Stacked shares only where there are several parts: a one-part stack of the qualification or the
# activity report would draw the bars chart's share a second time.
STACKS: dict[str, tuple[tuple[str, ...], str]] = {
    "olympiads": (("winners", "prize_winners", "laureates"), "participants"),
    "teacher_contests": (("winners", "prize_winners", "laureates"), "participants"),
}


@dataclass(frozen=True)
class Chart:
    """One drawn chart and its numbers: `headers` name the table's columns, each of `rows` is a label
    and its figures; `shares[i]` tells whether column i + 1 is a share."""

    kind: str  # "bars", "trend" or "stack"
    title: str
    svg: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Figure, ...]], ...]
    shares: tuple[bool, ...]


def main_column(report: Report) -> Column | None:
    """The figure a report's bars and trend line show: its first share (the «42 %»), else its first
    column."""
    for column in report.columns:
        if column.share:
            return column
    return report.columns[0] if report.columns else None


def report_charts(
    report: Report,
    *,
    labels: dict[str, str],
    fmt: Callable[[Figure, bool], str],
    cache_key: Hashable,
    kinds: tuple[str, ...] = ("bars", "trend", "stack"),
) -> list[Chart]:
    """The charts of `report`: bars by its rows, the trend over the years, stacked shares where the
    report has results. `labels` holds the translated words ("name", "year", "other"); `fmt` writes a
    figure as the viewer reads it (a share as «42 %»). `cache_key` says what else the drawing depends
    on (scope, filters, locale); the report's name, year and computed_at are added here."""
    column = main_column(report)
    if column is None:
        return []
    key = (report.name, report.year, report.computed_at, len(report.rows), cache_key)
    charts = []
    if "bars" in kinds and report.rows:
        charts.append(_cached(("bars", key), lambda: bars(report, column, labels, fmt)))
    if "trend" in kinds and len(report.trend) > 1:
        charts.append(_cached(("trend", key), lambda: trend(report, column, labels, fmt)))
    if "stack" in kinds and report.name in STACKS and report.rows:
        charts.append(_cached(("stack", key), lambda: stack(report, labels, fmt)))
    return charts


def bars(report: Report, column: Column, labels: dict[str, str], fmt: Callable[[Figure, bool], str]) -> Chart:
    """Horizontal bars, one per row, longest first; the value written at each bar's end."""
    rows = sorted(report.rows, key=lambda row: (-_number(row.figures.get(column.key, 0)), row.name))
    figure = bars_figure(rows, column.key, fmt, column.share)
    table = tuple((row.name, (row.figures.get(column.key, 0),)) for row in rows)
    headers = (labels["name"], column.label)
    return Chart("bars", column.label, _svg(figure, column.label), headers, table, (column.share,))


def trend(
    report: Report, column: Column, labels: dict[str, str], fmt: Callable[[Figure, bool], str]
) -> Chart:
    """The network's (or the scope's) total over the academic years, one point a year."""
    years = sorted(report.trend)
    values = [_number(report.trend[year].get(column.key, 0)) for year in years]
    figure = _figure(height=2.6, width=5.2)
    axes = figure.subplots()
    axes.plot(range(len(years)), values, marker="o", color=BLUE)
    axes.set_xticks(list(range(len(years))), [year_label(year) for year in years])
    axes.margins(x=0.08)
    for position, year in enumerate(years):
        value = report.trend[year].get(column.key, 0)
        axes.annotate(
            fmt(value, column.share), (position, _number(value)), xytext=(0, 6),
            textcoords="offset points", ha="center", fontsize=9,
        )  # fmt: skip
    _tidy(axes, column.share, values, vertical=True)
    table = tuple((year_label(year), (report.trend[year].get(column.key, 0),)) for year in years)
    title = f"{column.label} — {labels['trend']}" if "trend" in labels else column.label
    return Chart("trend", title, _svg(figure, title), (labels["year"], column.label), table, (column.share,))


def stack(report: Report, labels: dict[str, str], fmt: Callable[[Figure, bool], str]) -> Chart:
    """Per row, the shares of each result (winners, prize-winners, laureates) stacked in one bar of
    the row's participants (or teachers); a zero base is a zero share, never a division by zero."""
    parts, base = STACKS[report.name]
    names = {column.key: column.label for column in report.columns}
    parts = tuple(part for part in parts if part in names)
    rows = report.rows[:MAX_BARS]
    figure = _figure(height=max(2.0, 0.34 * len(rows) + 1.4))
    axes = figure.subplots()
    left = [0.0] * len(rows)
    table_rows: list[tuple[str, tuple[Figure, ...]]] = [(row.name, ()) for row in report.rows]
    for index, part in enumerate(parts):
        shares = [share(row.figures.get(part, 0), row.figures.get(base, 0)) for row in report.rows]
        widths = [float(value) for value in shares[: len(rows)]]
        axes.barh(range(len(rows)), widths, left=left, color=STACK_COLOURS[index % 3], label=names[part])
        left = [a + b for a, b in zip(left, widths, strict=True)]
        table_rows = [
            (name, (*figures, value)) for (name, figures), value in zip(table_rows, shares, strict=True)
        ]
    axes.set_yticks(list(range(len(rows))), [_short(row.name) for row in rows])
    axes.invert_yaxis()
    axes.set_xlim(0, max(1.0, *left) if left else 1.0)
    axes.xaxis.set_major_formatter(lambda value, _pos: fmt(Decimal(str(round(value, 4))), True))
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=3, fontsize=9, frameon=False)
    _spines(axes)
    title = labels["stack"]
    headers = (labels["name"], *(names[part] for part in parts))
    return Chart("stack", title, _svg(figure, title), headers, tuple(table_rows), tuple(True for _ in parts))


def share(part: Figure, whole: Figure) -> Decimal:
    """part ÷ whole to four places; 0 when whole is 0 (an empty school has no share, not an error)."""
    if not whole:
        return Decimal(0)
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def png(figure: MplFigure) -> bytes:
    """A figure as PNG bytes (for the PDF, where fpdf2 draws PNG faithfully)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def bars_figure(rows: list[Row], key: str, fmt: Callable[[Figure, bool], str], share_: bool) -> MplFigure:
    """Bars of `rows` (in their order, the first MAX_BARS) as a matplotlib figure: the page's SVG and
    the PDF's PNG are the same drawing."""
    shown = rows[:MAX_BARS]
    values = [_number(row.figures.get(key, 0)) for row in shown]
    figure = _figure(height=max(1.4, 0.34 * len(shown) + 0.7))
    axes = figure.subplots()
    axes.barh(range(len(shown)), values, color=BLUE)
    axes.set_yticks(list(range(len(shown))), [_short(row.name) for row in shown])
    axes.invert_yaxis()
    for position, row in enumerate(shown):
        value = row.figures.get(key, 0)
        axes.annotate(fmt(value, share_), (_number(value), position), xytext=(3, 0),
                      textcoords="offset points", va="center", fontsize=9)  # fmt: skip
    _tidy(axes, share_, values)
    return figure


_CACHE: OrderedDict[Hashable, Chart] = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHE_SIZE = 256


def _cached(key: Hashable, draw: Callable[[], Chart]) -> Chart:
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    chart = draw()
    with _CACHE_LOCK:
        _CACHE[key] = chart
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return chart


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()


def _figure(height: float, width: float = 6.4) -> MplFigure:
    """A figure sized for its column on the page (the title is the page's caption, not drawn)."""
    figure = MplFigure(figsize=(width, height), layout="constrained")
    figure.set_facecolor("white")
    return figure


def _tidy(axes: object, share_: bool, values: list[float], vertical: bool = False) -> None:
    top = max([*values, 0.0])
    limit = 1.0 if share_ and top <= 1 else (top * 1.18 or 1.0)
    if vertical:
        axes.set_ylim(0, limit)  # type: ignore[attr-defined]
    else:
        axes.set_xlim(0, limit)  # type: ignore[attr-defined]
    if share_:
        formatter = axes.yaxis if vertical else axes.xaxis  # type: ignore[attr-defined]
        formatter.set_major_formatter(lambda value, _pos: f"{round(value * 100)} %")
    _spines(axes)


def _spines(axes: object) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)  # type: ignore[attr-defined]
    axes.tick_params(labelsize=9)  # type: ignore[attr-defined]


def _number(value: Figure) -> float:
    return float(value or 0)


def _short(name: str, limit: int = 34) -> str:
    """A label that fits, with `$` escaped: matplotlib would read «$…$» in a school's name as maths."""
    short = name if len(name) <= limit else name[: limit - 1] + "…"
    return short.replace("$", r"\$")


STYLE = re.compile(r' style="([^"]*)"')
HEAD = re.compile(r"^.*?(<svg\b)", re.S)
NOISE = re.compile(r"<metadata>.*?</metadata>|<style[^>]*>.*?</style>", re.S)
SIZE = re.compile(r'<svg([^>]*?) width="[^"]*" height="[^"]*"')


def _svg(figure: MplFigure, title: str) -> str:
    """The figure as inline SVG text: no prolog, no metadata, no inline styles, scaled to its box,
    labelled for screen readers (which then read the table under it)."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "vmeste"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = NOISE.sub("", HEAD.sub(r"\1", buffer.getvalue(), count=1))
    text = STYLE.sub(lambda match: _attributes(match.group(1)), text)
    label = title.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return SIZE.sub(
        rf'<svg\1 width="100%" role="img" aria-label="{label}" class="mon-chart-svg"', text, count=1
    )


def _attributes(style: str) -> str:
    pairs = (part.split(":", 1) for part in style.split(";") if ":" in part)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)
