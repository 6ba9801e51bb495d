"""monitoring.exports on hand-built reports: the workbook keeps a hostile name as text, writes shares
as percentages and counts as whole numbers, adds the breakdowns and the years as sheets, says when a
report was never computed; the annual PDF of a coordinator has a page per school and no charts of
districts; an empty scope is refused."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.domain_errors import Forbidden
from app.permissions.monitoring import MonitoringScope
from monitoring.exports import annual_pdf, report_xlsx
from monitoring.report_shape import Column, Report, Row
from tests.web.test_monitoring_pages_world import PUPIL, world

pytestmark = pytest.mark.usefixtures("app")

COLUMNS = [Column("participants", "Участники"), Column("awarded_share", "Доля награждённых", share=True)]


def _report(computed: datetime | None) -> Report:
    return Report(
        name="olympiads", title="Олимпиады: итоги", year=2025, computed_at=computed, columns=COLUMNS,
        rows=[Row("institution", 1, "=HYPERLINK(\"http://evil\")", {"participants": 1200,
                                                                     "awarded_share": Decimal("0.4200")})],
        totals={"participants": 1200, "awarded_share": Decimal("0.4200")},
        previous_totals={"participants": 0, "awarded_share": Decimal(0)},
        breakdowns={"По классам": [Row("grade", 1, "9", {"participants": 1200})]},
        trend={2024: {"participants": 0}, 2025: {"participants": 1200}},
    )  # fmt: skip


def test_the_workbook_is_excel_ready_and_safe() -> None:
    book = load_workbook(io.BytesIO(report_xlsx(_report(datetime(2025, 11, 2, 9, 0, tzinfo=UTC)))))
    assert book.sheetnames == ["Олимпиады итоги", "По классам", "По годам"]  # «:» is not allowed in a name
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "Олимпиады: итоги, 2025/26"
    assert sheet["A2"].value == "Рассчитано 2025-11-02 09:00 UTC"
    assert [cell.value for cell in sheet[4]] == ["Учреждение", "Участники", "Доля награждённых"]
    assert sheet["A5"].value == '\'=HYPERLINK("http://evil")'  # text, never a formula
    assert (sheet["B5"].value, sheet["B5"].number_format) == (1200, "#,##0")
    assert (sheet["C5"].value, sheet["C5"].number_format) == (0.42, "0.0%")
    assert sheet["A6"].value == "Итого" and sheet["A6"].font.bold
    assert sheet["A7"].value == "Предыдущий год (2024/25)" and sheet["C7"].value == 0
    assert sheet.auto_filter.ref == "A4:C5"
    years = book["По годам"]
    assert [row[0] for row in years.iter_rows(min_row=5, values_only=True)] == ["2024/25", "2025/26"]


def test_a_report_never_computed_says_so() -> None:
    book = load_workbook(io.BytesIO(report_xlsx(_report(None))))
    assert book.worksheets[0]["A2"].value == "Ещё не рассчитано"


def test_a_coordinators_annual_report_is_their_schools() -> None:
    ids = world()
    scope = MonitoringScope(institution_ids=frozenset({ids["a"], ids["c"]}))
    reader = PdfReader(io.BytesIO(annual_pdf(ids["year"], scope)))
    texts = [page.extract_text() for page in reader.pages]
    assert len(reader.pages) == 3  # the totals, then a page per school
    assert texts[1].startswith("Гимназия № 1") and texts[2].startswith("Лицей № 3")
    assert "Школа № 2" not in "".join(texts) and PUPIL not in "".join(texts)
    assert "26,7\xa0%" in texts[1]  # 4 of 15 awarded this year


def test_an_empty_scope_has_no_annual_report() -> None:
    with pytest.raises(Forbidden):
        annual_pdf(2025, MonitoringScope())
