"""The tabular reader on the files schools have: Russian Excel's cp1251 `;` CSV, "CSV UTF-8" with a
BOM, TAB-separated text, UTF-16 "Unicode text" and XLSX (tests/fixtures/tabular/, made by
make_fixtures.py), Russian or English headers, and every kind of file it must refuse."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from app import tabular
from app.tabular import header_key, missing_columns, read_table, read_text_table
from app.tabular_errors import TableError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tabular"
EXPECTED_USERS = [
    (2, "ivanova@school3.ru", "Иванова Анна Сергеевна", "учитель", "Лицей № 3"),
    (3, "Petrov.P@School3.ru", "Петров Пётр", "ученик", "Лицей № 3"),
    (4, "yolkina@example.org", "Ёлкина Мария; старшая", "Организатор", ""),
]


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "encoding", "separator"),
    [
        ("users_excel_cp1251.csv", "cp1251", ";"),
        ("users_utf8_bom.csv", "utf-8-sig", ";"),
        ("users_tab.txt", "utf-8", "\t"),
        ("users_unicode.txt", "utf-16", "\t"),
    ],
)
def test_every_text_form_gives_the_same_rows(name: str, encoding: str, separator: str) -> None:
    table = read_table(_fixture(name))
    assert (table.encoding, table.separator) == (encoding, separator)
    assert set(table.columns) == {"email", "full_name", "role", "institution"}
    got = [
        (r.line, r.get("email"), r.get("full_name"), r.get("role"), r.get("institution")) for r in table.rows
    ]
    assert got == EXPECTED_USERS


def test_the_original_text_of_a_line_is_kept_as_typed() -> None:
    table = read_table(_fixture("users_excel_cp1251.csv"))
    assert table.header is not None and table.header.text == "Эл. почта;ФИО;Роль;Учреждение"
    assert [row.text for row in table.rows][1:] == [
        "Petrov.P@School3.ru;Петров Пётр;ученик;Лицей № 3",
        'yolkina@example.org;"Ёлкина Мария; старшая";Организатор;',
    ]


def test_xlsx_rows_keep_sheet_row_numbers_numbers_as_shown_and_compose_the_full_name() -> None:
    table = read_table(_fixture("users.xlsx"))
    assert table.encoding == "xlsx" and table.header is not None and table.header.line == 2
    assert "full_name" in table.columns and not missing_columns(table, ("email", "full_name", "role"))
    first, second = table.rows
    assert (first.line, first.get("full_name"), first.get("email")) == (
        3,
        "Смирнова Ольга Ивановна",
        "smirnova@school3.ru",
    )
    assert (second.line, second.get("full_name"), second.get("grade")) == (4, "Козлов Илья", "7")
    assert second.text == "Козлов;Илья;;kozlov@school3.ru;student;Лицей № 3;7"


def test_participants_workbook_with_russian_headers() -> None:
    table = read_table(_fixture("participants.xlsx"))
    assert table.columns == ("full_name", "email", "division", "grade", "institution")
    assert [row.get("grade") for row in table.rows] == ["7", "8"]  # 8.0 in the cell is shown as 8


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("email", "email"),
        ("E-mail", "email"),
        ("e_mail", "email"),
        ("Эл. почта", "email"),
        ("Электронная почта", "email"),
        ("ПОЧТА", "email"),
        ("ФИО", "full_name"),
        ("Ф.И.О.", "full_name"),
        ("full_name", "full_name"),
        ("Full name", "full_name"),
        ("Фамилия", "last_name"),
        ("Отчество", "middle_name"),
        ("Роль", "role"),
        ("Учреждение", "institution"),
        ("Образовательная организация", "institution"),
        ("Номинация", "division"),
        ("Класс", "grade"),
        ("Предмет", "subject"),
    ],
)
def test_headers_in_russian_or_english(header: str, column: str) -> None:
    table = read_text_table(f"{header},x\nvalue,y\n")
    assert table.columns == (column,) and table.rows[0].get(column) == "value"


def test_header_key_ignores_case_yo_spaces_and_punctuation() -> None:
    assert header_key(" Ф. И. О.: ") == header_key("фио") == "фио"
    assert header_key("Ёлка") == "елка"


def test_a_file_without_a_header_is_positional_when_the_caller_allows_it() -> None:
    table = read_table(_fixture("class_list.csv"), headerless=("email",))
    assert table.header is None and [(r.line, r.get("email")) for r in table.rows] == [
        (1, "pupil1@school3.ru"),
        (2, "pupil2@school3.ru"),
    ]
    plain = read_table(b"pupil1@school3.ru\n")
    assert plain.columns == () and plain.rows == () and plain.header is not None
    assert plain.header.text == "pupil1@school3.ru"


def test_blank_lines_are_skipped_but_counted_and_a_quoted_cell_may_span_lines() -> None:
    text = 'email;ФИО\n\n"a@b.ru";"Анна\nМария"\n  ;  \nc@d.ru;Вера\n'
    table = read_text_table(text)
    assert [(r.line, r.get("full_name")) for r in table.rows] == [(3, "Анна\nМария"), (6, "Вера")]
    assert table.rows[0].text == '"a@b.ru";"Анна\nМария"'


@pytest.mark.parametrize(
    ("line", "separator"),
    [("a;b;c", ";"), ("a\tb\tc", "\t"), ("a,b,c", ","), ('"a;b",c', ","), ("email", ","), ("a;b,c", ";")],
)
def test_separator_detection(line: str, separator: str) -> None:
    assert tabular.detect_separator(line + "\n") == separator


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"  \r\n \r\n", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "xls"),
        ("Фамилия;Почта\nПетров;a@b.ru\n".encode("koi8_r"), "encoding"),
        ("ФИО;почта\nИванова;a@b.ru\n".encode("cp866"), "encoding"),
        (b"\xff\xfe\xfa", "encoding"),
        (b"email\x00;x\n", "binary"),
        (b"PK\x03\x04 this is no zip", "xlsx_damaged"),
        (b"email;email\na@b.ru;c@d.ru\n", "column_twice"),
    ],
)
def test_files_that_are_not_readable_tables_are_refused_with_a_code(data: bytes, code: str) -> None:
    with pytest.raises(TableError) as refused:
        read_table(data)
    assert refused.value.code == code


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_an_opendocument_sheet_and_another_zip_are_told_apart() -> None:
    ods = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
    with pytest.raises(TableError) as refused:
        read_table(ods)
    assert refused.value.code == "ods"
    with pytest.raises(TableError) as other:
        read_table(_zip({"readme.txt": b"hello"}))
    assert other.value.code == "not_table"


def test_a_workbook_that_unpacks_past_the_budget_is_refused_before_openpyxl(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bomb = _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"0" * 200_000})
    assert len(bomb) < 2_000
    monkeypatch.setattr("app.tabular_xlsx.MAX_UNPACKED_BYTES", 100_000)
    with pytest.raises(TableError) as refused:
        read_table(bomb)
    assert refused.value.code == "xlsx_too_big"


def test_too_many_members_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.tabular_xlsx.MAX_MEMBERS", 3)
    members = {"xl/workbook.xml": b"<workbook/>"} | {f"xl/m{i}.xml": b"<x/>" for i in range(5)}
    with pytest.raises(TableError) as refused:
        read_table(_zip(members))
    assert refused.value.code == "xlsx_too_big"


def test_limits_on_size_and_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular, "MAX_ROWS", 2)
    with pytest.raises(TableError) as refused:
        read_text_table("email\na@b.ru\nc@d.ru\ne@f.ru\n")
    assert refused.value.code == "too_many_rows" and refused.value.params == {"limit": 2}
    monkeypatch.setattr(tabular, "MAX_BYTES", 10)
    with pytest.raises(TableError) as large:
        read_table(b"email\na@b.ru\n")
    assert large.value.code == "too_large"


def test_utf8_is_tried_before_cp1251() -> None:
    assert tabular.decode("ФИО".encode()) == ("ФИО", "utf-8")
    assert tabular.decode("ФИО".encode("cp1251")) == ("ФИО", "cp1251")
