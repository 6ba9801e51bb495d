"""Every CSV and XLSX export is written here, so that every cell goes through one function.

Names, titles and answers are typed by users. A cell that begins with `=`, `+`, `-`, `@`, TAB or
CR is run as a formula by a spreadsheet (`=HYPERLINK(…)` in an organiser's results file), so such
text gets a leading apostrophe (OWASP's CSV-injection guidance); genuine numbers stay numbers.
No Flask here: the domains call these with plain rows.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_FORBIDDEN = re.compile(r"[:\\/?*\[\]]")
SHEET_TITLE_MAX = 31  # Excel's limit; openpyxl refuses the forbidden characters outright
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Any) -> Any:
    """One cell as it may go into a CSV or XLSX file: numbers and dates as they are, None as an
    empty cell, text with a leading apostrophe when a spreadsheet would read it as a formula (unless
    it is a plain number such as "-3.5"), and without the control characters XLSX cannot hold."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | datetime | date):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        return Decimal(text.strip()).is_finite()
    except InvalidOperation:
        return False


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


def sheet_title(title: str, fallback: str = "Sheet") -> str:
    """A worksheet name Excel accepts: without `: \\ / ? * [ ]`, not starting or ending with an
    apostrophe, at most 31 characters (a final named «Финал: открытый урок» is a normal title)."""
    cleaned = " ".join(SHEET_TITLE_FORBIDDEN.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", title)).split())
    if len(cleaned) > SHEET_TITLE_MAX:  # cut after a whole word where one ends late enough, and say so
        cut = cleaned[: SHEET_TITLE_MAX - 1]
        words = cut.rsplit(" ", 1)[0] if " " in cut[SHEET_TITLE_MAX // 2 :] else cut
        cleaned = words.rstrip() + "…"
    cleaned = cleaned.strip().strip("'").strip()
    return cleaned or fallback[:SHEET_TITLE_MAX]


def csv_text(header: Sequence[Any], rows: Iterable[Iterable[Any]], *, excel: bool = True) -> str:
    """The table as CSV text. `excel`: the form Russian Excel opens by a double click (a BOM, so
    that it reads UTF-8, and `;`, its list separator where the decimal mark is a comma); otherwise
    plain comma-separated UTF-8 for other programs."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if excel else ",")
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in rows)
    return ("\ufeff" if excel else "") + buffer.getvalue()


def csv_bytes(header: Sequence[Any], rows: Iterable[Iterable[Any]], *, excel: bool = True) -> bytes:
    return csv_text(header, rows, excel=excel).encode("utf-8")


def xlsx_bytes(
    title: str, header: Sequence[Any], rows: Iterable[Iterable[Any]], *, fallback_title: str = "Sheet"
) -> bytes:
    """The table as a one-sheet XLSX workbook (written in streaming mode: any number of rows)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(title, fallback_title))
    sheet.append(safe_row(header))
    for row in rows:
        sheet.append(safe_row(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class XlsxSheet:
    """One sheet of a formatted workbook: lines above the header (a title, a date), the header (bold,
    frozen, with a filter), the rows, bold lines under them (totals), and a number format per column
    after the first (e.g. "#,##0", "0.0%"; None leaves a column as it is)."""

    title: str
    header: Sequence[Any]
    rows: Sequence[Sequence[Any]]
    formats: Sequence[str | None] = ()
    preamble: Sequence[str] = ()
    footer: Sequence[Sequence[Any]] = ()
    widths: Sequence[int] = field(default_factory=tuple)


def formatted_xlsx(sheets: Iterable[XlsxSheet], *, fallback_title: str = "Sheet") -> bytes:
    """A workbook of several formatted sheets (for reports people open in Excel and print); every
    cell goes through safe_cell, every sheet name through sheet_title."""
    book = Workbook()
    book.remove(book.worksheets[0])
    used: set[str] = set()
    for spec in sheets:
        title = sheet_title(spec.title, fallback_title)
        while title in used:
            title = sheet_title(f"{title[:27]} {len(used) + 1}", fallback_title)
        used.add(title)
        _fill_sheet(book.create_sheet(title), spec)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill_sheet(sheet: Any, spec: XlsxSheet) -> None:
    for number, line in enumerate(spec.preamble, start=1):
        sheet.cell(row=number, column=1, value=safe_cell(line)).font = Font(bold=number == 1)
    header_row = len(spec.preamble) + (2 if spec.preamble else 1)
    for column, text in enumerate(spec.header, start=1):
        sheet.cell(row=header_row, column=column, value=safe_cell(text)).font = Font(bold=True)
    number = header_row
    for number, row in enumerate([*spec.rows, *spec.footer], start=header_row + 1):
        bold = number > header_row + len(spec.rows)
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column, value=safe_cell(value))
            fmt = spec.formats[column - 2] if 2 <= column < len(spec.formats) + 2 else None
            if fmt:
                cell.number_format = fmt
            if bold:
                cell.font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    last_data = max(header_row + len(spec.rows), header_row + 1)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(max(1, len(spec.header)))}{last_data}"
    for column, width in enumerate(spec.widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
