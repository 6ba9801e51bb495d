"""Reading the first sheet of an XLSX workbook as text rows, without trusting the file.

An XLSX is a zip of XML parts, so a small upload can unpack to gigabytes. Before openpyxl sees it,
every member is unpacked here with a bounded read (the sizes in a zip's headers are never believed)
and re-packed uncompressed, against one budget for the whole workbook and a cap on the member
count; openpyxl then reads it in read-only mode with defusedxml (installed, so openpyxl uses it
against entity expansion). Values become the text a person sees in the cell: 10 not 10.0, a date
as 2026-09-01.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

from openpyxl import load_workbook

from app.tabular_errors import TableError

XLSX_SIGNATURE = b"PK\x03\x04"
MAX_MEMBERS = 500
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_SHEET_ROWS = 100_000  # rows looked at, empty ones included (a sheet may claim a million)
MAX_COLUMNS = 60
CELL_SEPARATOR = ";"  # how a row's cells are joined into its "original text" in reports
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, OSError)


def xlsx_rows(data: bytes) -> Iterator[tuple[int, str, list[str]]]:
    """(row number, the row's cells joined by `;`, cells as text) of the first sheet's rows."""
    try:
        book = load_workbook(io.BytesIO(_bounded_copy(data)), read_only=True, data_only=True)
        sheets = book.worksheets
        if not sheets:
            raise TableError("xlsx_damaged")
        rows = sheets[0].iter_rows(max_row=MAX_SHEET_ROWS, max_col=MAX_COLUMNS)
        for cells in rows:
            number = next((getattr(cell, "row", None) for cell in cells if cell.value is not None), None)
            if number is None:
                continue
            texts = _trimmed([cell_text(cell.value) for cell in cells])
            yield number, CELL_SEPARATOR.join(texts), texts
    except TableError:
        raise
    except (*_READ_ERRORS, KeyError, ValueError, TypeError, IndexError, AttributeError):
        # openpyxl reports a damaged part with any of these; the user needs only "damaged".
        raise TableError("xlsx_damaged") from None


def cell_text(value: Any) -> str:
    """A cell's value as text the way the spreadsheet shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _trimmed(texts: list[str]) -> list[str]:
    """Without the empty cells at the row's end (they are not part of what the user typed)."""
    while texts and not texts[-1].strip():
        texts.pop()
    return texts


def _bounded_copy(data: bytes) -> bytes:
    """The workbook re-packed from members unpacked within MAX_UNPACKED_BYTES and MAX_MEMBERS;
    an OpenDocument sheet or any other zip is told apart by its members."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        members = source.infolist()
    except _READ_ERRORS:
        raise TableError("xlsx_damaged") from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise TableError("ods" if "content.xml" in names and "mimetype" in names else "not_table")
    if len(members) > MAX_MEMBERS:
        raise TableError("xlsx_too_big", limit=MAX_UNPACKED_BYTES // (1024 * 1024))
    budget = MAX_UNPACKED_BYTES
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as copy:
        for member in members:
            if member.is_dir():
                continue
            try:
                with source.open(member) as stream:
                    unpacked = stream.read(budget + 1)
            except _READ_ERRORS:
                raise TableError("xlsx_damaged") from None
            budget -= len(unpacked)
            if budget < 0:
                raise TableError("xlsx_too_big", limit=MAX_UNPACKED_BYTES // (1024 * 1024))
            copy.writestr(member.filename, unpacked)
    return buffer.getvalue()
