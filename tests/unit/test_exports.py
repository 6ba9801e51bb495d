"""The one cell function of every CSV and XLSX export: formulas neutralised, numbers kept,
sheet names Excel accepts."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app.exports import csv_text, safe_cell, sheet_title, xlsx_bytes

HYPERLINK = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        (HYPERLINK, "'" + HYPERLINK),
        ("+7 900 000-00-00", "'+7 900 000-00-00"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+2", "'\t=1+2"),
        ("\r=1+2", "'\r=1+2"),
        ("Иванова А. = 1", "Иванова А. = 1"),
        ("-3.5", "-3.5"),  # a number written as text stays a plain number
        ("+12", "+12"),
        ("-", "'-"),
        ("bell\x07 and NUL\x00", "bell and NUL"),  # control characters XLSX cannot hold
        (None, ""),
        (42, 42),
        (-7, -7),
        (Decimal("-1.25"), Decimal("-1.25")),
        (2.5, 2.5),
    ],
)
def test_safe_cell_neutralises_formulas_and_keeps_numbers(value: object, written: object) -> None:
    assert safe_cell(value) == written


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Финал: открытый урок", "Финал открытый урок"),
        ("a/b\\c?d*e[f]g", "a b c d e f g"),
        ("'quoted'", "quoted"),
        ("Очень длинное название заключительного этапа конкурса", "Очень длинное название…"),
        ("Олимпиады и конкурсы обучающихся", "Олимпиады и конкурсы…"),
        ("Заключительныйэтапконкурсапедагогов", "Заключительныйэтапконкурсапеда…"),
        (":::", "results"),
        ("", "results"),
    ],
)
def test_sheet_title_is_one_excel_accepts(title: str, name: str) -> None:
    assert sheet_title(title, "results") == name
    assert len(sheet_title(title, "results")) <= 31


@pytest.mark.parametrize(("excel", "bom", "separator"), [(True, "\ufeff", ";"), (False, "", ",")])
def test_csv_cells_are_neutralised_in_both_forms(excel: bool, bom: str, separator: str) -> None:
    text = csv_text(["Участник", "Балл"], [["=1+2", 5], [HYPERLINK, -1]], excel=excel)
    assert text.startswith(bom + "Участник" + separator)
    rows = list(csv.reader(io.StringIO(text.removeprefix(bom)), delimiter=separator))
    assert rows == [["Участник", "Балл"], ["'=1+2", "5"], ["'" + HYPERLINK, "-1"]]


def test_excel_csv_is_the_default_and_keeps_decimal_commas_in_one_cell() -> None:
    text = csv_text(["Балл"], [["4,5"]])
    assert text == "\ufeffБалл\r\n4,5\r\n"


def test_xlsx_cells_are_text_not_formulas_and_the_sheet_title_is_sanitised() -> None:
    data = xlsx_bytes(
        "Финал: открытый урок", ["Участник", "Балл"], [["=1+2", 5], [HYPERLINK, Decimal("7.5")]]
    )
    book = load_workbook(io.BytesIO(data))
    sheet = book["Финал открытый урок"]
    names = [sheet.cell(row=row, column=1) for row in (2, 3)]
    assert [cell.value for cell in names] == ["'=1+2", "'" + HYPERLINK]
    assert all(cell.data_type == "s" for cell in names)
    assert sheet.cell(row=2, column=2).value == 5 and sheet.cell(row=3, column=2).value == 7.5
