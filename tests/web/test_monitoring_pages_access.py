"""Who may open the monitoring pages and downloads: each refused role gets a 403 (anonymous visitors
are sent to log in), a coordinator sees only their schools, a district methodist only their
districts; the school card's figures, the year before and its refusals; the card's query count."""

from __future__ import annotations

from typing import Any

import pytest

from app.accounts import District, Institution
from app.extensions import db
from tests.conftest import login
from tests.factories.accounts import (
    admin,
    coordinator,
    district,
    district_methodist,
    institution_in,
    methodist,
    student,
    teacher,
)
from tests.monitoring_people import as_the_job_leaves_it
from tests.web.test_monitoring_pages_world import PUPIL, world

PAGES = (
    "/monitoring/",
    "/monitoring/olympiads",
    "/monitoring/qualification.xlsx",
    "/monitoring/annual.pdf",
    "/monitoring/school/{a}",
)


def _refused_person(kind: str, ids: dict[str, Any]) -> Any:
    other_district = district("Кировский район")
    other_school = institution_in(other_district, "Школа № 77")
    people = {
        "pupil": lambda: student(),
        "teacher": lambda: teacher(),
        "methodist": lambda: methodist(),
        "coordinator without a scope": lambda: coordinator(),
        "district methodist without a scope": lambda: district_methodist(),
        "coordinator of another school": lambda: coordinator(other_school),
        "district methodist of another district": lambda: district_methodist(other_district),
    }
    return people[kind]()


def test_anonymous_visitors_are_sent_to_log_in(app: Any, client: Any) -> None:
    ids = world()
    for path in PAGES:
        response = client.get(path.format(**ids))
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], path
    assert client.post("/monitoring/recompute").status_code in (302, 400)


@pytest.mark.parametrize(
    "kind",
    ["pupil", "teacher", "methodist", "coordinator without a scope", "district methodist without a scope"],
)
def test_people_without_monitoring_are_refused_everywhere(app: Any, client: Any, kind: str) -> None:
    ids = world()
    login(client, _refused_person(kind, ids))
    for path in PAGES:
        assert client.get(path.format(**ids)).status_code == 403, path
    assert 'id="nav-monitoring"' not in client.get("/dashboard").get_data(as_text=True)


@pytest.mark.parametrize("kind", ["coordinator of another school", "district methodist of another district"])
def test_others_schools_and_districts_are_refused(app: Any, client: Any, kind: str) -> None:
    ids = world()
    login(client, _refused_person(kind, ids))
    assert client.get("/monitoring/olympiads").status_code == 200  # their own
    for path in (
        f"/monitoring/school/{ids['a']}",
        f"/monitoring/olympiads?district_id={ids['centre']}",
        f"/monitoring/olympiads?institution_id={ids['a']}",
        f"/monitoring/olympiads.xlsx?district_id={ids['centre']}",
        f"/monitoring/school/{ids['a']}?year=1999",
    ):
        assert client.get(path).status_code == 403, path


def test_only_the_administrator_recomputes(app: Any, client: Any) -> None:
    ids = world()
    login(client, district_methodist(db.session.get_one(District, ids["centre"])))
    assert client.post("/monitoring/recompute").status_code == 403
    assert "Пересчитать сейчас" not in client.get("/monitoring/olympiads").get_data(as_text=True)


def test_coordinator_sees_their_school_card_with_the_year_before(app: Any, client: Any) -> None:
    ids = world()
    login(client, coordinator(db.session.get_one(Institution, ids["a"])))
    index = client.get("/monitoring/").get_data(as_text=True)
    assert f"/monitoring/school/{ids['a']}" in index
    html = client.get(f"/monitoring/school/{ids['a']}").get_data(as_text=True)
    for name in ("qualification", "olympiads", "teacher_contests", "activity"):
        assert f'id="card-{name}"' in html
    share = html.split('data-card="qualification"', 1)[1].split('data-key="course_3y_share"', 1)[1]
    cells = share.split("</tr>", 1)[0]
    assert "70\xa0%" in cells and "50\xa0%" in cells  # 7 of 10 this year, 5 of 10 the year before
    assert 'data-chart="trend"' in html
    assert 'id="back-to-district"' not in html  # a coordinator has no district report to go back to
    assert PUPIL not in html


def test_the_card_leads_a_district_methodist_back_to_the_district(app: Any, client: Any) -> None:
    ids = world()
    login(client, district_methodist(db.session.get_one(District, ids["centre"])))
    html = client.get(f"/monitoring/school/{ids['a']}?from=qualification").get_data(as_text=True)
    assert f"/monitoring/qualification?year={ids['year']}&amp;district_id={ids['centre']}" in html


def test_the_card_refuses_a_bad_year_by_the_field(app: Any, client: Any) -> None:
    ids = world()
    login(client, admin())
    response = client.get(f"/monitoring/school/{ids['a']}?year=abc")
    assert response.status_code == 422
    assert "is-invalid" in response.get_data(as_text=True)


def test_the_card_runs_a_constant_number_of_queries(app: Any, client: Any, count_queries: Any) -> None:
    """Built (after a summary run) and kept (the next request) alike, whatever the network's size."""
    ids = world()
    login(client, admin())
    counts = []
    for more in (0, 30):
        centre = db.session.get_one(District, ids["centre"])
        for n in range(more):
            institution_in(centre, f"Школа № {200 + n}")
        as_the_job_leaves_it()
        db.session.commit()
        for _ in ("built", "kept"):
            with count_queries(cold=True) as counter:
                assert client.get(f"/monitoring/school/{ids['a']}").status_code == 200
            counts.append(counter.count)
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
    assert counts[1] < counts[0], counts
