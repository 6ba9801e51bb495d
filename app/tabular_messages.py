"""The tabular reader's codes as sentences, and the two steps every import shares: open the file
(a refusal becomes `Invalid` on the `file` field, a 422 in the API) and check its header (a missing
column is reported as line 1, quoting the header as it was written)."""

from __future__ import annotations

from collections.abc import Sequence

from app.domain_errors import Invalid
from app.i18n import _
from app.tabular import LineError, Table, missing_columns, read_table, read_text_table
from app.tabular_errors import TableError


def table_error_message(error: TableError) -> str:
    params = error.params
    messages = {
        "too_large": lambda: _("The file is larger than %(n)s MB.", n=params.get("limit")),
        "empty": lambda: _("The file is empty."),
        "xls": lambda: _(
            "This is an old Excel workbook (.xls). Save it as “Excel workbook (.xlsx)” or “CSV” "
            "and upload again."
        ),
        "ods": lambda: _("This is an OpenDocument sheet (.ods). Save it as XLSX or CSV and upload again."),
        "not_table": lambda: _("The file is neither a CSV table nor an Excel workbook (.xlsx)."),
        "encoding": lambda: _(
            "The file’s encoding is not recognised: save it as CSV in UTF-8 or Windows-1251 (Excel’s “CSV”)."
        ),
        "binary": lambda: _("The file is not text: upload a CSV table or an Excel workbook (.xlsx)."),
        "csv": lambda: _(
            "The CSV cannot be read near line %(line)s (check the quotes).", line=params.get("line")
        ),
        "too_many_rows": lambda: _("The file has more than %(n)s lines; split it.", n=params.get("limit")),
        "column_twice": lambda: _(
            "The column “%(column)s” appears twice in the header.", column=params.get("column")
        ),
        "xlsx_damaged": lambda: _("The Excel workbook is damaged and cannot be read."),
        "xlsx_too_big": lambda: _("The Excel workbook unpacks to more than %(n)s MB.", n=params.get("limit")),
    }
    return messages.get(error.code, messages["not_table"])()


def open_table(data: bytes | str, *, headerless: Sequence[str] = (), field: str = "file") -> Table:
    """The table, or `Invalid` naming `field` with the reason the file cannot be read at all."""
    try:
        if isinstance(data, str):
            return read_text_table(data, headerless=headerless)
        return read_table(data, headerless=headerless)
    except TableError as error:
        message = table_error_message(error)
        raise Invalid(message, {field: message}) from None


def header_error(table: Table, required: Sequence[str], columns: Sequence[str]) -> LineError | None:
    """The header line's error when it lacks a required column (or there is no header at all), or
    when nothing follows it."""
    line, text = (table.header.line, table.header.text) if table.header else (1, "")
    missing = missing_columns(table, required)
    if not missing:
        return None if table.rows else LineError(line, text, _("There are no lines below the header."))
    if not table.columns:
        message = _(
            "The first line must name the columns, for example: %(columns)s.", columns=", ".join(columns)
        )
    else:
        message = _("The header has no column “%(columns)s”.", columns="”, “".join(missing))
    return LineError(line, text, message)
