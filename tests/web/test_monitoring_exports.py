"""Monitoring's downloads: a report as an Excel-ready workbook (header, number formats, shares as
percentages, totals and the year before, breakdowns and years on their own sheets) and the annual
PDF (a title page, a page per district and per school, charts); a pupil's name in neither; bad
filters refused with 422."""

from __future__ import annotations

import io
from datetime import UTC
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from pypdf import PdfReader

from app.accounts import District
from app.extensions import db
from monitoring.models import SummaryRun
from tests.conftest import login
from tests.factories.accounts import admin, district_methodist
from tests.web.test_monitoring_pages import more_schools
from tests.web.test_monitoring_pages_world import PUPIL, world


def test_a_district_report_as_xlsx(app: Any, client: Any) -> None:
    ids = world()
    login(client, district_methodist(db.session.get_one(District, ids["centre"])))
    response = client.get(f"/monitoring/olympiads.xlsx?district_id={ids['centre']}")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.worksheets[0]
    assert "Рассчитано" in sheet["A2"].value
    header = [cell.value for cell in sheet[4]]
    assert header[0] == "Учреждение" and "Участники" in header
    names = [sheet.cell(row=row, column=1).value for row in range(5, sheet.max_row + 1)]
    assert names[:2] == ["Гимназия № 1", "Школа № 2"]
    assert names[-2] == "Итого" and names[-1].startswith("Предыдущий год")
    total_row = 5 + names.index("Итого")
    shares = [cell for cell in sheet[total_row] if cell.number_format == "0.0%"]
    assert shares[0].value == 0.25  # the awarded share, the first share column: 5 of 20
    assert len(shares) == 2 and shares[1].column == len(header)
    assert sheet.cell(row=5, column=2).number_format == "#,##0"
    assert sheet.freeze_panes == "B5"
    titles = book.sheetnames
    assert "По олимпиадам и конкурсам" in titles[1] or len(titles) >= 4  # contest, subject, grade, years
    assert titles[-1] == "По годам"
    text = " ".join(str(cell.value) for ws in book.worksheets for row in ws.iter_rows() for cell in row)
    assert PUPIL not in text


def test_the_annual_pdf_has_a_page_per_district_and_school(app: Any, client: Any) -> None:
    ids = world()
    login(client, admin())
    response = client.get(f"/monitoring/annual.pdf?year={ids['year']}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for name in ("Мониторинг сети: годовой отчёт", "Центральный район", "Ленинский район", "Гимназия № 1"):
        assert name in text
    assert PUPIL not in text
    # Title + 2 districts + 3 schools at least; the district pages carry a drawn chart.
    assert len(reader.pages) >= 6
    assert sum(len(page.images) for page in reader.pages) >= 3


def test_a_district_methodist_gets_their_districts_annual_pdf(app: Any, client: Any) -> None:
    ids = world()
    login(client, district_methodist(db.session.get_one(District, ids["lenin"])))
    reader = PdfReader(io.BytesIO(client.get("/monitoring/annual.pdf").data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Ленинский район" in text and "Лицей № 3" in text
    assert "Центральный район" not in text and "Гимназия № 1" not in text


def test_bad_filters_of_downloads_are_refused(app: Any, client: Any) -> None:
    world()
    login(client, admin())
    for path in ("/monitoring/olympiads.xlsx?year=1999", "/monitoring/annual.pdf?year=abc",
                 "/monitoring/activity.xlsx?district_id=x"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 422, path
    assert client.get("/monitoring/weather.xlsx").status_code == 404
    assert client.get("/monitoring/olympiads.xlsx?district_id=999999").status_code == 404


def test_the_workbook_runs_a_constant_number_of_queries(app: Any, client: Any, count_queries: Any) -> None:
    ids = world()
    login(client, admin())
    path = f"/monitoring/olympiads.xlsx?district_id={ids['centre']}"
    with count_queries(cold=True) as counter:
        assert client.get(path).status_code == 200
    first = counter.count
    more_schools(ids["centre"], ids["year"], 30)
    with count_queries(cold=True) as counter:
        response = client.get(path)
    assert counter.count == first
    assert load_workbook(io.BytesIO(response.data)).worksheets[0].max_row == 4 + 2 + 30 + 2


def test_an_empty_network_exports_zeros(app: Any, client: Any) -> None:
    login(client, admin())
    assert client.get("/monitoring/qualification.xlsx").status_code == 200
    assert client.get("/monitoring/annual.pdf").data.startswith(b"%PDF")


def test_the_workbook_gives_the_computation_time_in_the_readers_zone(app: Any, client: Any) -> None:
    ids = world()
    person = district_methodist(db.session.get_one(District, ids["centre"]))
    person.timezone = "Asia/Novosibirsk"
    db.session.commit()
    run = db.session.get_one(SummaryRun, "contests")
    computed = run.computed_at if run.computed_at.tzinfo else run.computed_at.replace(tzinfo=UTC)
    login(client, person)
    book = load_workbook(io.BytesIO(client.get("/monitoring/olympiads.xlsx").data))
    local = computed.astimezone(ZoneInfo("Asia/Novosibirsk")).strftime("%Y-%m-%d %H:%M")
    for sheet in book.worksheets:
        assert sheet["A2"].value == f"Рассчитано {local} (Asia/Novosibirsk)", sheet.title
