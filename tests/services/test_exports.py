"""Every CSV and XLSX export neutralises formulas in user-typed cells (issue 9, item 11) and names
its sheet as Excel allows: the contest results and the course gradebook."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from app.extensions import db
from contest_engine import results
from courses import gradebook
from tests.factories import courses as cf
from tests.factories.accounts import student
from tests.factories.jury import jury_stage

HYPERLINK = '=HYPERLINK("http://x","y")'
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _csv_cells(text: str) -> set[str]:
    """The cells of an export in the Excel-ready form (a BOM and `;`), the domains' default."""
    assert text.startswith("\ufeff")
    return {cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";") for cell in row}


def _xlsx_cells(data: bytes) -> tuple[list[str], list[object]]:
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells), "a cell became a formula"
    return book.sheetnames, [cell.value for cell in cells]


def test_results_exports_neutralise_formulas_and_accept_a_colon_in_the_stage_title(app) -> None:  # type: ignore[no-untyped-def]
    built = jury_stage(entries=2, jurors=1)
    built.participants[0].full_name = "=1+2"
    built.participants[1].full_name = HYPERLINK
    built.stage.title = "Финал: демонстрационный урок"
    db.session.commit()
    results.refresh_results(built.stage, now=NOW)

    cells = _csv_cells(results.results_csv(built.stage))
    assert {"'=1+2", "'" + HYPERLINK} <= cells and not {"=1+2", HYPERLINK} & cells

    sheets, values = _xlsx_cells(results.results_xlsx(built.stage))
    assert sheets == ["Финал демонстрационный урок"]
    assert {"'=1+2", "'" + HYPERLINK} <= set(values)


def test_gradebook_exports_neutralise_formulas(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    cf.assignment(module, "=SUM(1,2)")
    cf.enrolled(course, student(full_name="=1+2"))
    cf.enrolled(course, student(full_name=HYPERLINK))

    cells = _csv_cells(gradebook.gradebook_csv(course))
    assert {"'=1+2", "'" + HYPERLINK, "'=SUM(1,2)"} <= cells

    _sheets, values = _xlsx_cells(gradebook.gradebook_xlsx(course))
    assert {"'=1+2", "'" + HYPERLINK, "'=SUM(1,2)"} <= set(values)
