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
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

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
    cleaned = SHEET_TITLE_FORBIDDEN.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", title))
    cleaned = " ".join(cleaned.split())[:SHEET_TITLE_MAX].strip().strip("'").strip()
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
