"""Monitoring report pages: the rows of the viewer's scope with charts and their tables, the year
before beside each figure, the drill-down from districts to schools to a school's card, "computed
at" and the administrator's recompute button, the filters' refusals, and a fixed number of queries."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from app.accounts import District
from app.audit import AuditEntry
from app.extensions import db
from contest_engine.models import Contest
from monitoring.models import ContestAudience, ContestSummary
from tests.conftest import login
from tests.factories.accounts import admin, district_methodist, institution_in
from tests.monitoring_people import as_the_job_leaves_it
from tests.web.test_monitoring_pages_world import PUPIL, world


def _page(client: Any, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)[:1500]
    return response.get_data(as_text=True)


def test_district_methodist_sees_their_district_and_drills_into_a_school(app: Any, client: Any) -> None:
    ids = world()
    person = district_methodist(db.session.get_one(District, ids["centre"]))
    db.session.commit()
    login(client, person)
    html = _page(client, "/monitoring/olympiads")
    assert "Центральный район" in html and "Ленинский район" not in html
    assert f"/monitoring/olympiads?year={ids['year']}&amp;district_id={ids['centre']}" in html
    # A chart drawn inline, with no style attribute the page's CSP would block, and its table.
    assert re.search(r'<svg[^>]*role="img"', html)
    assert ' style="' not in html.split('<div class="mon-chart">', 1)[1].split("</div>", 1)[0]
    assert 'data-chart-table="bars"' in html
    assert "25\xa0%" in html  # (1 + 2 + 1 + 0 + 0 + 1) ÷ 20 of the centre this year

    html = _page(client, f"/monitoring/olympiads?district_id={ids['centre']}")
    assert "Гимназия № 1" in html and "Школа № 2" in html
    assert f"/monitoring/school/{ids['a']}?year={ids['year']}" in html
    row = html.split(f'data-row="institution-{ids["a"]}"', 1)[1].split("</tr>", 1)[0]
    assert "15" in row and "8" in row  # this year's participants and, in grey, the year before's
    assert PUPIL not in html


def test_the_year_before_is_a_choice_and_the_totals_carry_it(app: Any, client: Any) -> None:
    ids = world()
    login(client, admin())
    html = _page(client, f"/monitoring/qualification?year={ids['year'] - 1}")
    total = html.split('data-row="total"', 1)[1].split("</tr>", 1)[0]
    assert "50\xa0%" in total  # 5 of 10 teachers with a course in that year
    label = f"{ids['year'] - 1}/{ids['year'] % 100:02d}"
    assert f'<option value="{ids["year"] - 1}" selected>{label}</option>' in html


def test_admin_sees_computed_at_and_recomputes(app: Any, client: Any) -> None:
    world()
    person = admin()
    login(client, person)
    html = _page(client, "/monitoring/activity")
    assert "Рассчитано" in html and "Пересчитать сейчас" in html
    response = client.post("/monitoring/recompute", data={"next": "/monitoring/activity?year=2025"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/monitoring/activity?year=2025"
    )
    assert "Пересчитано" in _page(client, "/monitoring/activity?year=2025")
    asked = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "monitoring.recomputed")).all()
    assert [entry.actor_id for entry in asked] == [person.id]  # the audit log says who asked


@pytest.mark.parametrize(
    "back",
    ["//evil.example/monitoring", "/monitoring/../admin/", "/monitoring\\@evil.example", "/monitoringx"],
)
def test_recompute_goes_nowhere_but_monitoring(app: Any, client: Any, back: str) -> None:
    login(client, admin())
    response = client.post("/monitoring/recompute", data={"next": back})
    assert response.headers["Location"].endswith("/monitoring/")


def test_index_lists_the_reports_and_the_nav_item(app: Any, client: Any) -> None:
    ids = world()
    login(client, district_methodist(db.session.get_one(District, ids["lenin"])))
    html = _page(client, "/monitoring/")
    for name in ("qualification", "olympiads", "teacher_contests", "activity"):
        assert f'data-report="{name}"' in html
    assert 'id="nav-monitoring"' in html


def test_an_empty_network_shows_zeros(app: Any, client: Any) -> None:
    login(client, admin())
    for name in ("qualification", "olympiads", "teacher_contests", "activity"):
        html = _page(client, f"/monitoring/{name}")
        assert "0\xa0%" in html and "Ещё не рассчитано" in html


def test_names_are_escaped_in_charts_and_tables(app: Any, client: Any) -> None:
    ids = world()
    db.session.get_one(District, ids["lenin"]).name = "<script>alert(1)</script> $x$"
    db.session.commit()
    login(client, admin())
    html = _page(client, "/monitoring/olympiads")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=1999", "year"),
        ("year=abc", "year"),
        ("year=2025/27", "year"),
        ("year=2999", "year"),
        ("district_id=abc", "district_id"),
        ("district_id=-3", "district_id"),
    ],
)
def test_bad_filters_are_refused_by_the_field(app: Any, client: Any, query: str, field: str) -> None:
    world()
    login(client, admin())
    html = _page(client, f"/monitoring/olympiads?{query}", status=422)
    assert "is-invalid" in html or "text-danger" in html
    assert 'id="report-table"' not in html


def test_unknown_report_district_and_school(app: Any, client: Any) -> None:
    world()
    login(client, admin())
    _page(client, "/monitoring/weather", status=404)
    _page(client, "/monitoring/olympiads?district_id=999999", status=404)
    _page(client, "/monitoring/school/999999", status=404)


def test_report_pages_run_a_constant_number_of_queries(app: Any, client: Any, count_queries: Any) -> None:
    ids = world()
    login(client, admin())
    paths = ("/monitoring/olympiads", f"/monitoring/olympiads?district_id={ids['centre']}", "/monitoring/")
    counts = []
    for path in paths:
        with count_queries(cold=True) as counter:
            _page(client, path)
        counts.append(counter.count)
    more_schools(ids["centre"], ids["year"], 40)
    for path, before in zip(paths, counts, strict=True):
        with count_queries(cold=True) as counter:
            html = _page(client, path)
        assert counter.count == before, path
    assert "Школа № 139" in html or path == "/monitoring/"


def more_schools(district_id: int, year: int, count: int) -> None:
    """`count` more schools in the district, each with olympiad rows in two years."""
    centre = db.session.get_one(District, district_id)
    contest = db.session.scalars(select(Contest)).first()
    assert contest is not None
    for n in range(count):
        school = institution_in(centre, f"Школа № {100 + n}")
        for when in (year, year - 1):
            db.session.add(
                ContestSummary(
                    year=when, institution_id=school.id, contest_id=contest.id,
                    audience=ContestAudience.PUPILS, subject="Физика", grade="9", participants=3,
                )
            )  # fmt: skip
    as_the_job_leaves_it()
    db.session.commit()
