"""One reader for every table a school brings (users, a class list, contest participants).

A pure module: bytes in, rows out. Russian Excel saves CSV in cp1251 with `;`, "CSV UTF-8" adds a
BOM, "Unicode text" is UTF-16 with TAB, a list pasted from a spreadsheet is TAB-separated, and many
lists stay XLSX: all are read here the same way. Headers may be Russian or English («ФИО»,
«e-mail», «Учреждение») and are mapped to canonical names; every row keeps its line number and its
original text, so that an error can quote the line exactly as the user typed it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from app.tabular_errors import TableError
from app.tabular_xlsx import XLSX_SIGNATURE, xlsx_rows

__all__ = [
    "MAX_BYTES",
    "LineError",
    "Row",
    "Table",
    "TableError",
    "header_key",
    "missing_columns",
    "read_table",
]

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
SEPARATORS = (";", "\t", ",")  # on a tie the first wins: Russian Excel's `;`
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc)

# Canonical column → the headers people write, compared after `header_key` (case, ё, spaces and
# punctuation do not matter: «E-mail», «e_mail», «Эл. почта» all match).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "email": ("email", "mail", "emailaddress", "почта", "электроннаяпочта", "элпочта", "эпочта",
              "адресэлектроннойпочты", "емейл", "имейл", "емэйл", "электронныйадрес"),
    "full_name": ("fullname", "name", "фио", "фиополностью", "фамилияимяотчество", "полноеимя",
                  "фиоучастника", "фиоученика", "фиоучителя", "фиопедагога"),
    "last_name": ("lastname", "surname", "familyname", "фамилия"),
    "first_name": ("firstname", "givenname", "имя"),
    "middle_name": ("middlename", "patronymic", "отчество"),
    "role": ("role", "роль", "рольнасайте"),
    "institution": ("institution", "school", "organisation", "organization", "учреждение",
                    "образовательноеучреждение", "организация", "образовательнаяорганизация", "школа",
                    "оу", "оо"),
    "division": ("division", "номинация", "направление", "секция", "группа"),
    "grade": ("grade", "class", "класс", "параллель"),
    "subject": ("subject", "предмет", "дисциплина"),
}  # fmt: skip
_ALIAS_TO_COLUMN = {alias: column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}
_HEADER_NOISE = re.compile(r"[\s\-_.,:;*№()\"'«»/\\]+")


@dataclass(frozen=True)
class Row:
    """One data line: its number in the file (as a spreadsheet numbers it), its original text and
    its cells by canonical column name (stripped, never lower-cased)."""

    line: int
    text: str
    cells: dict[str, str] = field(default_factory=dict)

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]  # canonical names recognised in the header, in the file's order
    rows: tuple[Row, ...]
    header: Row | None  # None when the file has no header (positional columns)
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "cp1251" or "xlsx"
    separator: str  # "" for a workbook


@dataclass(frozen=True)
class LineError:
    """One refused line, for the report: its number, the text as it was in the file, and why."""

    line: int
    text: str
    message: str


def header_key(text: str) -> str:
    """A header cell compared without case, ё, spaces or punctuation."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return _HEADER_NOISE.sub("", folded)


def read_table(data: bytes, *, headerless: Sequence[str] = ()) -> Table:
    """The table in `data` (CSV of any of the usual encodings and separators, or XLSX).

    The first non-empty line is the header when any of its cells names a known column; otherwise,
    with `headerless` given, the columns are taken in that order and every line is data (a class
    list of bare e-mails). Raises TableError for a file that is not a readable table."""
    if len(data) > MAX_BYTES:
        raise TableError("too_large", limit=MAX_BYTES // (1024 * 1024))
    if not data.strip():
        raise TableError("empty")
    if data.startswith(OLE_SIGNATURE):
        raise TableError("xls")
    if data.startswith(XLSX_SIGNATURE):
        return _table(xlsx_rows(data), headerless, "xlsx", "")
    text, encoding = decode(data)
    separator = detect_separator(text)
    return _table(_csv_rows(text, separator), headerless, encoding, separator)


def read_text_table(text: str, *, headerless: Sequence[str] = ()) -> Table:
    """The same for text already decoded (a list pasted into a form)."""
    if not text.strip():
        raise TableError("empty")
    if "\x00" in text:
        raise TableError("binary")
    separator = detect_separator(text)
    return _table(_csv_rows(text, separator), headerless, "utf-8", separator)


def missing_columns(table: Table, required: Iterable[str]) -> list[str]:
    """The required canonical columns the header does not name."""
    return [column for column in required if column not in table.columns]


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding's name: a BOM decides; else UTF-8 if it decodes; else cp1251 when
    the bytes read as plausible Cyrillic text (charset-normalizer judges; KOI8-R or binary do not)."""
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        try:
            return _text_only(data.decode("utf-8")), "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1251"
            if from_bytes(data, cp_isolation=[encoding]).best() is None:
                raise TableError("encoding") from None
    try:
        return _text_only(data.decode(encoding)), encoding
    except UnicodeDecodeError:
        raise TableError("encoding") from None


def _text_only(text: str) -> str:
    if "\x00" in text:
        raise TableError("binary")
    return text


def detect_separator(text: str) -> str:
    """`;`, TAB or `,`: whichever the first non-empty line holds most often outside quotes."""
    first = next((line for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")
    counts = {separator: _count_outside_quotes(first, separator) for separator in SEPARATORS}
    best = max(SEPARATORS, key=lambda separator: counts[separator])
    return best if counts[best] else ","


def _count_outside_quotes(line: str, separator: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            count += 1
    return count


def _csv_rows(text: str, separator: str) -> Iterator[tuple[int, str, list[str]]]:
    """(first line number, original text, cells) of every record; a quoted cell may span lines."""
    lines: list[str] = []

    def physical() -> Iterator[str]:
        for line in io.StringIO(text.lstrip("\ufeff"), newline=""):
            lines.append(line)
            yield line

    reader = csv.reader(physical(), delimiter=separator)
    start = 0
    try:
        for cells in reader:
            yield start + 1, "".join(lines[start : reader.line_num]).rstrip("\r\n"), cells
            start = reader.line_num
    except csv.Error:
        raise TableError("csv", line=reader.line_num) from None


def _table(
    records: Iterable[tuple[int, str, list[str]]], headerless: Sequence[str], encoding: str, separator: str
) -> Table:
    header: Row | None = None
    positions: list[str] = []
    rows: list[Row] = []
    for line, text, cells in records:
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if header is None and not positions:
            positions = [_ALIAS_TO_COLUMN.get(header_key(cell), "") for cell in cells]
            if any(positions):
                _check_repeats(positions, cells)
                header = Row(line, text)
                continue
            if not headerless:
                return Table((), (), Row(line, text), encoding, separator)
            positions = list(headerless)
        if len(rows) >= MAX_ROWS:
            raise TableError("too_many_rows", limit=MAX_ROWS)
        rows.append(Row(line, text, _named(positions, cells)))
    if header is None and not rows:
        raise TableError("empty")
    columns = tuple(name for name in positions if name)
    if "full_name" not in columns and {"last_name", "first_name"} <= set(columns):
        columns += ("full_name",)
    return Table(columns, tuple(rows), header, encoding, separator)


def _check_repeats(positions: list[str], cells: list[str]) -> None:
    seen: set[str] = set()
    for name, cell in zip(positions, cells, strict=True):
        if name and name in seen:
            raise TableError("column_twice", column=cell)
        seen.add(name)


def _named(positions: list[str], cells: list[str]) -> dict[str, str]:
    """The cells by column name; a full name composed from «Фамилия», «Имя», «Отчество» columns."""
    named = {name: cell for name, cell in zip(positions, cells, strict=False) if name}
    if "full_name" not in named and ("last_name" in named or "first_name" in named):
        parts = (named.get("last_name", ""), named.get("first_name", ""), named.get("middle_name", ""))
        named["full_name"] = " ".join(part for part in parts if part)
    return named
