"""Monitoring in the browser (issue 14's "Done means"): a district methodist opens the olympiad report
of their district from the header, sees a chart and the table, drills into a school's card and
exports the report to XLSX; the chart is drawn inline and no script or style breaks under the CSP."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app.accounts import District
from app.extensions import db
from tests.e2e.signing_in import log_in
from tests.factories.accounts import district_methodist
from tests.web.test_monitoring_pages_world import PUPIL, world

pytestmark = pytest.mark.e2e


def test_district_methodist_opens_the_olympiads_drills_into_a_school_and_exports(
    app: Any, page: Any, live_server: Any, screenshot: Any
) -> None:
    ids = world()
    person = district_methodist(
        db.session.get_one(District, ids["centre"]), full_name="Ирина Павловна Методистова"
    )
    email = person.email
    db.session.commit()
    db.session.remove()

    log_in(page, email)
    # The dashboard leads to their work too, not only the header's menu.
    assert page.locator("#dashboard-monitoring").get_attribute("href") == "/monitoring/"
    page.locator("#nav-community").click()  # «Сообщество» → «Мониторинг», beside «Сеть»
    page.locator("#nav-monitoring").click()
    page.locator("[data-report=olympiads]").click()
    page.wait_for_url(re.compile(r"/monitoring/olympiads$"))
    # Their district only; into it.
    table = page.locator("#report-table")
    assert table.get_by_role("link", name="Центральный район").is_visible()
    assert table.get_by_text("Ленинский район").count() == 0
    table.get_by_role("link", name="Центральный район").click()
    page.wait_for_url(re.compile(rf"district_id={ids['centre']}"))

    # A chart, drawn (its bars have a size and a colour), and the table with the schools.
    chart = page.locator("[data-chart=bars] svg[role=img]")
    assert chart.is_visible()
    assert chart.bounding_box()["height"] > 60
    fill = page.locator("[data-chart=bars] svg path[fill='#2f6db5']").first.evaluate(
        "node => getComputedStyle(node).fill"
    )
    assert fill == "rgb(47, 109, 181)"
    school_row = table.locator(f"[data-row=institution-{ids['a']}]")
    assert "Гимназия № 1" in school_row.inner_text()
    assert "25\xa0%" in table.locator("[data-row=total]").inner_text()
    assert PUPIL not in page.content()
    screenshot(page, "monitoring-olympiads-district")

    # The XLSX of what is on the screen.
    with page.expect_download() as download_info:
        page.locator("#export-xlsx").click()
    book = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    names = [row[0] for row in book.worksheets[0].iter_rows(min_row=5, values_only=True)]
    assert "Гимназия № 1" in names and "Лицей № 3" not in names

    # Into the school's card, and back to the district.
    school_row.get_by_role("link", name="Гимназия № 1").click()
    page.wait_for_url(re.compile(rf"/monitoring/school/{ids['a']}"))
    assert page.locator("h1").inner_text().startswith("Гимназия № 1")
    assert page.locator("#card-olympiads [data-chart=trend] svg").is_visible()
    screenshot(page, "monitoring-school-card")
    page.locator("#back-to-district").click()
    page.wait_for_url(re.compile(rf"district_id={ids['centre']}"))
    assert page.js_errors == []


def test_on_a_phone_nothing_scrolls_sideways(app: Any, page: Any, live_server: Any) -> None:
    """Wide tables scroll inside their own box; their visually hidden captions and labels must not
    widen the page (an absolutely placed element escapes a box that is not positioned)."""
    ids = world()
    email = district_methodist(db.session.get_one(District, ids["centre"])).email
    db.session.commit()
    db.session.remove()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, email)
    for path in (
        "/monitoring/activity",
        "/monitoring/olympiads",
        f"/monitoring/olympiads?district_id={ids['centre']}",
        f"/monitoring/school/{ids['a']}",
    ):
        page.goto(path)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
    assert page.js_errors == []
