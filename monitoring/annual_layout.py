"""The annual report's pages, drawn with fpdf2 from plain figures: a title page with the whole scope's
totals and a chart by district, then a page per district (its totals, a chart by school) and a page
per school (its figures beside the year before, and the shares drawn as paired bars). The data is
gathered by monitoring.exports.annual_pdf; nothing here queries.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from babel.numbers import format_decimal, format_percent
from fpdf import FPDF

from app.pdf import FONT_DIR
from monitoring.report_shape import Figure

LEFT, WIDTH = 15.0, 180.0  # A4 portrait, 15 mm margins
COLUMN, GAP, VALUE = 88.0, 4.0, 15.0  # the figures stand in two columns of small tables
ROW_HEIGHT = 4.6
THIS_YEAR, YEAR_BEFORE = (47, 109, 181), (170, 178, 189)


@dataclass(frozen=True)
class Line:
    """One figure of a page: its label, this year's value and the year before's."""

    label: str
    value: Figure
    before: Figure
    share: bool = False


@dataclass(frozen=True)
class Block:
    """One report's figures on a page."""

    title: str
    lines: list[Line]


@dataclass(frozen=True)
class Chart:
    png: bytes
    title: str


@dataclass(frozen=True)
class Page:
    heading: str
    subheading: str
    blocks: list[Block]
    chart: Chart | None = None  # a drawn chart (the title and district pages); schools get share bars


@dataclass(frozen=True)
class Document:
    title: str
    year_text: str  # «2025/26»
    scope_text: str
    computed_text: str
    headers: tuple[str, str, str]  # figure, this year, the year before
    pages: list[Page] = field(default_factory=list)
    locale: str = "ru"


def render(document: Document) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(f"{document.title} {document.year_text}")
    pdf.set_author("Вместе")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    known: dict[Any, Any] = {}  # wrapped labels and text widths, the same on every school's page
    for number, page in enumerate(document.pages):
        pdf.add_page()
        if number == 0:
            _title(pdf, document)
        _page(pdf, document, page, known)
    return bytes(pdf.output())


def _title(pdf: FPDF, document: Document) -> None:
    pdf.set_font("DejaVu", "B", 20)
    pdf.set_xy(LEFT, 30)
    pdf.multi_cell(WIDTH, 10, document.title, align="C")
    pdf.set_font("DejaVu", "", 14)
    pdf.set_x(LEFT)
    pdf.multi_cell(WIDTH, 8, f"{document.year_text}\n{document.scope_text}", align="C")
    pdf.set_font("DejaVu", "", 9)
    pdf.set_x(LEFT)
    pdf.multi_cell(WIDTH, 6, document.computed_text, align="C")
    pdf.ln(6)


def _page(pdf: FPDF, document: Document, page: Page, known: dict[Any, Any]) -> None:
    """Heading, the reports' figures in two columns, then the chart (or the school's share bars)."""
    pdf.set_font("DejaVu", "B", 14)
    pdf.set_x(LEFT)
    pdf.multi_cell(WIDTH, 7, page.heading)
    if page.subheading:
        pdf.set_font("DejaVu", "", 9)
        pdf.set_x(LEFT)
        pdf.multi_cell(WIDTH, 5, page.subheading)
    pdf.ln(2)
    half = (len(page.blocks) + 1) // 2
    top = pdf.get_y()
    bottoms = []
    for x, blocks in ((LEFT, page.blocks[:half]), (LEFT + COLUMN + GAP, page.blocks[half:])):
        pdf.set_y(top)
        for block in blocks:
            _block(pdf, document, block, x, known)
        bottoms.append(pdf.get_y())
    pdf.set_y(max(bottoms))
    if page.chart is not None:
        if pdf.get_y() > 200:
            pdf.add_page()
        pdf.set_font("DejaVu", "B", 10)
        pdf.set_x(LEFT)
        pdf.multi_cell(WIDTH, 6, page.chart.title)
        room = min(120.0, 282 - pdf.get_y())  # a tall chart (many schools) shrinks to fit the page
        pdf.image(io.BytesIO(page.chart.png), x=LEFT, w=WIDTH * 0.9, h=room, keep_aspect_ratio=True)
    else:
        _share_bars(
            pdf, document, [line for block in page.blocks for line in block.lines if line.share], known
        )


def _block(pdf: FPDF, document: Document, block: Block, x: float, known: dict[Any, Any]) -> None:
    """One report's figures as a small table at `x`: figure, this year, the year before. Cells are
    framed rectangles with the text placed as fpdf2's cell() would place it (its text machinery
    costs ten times more and a network's report draws 80,000 cells)."""
    pdf.set_font("DejaVu", "B", 9)
    pdf.set_x(x)
    pdf.cell(COLUMN, 5.5, block.title, new_x="LEFT", new_y="NEXT")
    widths = (COLUMN - 2 * VALUE, VALUE, VALUE)
    pdf.set_font("DejaVu", "B", 7)
    pdf.set_fill_color(235, 239, 244)
    _row(pdf, x, widths, document.headers, known, fill=True)
    pdf.set_font("DejaVu", "", 7)
    for line in block.lines:
        values = (
            number(line.value, line.share, document.locale),
            number(line.before, line.share, document.locale),
        )
        _row(pdf, x, widths, (line.label, *values), known)
    pdf.ln(3)


def _row(
    pdf: FPDF,
    x: float,
    widths: tuple[float, ...],
    texts: tuple[str, ...],
    known: dict[Any, Any],
    fill: bool = False,
) -> None:
    """A table row at the current y: the first text left-aligned, the others right-aligned."""
    top = pdf.get_y()
    if top + ROW_HEIGHT > pdf.page_break_trigger:  # as cell() would: go on at the next page's top
        pdf.add_page()
        top = pdf.get_y()
    baseline = top + 0.5 * ROW_HEIGHT + 0.3 * pdf.font_size
    left = x
    for position, (width, text) in enumerate(zip(widths, texts, strict=True)):
        pdf.rect(left, top, width, ROW_HEIGHT, style="DF" if fill else "D")
        if text:
            start = left + pdf.c_margin
            if position and width <= VALUE:
                size = (pdf.font_style, pdf.font_size_pt, text)
                if size not in known:
                    known[size] = pdf.get_string_width(text)
                start = left + width - pdf.c_margin - known[size]
            pdf.text(start, baseline, text)
        left += width
    pdf.set_xy(x, top + ROW_HEIGHT)


def _share_bars(pdf: FPDF, document: Document, lines: list[Line], known: dict[Any, Any]) -> None:
    """Each share as two bars, this year over the year before, drawn with rectangles (a school page
    needs no plotting library, so 700 schools take seconds)."""
    if not lines:
        return
    if pdf.get_y() + 12 * len(lines) + 14 > 280:
        pdf.add_page()
    pdf.set_font("DejaVu", "", 8)
    for colour, text, offset in (
        (THIS_YEAR, document.headers[1], 0.0),
        (YEAR_BEFORE, document.headers[2], 45.0),
    ):
        pdf.set_fill_color(*colour)
        pdf.rect(LEFT + offset, pdf.get_y() + 1, 4, 3, style="F")
        pdf.text(LEFT + offset + 5 + pdf.c_margin, pdf.get_y() + 2.5 + 0.3 * pdf.font_size, text)
    pdf.ln(7)
    bar_width = 100.0
    for line in lines:
        top = pdf.get_y()
        wrapped = _wrapped(pdf, line.label, known)
        for number_, text in enumerate(wrapped):
            pdf.text(LEFT + pdf.c_margin, top + 4 * number_ + 2 + 0.3 * pdf.font_size, text)
        for colour, value, dy in ((THIS_YEAR, line.value, 0.0), (YEAR_BEFORE, line.before, 4.5)):
            fraction = min(1.0, float(value or 0))
            pdf.set_fill_color(*colour)
            if fraction > 0:
                pdf.rect(LEFT + 68, top + dy, bar_width * fraction, 3.6, style="F")
            start = LEFT + 70 + bar_width * fraction + pdf.c_margin
            pdf.text(start, top + dy - 0.6 + 2.25 + 0.3 * pdf.font_size, number(value, True, document.locale))
        pdf.set_y(max(top + 4 * len(wrapped), top + 11))


def _wrapped(pdf: FPDF, label: str, known: dict[Any, Any]) -> list[str]:
    """The label's lines in a 65 mm column, as multi_cell would break them; computed once per label
    and document (every school page has the same labels)."""
    if label not in known:
        lines = pdf.multi_cell(65, 4, label, dry_run=True, output="LINES")
        known[label] = [str(text) for text in lines] if isinstance(lines, list) else [label]
    return known[label]


@lru_cache(maxsize=8192)
def number(value: Figure, share: bool, locale: str) -> str:
    """«42 %» for a share, «1 234» for a count, in the document's locale."""
    if share:
        tenth = Decimal(value or 0).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP).normalize()
        return str(format_percent(tenth, locale=locale, decimal_quantization=False))
    return str(format_decimal(int(value or 0), locale=locale))
