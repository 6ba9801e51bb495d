"""Exports of monitoring: a report as an Excel workbook (report_xlsx) and the annual report of the
network, or of a methodist's districts or a coordinator's schools, as a PDF (annual_pdf).

The workbook is Excel-ready: a title and the computation time above a header row with a filter,
counts as whole numbers with thousands grouped, shares as percentages (the cell holds 0.42, Excel
shows «42,0 %»), the totals and the year before under the rows, the breakdowns and the years on
their own sheets; every cell through app.exports (a school named «=HYPERLINK(…)» stays text).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime

from app.exports import XlsxSheet, formatted_xlsx
from app.i18n import _
from app.timeutil import to_zone
from monitoring.academic_year import year_label
from monitoring.annual_layout import Block, Chart, Document, Line, Page, number, render
from monitoring.charts import bars_figure, main_column
from monitoring.report_shape import REPORTS, Column, Figure, Report, Row
from monitoring.reports import NO_DISTRICT, Scope, build_with_year_before

COUNT_FORMAT = "#,##0"
SHARE_FORMAT = "0.0%"
PDF_DPI = 90


def report_xlsx(report: Report, *, zone: str = "UTC") -> bytes:
    """The report as an XLSX workbook: the rows with totals and the year before, then one sheet per
    breakdown and one for the academic years. `zone` is the reader's: the computation time is
    written in it (a methodist in Novosibirsk reads Novosibirsk time)."""
    computed = computed_line(report.computed_at, zone)
    formats = [SHARE_FORMAT if column.share else COUNT_FORMAT for column in report.columns]
    widths = [44, *(max(12, min(30, len(column.label) + 2)) for column in report.columns)]
    preamble = [
        _("%(title)s, %(year)s", title=report.title, year=year_label(report.year)),
        computed,
    ]
    kind = report.rows[0].kind if report.rows else "institution"
    name_header = _("District") if kind == "district" else _("Institution")
    before = _("Year before (%(year)s)", year=year_label(report.year - 1))
    sheets = [
        XlsxSheet(
            title=report.title,
            header=[name_header, *(column.label for column in report.columns)],
            rows=[cells(row.name, report.columns, row.figures) for row in report.rows],
            formats=formats,
            preamble=preamble,
            footer=[
                cells(_("Total"), report.columns, report.totals),
                cells(before, report.columns, report.previous_totals),
            ],
            widths=widths,
        )
    ]
    for title, rows in report.breakdowns.items():
        sheets.append(_plain_sheet(title, title, report, rows, formats, widths, computed))
    if report.trend:
        years = [Row("year", year, year_label(year), report.trend[year]) for year in sorted(report.trend)]
        sheets.append(
            _plain_sheet(_("By year"), _("Academic year"), report, years, formats, widths, computed)
        )
    return formatted_xlsx(sheets, fallback_title="Report")


def _plain_sheet(
    title: str,
    first: str,
    report: Report,
    rows: list[Row],
    formats: list[str],
    widths: list[int],
    computed: str,
) -> XlsxSheet:
    return XlsxSheet(
        title=title,
        header=[first, *(column.label for column in report.columns)],
        rows=[cells(row.name, report.columns, row.figures) for row in rows],
        formats=formats,
        preamble=[f"{report.title}: {title}", computed],
        widths=widths,
    )


def cells(name: str, columns: list[Column], figures: dict[str, Figure]) -> list[object]:
    """A name and its figures as spreadsheet values: counts as ints, shares as floats (0.42)."""
    values: list[object] = [name]
    for column in columns:
        value = figures.get(column.key, 0)
        values.append(float(value) if column.share else int(value))
    return values


def computed_line(computed_at: datetime | None, zone: str = "UTC") -> str:
    """«Computed at 2025-11-02 09:00 UTC» (or «… 16:00 (Asia/Novosibirsk)» in the reader's zone), or
    that it was never computed (zeros, not an error)."""
    if computed_at is None:
        return _("Not computed yet")
    if zone == "UTC":
        return _("Computed at %(moment)s UTC", moment=computed_at.strftime("%Y-%m-%d %H:%M"))
    moment = computed_at if computed_at.tzinfo else computed_at.replace(tzinfo=UTC)
    local = to_zone(moment, zone).strftime("%Y-%m-%d %H:%M")
    return _("Computed at %(moment)s (%(zone)s)", moment=local, zone=zone)


def annual_pdf(year: int, scope: Scope, *, locale: str = "ru") -> bytes:
    """The annual report of what `scope` sees: a title page with the totals beside the year before
    and a chart by district (or school), a page per district with a chart by school, a page per
    school. Rows come from build_with_year_before, once per district (the year and the one before in
    one read), so the queries grow with the districts, not the schools. Raises Forbidden for an empty
    scope."""
    top, top_before = _with_year_before(year, scope, None)
    fmt = _formatter(locale)
    first = top[REPORTS[0]]
    by_district = bool(first.rows) and first.rows[0].kind == "district"
    pages = [
        Page(
            heading=_("Totals"),
            subheading="",
            blocks=[_block(report, report.totals, report.previous_totals) for report in top.values()],
            chart=_chart(top["olympiads"], fmt),
        )
    ]
    if by_district:
        for district in first.rows:
            if district.id == NO_DISTRICT:
                continue  # institutions without a district record are counted on the title page
            now, before = _with_year_before(year, scope, district.id)
            pages.append(
                Page(
                    heading=district.name,
                    subheading=_("District"),
                    blocks=[_block(report, report.totals, report.previous_totals) for report in now.values()],
                    chart=_chart(now["olympiads"], fmt),
                )
            )
            pages.extend(_school_pages(now, before, district.name))
    else:
        pages.extend(_school_pages(top, top_before, ""))
    names = ", ".join(row.name for row in first.rows if row.id != NO_DISTRICT or not by_district)
    document = Document(
        title=_("Monitoring of the network: annual report"),
        year_text=_("Academic year %(year)s", year=year_label(year)),
        scope_text=_("The whole network") if scope.everything else names,
        computed_text=computed_line(first.computed_at),
        headers=(_("Figure"), year_label(year), year_label(year - 1)),
        pages=pages,
        locale=locale,
    )
    return render(document)


def _with_year_before(
    year: int, scope: Scope, district_id: int | None
) -> tuple[dict[str, Report], dict[str, Report]]:
    """Every report of the year and of the year before, for the scope or one district of it."""
    pairs = {name: build_with_year_before(name, year, scope, district_id) for name in REPORTS}
    return {name: pair[0] for name, pair in pairs.items()}, {name: pair[1] for name, pair in pairs.items()}


def _school_pages(now: dict[str, Report], before: dict[str, Report], district: str) -> list[Page]:
    earlier = {name: {row.id: row.figures for row in report.rows} for name, report in before.items()}
    pages = []
    for index, row in enumerate(now[REPORTS[0]].rows):
        blocks = []
        for name, report in now.items():
            figures = report.rows[index].figures if report.rows[index].id == row.id else {}
            blocks.append(_block(report, figures, earlier[name].get(row.id, {})))
        pages.append(Page(heading=row.name, subheading=district, blocks=blocks))
    return pages


def _block(report: Report, figures: dict[str, Figure], before: dict[str, Figure]) -> Block:
    lines = [
        Line(column.label, figures.get(column.key, 0), before.get(column.key, 0), column.share)
        for column in report.columns
    ]
    return Block(report.title, lines)


def _chart(report: Report, fmt: Callable[[Figure, bool], str]) -> Chart | None:
    """Bars by row of the report's main share, as PNG (fpdf2 draws PNG faithfully)."""
    column = main_column(report)
    if column is None or not report.rows:
        return None
    rows = sorted(report.rows, key=lambda row: -float(row.figures.get(column.key, 0)))
    figure = bars_figure(rows, column.key, fmt, column.share)
    # Drawn once, at the size the page prints it: the constrained layout already fits the labels,
    # so no second "tight" pass (charts.png's), and 90 dpi is sharp at 16 cm.
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PDF_DPI)
    return Chart(buffer.getvalue(), f"{report.title}: {column.label}")


def _formatter(locale: str) -> Callable[[Figure, bool], str]:
    return lambda value, share: number(value, share, locale)
