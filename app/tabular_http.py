"""The web side of tables: which CSV form a download gets, the download responses, and a table
file taken from a request (an API body or a form's file field), read in bounded chunks like every
upload (app.uploads) and only one byte past the reader's limit, which then refuses it. A table is
read and dropped, never stored, so the storage rules (extension, sniffed type) are the reader's
own content checks."""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from flask import Response, request
from flask_babel import get_locale
from werkzeug.datastructures import FileStorage

from app.exports import XLSX_MIME
from app.input_guard import utf16_codec
from app.tabular import MAX_BYTES, LineError
from app.uploads import read_bounded

CSV_MIME = "text/csv"
_YES = ("1", "true", "yes", "on")
_NO = ("0", "false", "no", "off")
# A raw body declared UTF-16 without a BOM gets one, so the reader (which trusts only a BOM) reads it
_UTF16_BOMS = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}


def excel_wanted(user: Any = None) -> bool:
    """`?excel=1` or `?excel=0` when given; otherwise the Excel-ready form for Russian users (their
    Excel expects `;` and needs the BOM), plain CSV for the others."""
    chosen = request.args.get("excel", "").strip().lower()
    if chosen in _YES:
        return True
    if chosen in _NO:
        return False
    locale = getattr(user, "locale", None) if getattr(user, "is_authenticated", False) else None
    return str(locale or get_locale() or "ru").startswith("ru")


def valid_only_wanted() -> bool:
    """`?valid_only=1` (or a form's checkbox of that name): import the valid lines, report the rest."""
    value = request.args.get("valid_only") or request.form.get("valid_only") or ""
    return value.strip().lower() in _YES


def attachment(
    data: bytes | str, mimetype: str, name: str, *, fallback: str | None = None, private: bool = False
) -> Response:
    """A download under a UTF-8 file name (Russian titles stay readable). `fallback`: an ASCII name
    for clients that read only `filename`; `private`: kept out of every cache (the file follows the
    viewer: their scope, their filters, their document)."""
    ascii_name = f'filename="{fallback}"; ' if fallback else ""
    response = Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; {ascii_name}filename*=UTF-8''{quote(name)}"},
    )
    if private:
        response.headers["Cache-Control"] = "private, no-store"
    return response


def csv_response(text: str, name: str) -> Response:
    return attachment(text.encode("utf-8"), f"{CSV_MIME}; charset=utf-8", name)


def xlsx_response(data: bytes, name: str) -> Response:
    return attachment(data, XLSX_MIME, name)


def file_bytes(file: FileStorage | None) -> bytes:
    """A form's uploaded file, at most one byte past the reader's limit (which then refuses it)."""
    if file is None:
        return b""
    return read_bounded(file.stream, MAX_BYTES + 1)


def request_table() -> bytes:
    """The table an API call sends: a multipart `file`, or the raw body (CSV of any encoding or XLSX)."""
    if request.mimetype == "multipart/form-data":
        return file_bytes(request.files.get("file"))
    data = request.get_data(cache=True)[: MAX_BYTES + 1]
    return _UTF16_BOMS.get(utf16_codec(data, request.mimetype_params.get("charset")) or "", b"") + data


def import_report_json(created: int, errors: Sequence[LineError]) -> dict[str, Any]:
    """The API's answer to an import: how many rows were written and each refused line."""
    return {
        "created": created,
        "errors": [{"line": e.line, "text": e.text, "message": e.message} for e in errors],
    }
