"""Monitoring API: a report as API.md shapes it (rows by district or institution, shares as decimal
strings), XLSX, the school card, recompute by the administrator; a denial per role, 422 for an
unknown report, year or format, no pupil's name in any answer, a constant number of queries."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from app.extensions import db
from contest_engine.models import Contest, ContestKind
from monitoring.academic_year import academic_year
from monitoring.models import ContestAudience, ContestSummary, QualificationSummary
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

pytestmark = pytest.mark.usefixtures("app")
YEAR = academic_year(datetime.now(UTC))


def _world() -> dict[str, Any]:
    centre, lenin = district("Центральный"), district("Ленинский")
    a, b = institution_in(centre, "Гимназия № 1"), institution_in(lenin, "Лицей № 2")
    contest = Contest(title="Олимпиада", kind=ContestKind.OLYMPIAD)
    db.session.add(contest)
    db.session.flush()
    for inst, year, p, w in ((a, YEAR, 10, 3), (b, YEAR, 5, 1), (a, YEAR - 1, 4, 0)):
        db.session.add(
            ContestSummary(
                year=year,
                institution_id=inst.id,
                contest_id=contest.id,
                audience=ContestAudience.PUPILS,
                subject="Физика",
                grade="9",
                participants=p,
                winners=w,
                prize_winners=1,
                laureates=0,
            )
        )
    db.session.add(
        QualificationSummary(year=YEAR, institution_id=a.id, teachers=4, teachers_with_course_3y=3, hours=72)
    )
    student(institution=a, full_name="Ученица Секретова")
    as_the_job_leaves_it()
    db.session.commit()
    return {"centre": centre, "lenin": lenin, "a": a, "b": b}


def test_admin_gets_districts_with_shares_as_decimal_strings(api: Any) -> None:
    w = _world()
    body = api(admin()).get(f"/monitoring/olympiads?year={YEAR}/{(YEAR + 1) % 100:02d}").get_json()
    assert body["year"] == YEAR and body["computed_at"] is None
    rows = {row["name"]: row for row in body["rows"]}
    assert rows["Центральный"]["district_id"] == w["centre"].id
    assert rows["Центральный"]["participants"] == 10 and rows["Центральный"]["awarded_share"] == "0.4000"
    assert body["totals"]["participants"] == 15 and body["previous_totals"]["participants"] == 4
    assert body["breakdowns"]["grade"][0]["name"] == "9"
    qualification = api(admin()).get(f"/monitoring/qualification?district_id={w['centre'].id}").get_json()
    row = qualification["rows"][0]
    assert (row["institution_id"], row["teachers"], row["teachers_with_course_3y"], row["hours"]) == (
        w["a"].id,
        4,
        3,
        72,
    )


def test_district_methodist_sees_their_district_and_is_refused_another(api: Any) -> None:
    w = _world()
    client = api(district_methodist(w["centre"]))
    body = client.get("/monitoring/olympiads").get_json()
    assert [row["name"] for row in body["rows"]] == ["Центральный"]
    inside = client.get(f"/monitoring/olympiads?district_id={w['centre'].id}").get_json()
    assert [row["name"] for row in inside["rows"]] == ["Гимназия № 1"]
    refused = client.get(f"/monitoring/olympiads?district_id={w['lenin'].id}")
    assert refused.status_code == 403 and refused.get_json()["error"]["code"]
    assert client.get(f"/monitoring/olympiads?institution_id={w['b'].id}").status_code == 403
    assert client.get(f"/monitoring/school/{w['b'].id}").status_code == 403


def test_coordinator_sees_their_school_only(api: Any) -> None:
    w = _world()
    client = api(coordinator(w["a"]))
    body = client.get("/monitoring/olympiads").get_json()
    assert [(row["institution_id"], row["participants"]) for row in body["rows"]] == [(w["a"].id, 10)]
    assert client.get(f"/monitoring/school/{w['a'].id}").status_code == 200
    assert client.get(f"/monitoring/school/{w['b'].id}").status_code == 403
    assert client.get(f"/monitoring/olympiads?institution_id={w['b'].id}").status_code == 403


REFUSED = (
    "anonymous",
    "pupil",
    "teacher",
    "methodist without a scope",
    "coordinator without a scope",
    "district methodist without a scope",
    "coordinator of another school",
    "district methodist of another district",
)


def _refused(who: str, w: dict[str, Any]) -> Any:
    makers = {
        "anonymous": lambda: None,
        "pupil": student,
        "teacher": teacher,
        "methodist without a scope": methodist,
        "coordinator without a scope": coordinator,
        "district methodist without a scope": district_methodist,
        "coordinator of another school": lambda: coordinator(w["b"]),
        "district methodist of another district": lambda: district_methodist(w["lenin"]),
    }
    return makers[who]()


@pytest.mark.parametrize("who", REFUSED)
def test_others_are_refused(api: Any, who: str) -> None:
    """Nobody outside school «a» and district «centre» reads their figures in any format, and
    only the administrator recomputes."""
    w = _world()
    client = api(_refused(who, w))
    expected = 401 if who == "anonymous" else 403
    for path in (
        f"/monitoring/olympiads?district_id={w['centre'].id}",
        f"/monitoring/qualification?institution_id={w['a'].id}&format=xlsx",
        f"/monitoring/school/{w['a'].id}",
        f"/monitoring/school/{w['a'].id}?format=xlsx",
    ):
        response = client.get(path)
        assert response.status_code == expected, (who, path)
        assert set(response.get_json()["error"]) == {"code", "message", "fields"}
    assert client.post("/monitoring/recompute").status_code == expected
    if who.endswith("without a scope") or who in ("pupil", "teacher", "anonymous"):
        assert client.get("/monitoring/activity").status_code == expected


@pytest.mark.parametrize(
    "path, field",
    [
        ("/monitoring/ratings", "report"),
        ("/monitoring/olympiads?year=1999", "year"),
        (f"/monitoring/olympiads?year={YEAR + 1}", "year"),
        ("/monitoring/olympiads?year=прошлый", "year"),
        ("/monitoring/olympiads?format=pdf", "format"),
        ("/monitoring/olympiads?district_id=abc", "district_id"),
        ("/monitoring/school/1?year=2024/26", "year"),
    ],
)
def test_bad_input_is_a_422_by_the_field(api: Any, path: str, field: str) -> None:
    _world()
    response = api(admin()).get(path)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_a_school_of_another_district_than_the_one_chosen_is_a_422(api: Any) -> None:
    w = _world()
    path = f"/monitoring/olympiads?district_id={w['centre'].id}&institution_id={w['b'].id}"
    response = api(admin()).get(path)
    assert response.status_code == 422
    assert "institution_id" in response.get_json()["error"]["fields"]
    inside = f"/monitoring/olympiads?district_id={w['centre'].id}&institution_id={w['a'].id}"
    assert api(admin()).get(inside).status_code == 200


def test_unknown_district_or_school_is_404(api: Any) -> None:
    _world()
    assert api(admin()).get("/monitoring/olympiads?district_id=99999").status_code == 404
    assert api(admin()).get("/monitoring/school/99999").status_code == 404


def test_school_card_json_and_xlsx_name_no_pupil(api: Any) -> None:
    w = _world()
    client = api(admin())
    card = client.get(f"/monitoring/school/{w['a'].id}?year={YEAR}")
    assert card.status_code == 200
    body = card.get_json()
    assert body["institution"]["name"] == "Гимназия № 1"
    assert body["reports"]["olympiads"]["totals"]["participants"] == 10
    assert set(body["reports"]) == {"qualification", "olympiads", "teacher_contests", "activity"}
    assert "Секретова" not in card.get_data(as_text=True)
    xlsx = client.get(f"/monitoring/school/{w['a'].id}?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("sheet")
    report = client.get("/monitoring/olympiads?format=xlsx")
    cells = [str(c.value) for row in load_workbook(BytesIO(report.data)).active.iter_rows() for c in row]
    assert "Центральный" in cells and not any("Секретова" in c for c in cells)


def test_recompute_by_the_administrator(api: Any) -> None:
    _world()
    response = api(admin()).post("/monitoring/recompute")
    assert response.status_code == 200
    computed = response.get_json()["computed_at"]
    assert datetime.fromisoformat(computed).tzinfo is not None
    body = api(admin()).get("/monitoring/olympiads").get_json()
    assert body["computed_at"] == computed
    assert body["totals"]["participants"] == 0  # recomputed from the (empty) contest rooms


def test_report_queries_do_not_grow(api: Any, count_queries: Any) -> None:
    w = _world()
    client = api(admin())
    path = f"/monitoring/olympiads?district_id={w['centre'].id}"
    client.get(path)
    with count_queries(cold=True) as small:
        client.get(path)
    for n in range(20):
        institution_in(district("Центральный"), f"Школа № {n + 10}")
    db.session.commit()
    with count_queries(cold=True) as large:
        client.get(path)
    assert large.count == small.count


def test_a_get_of_recompute_is_405_with_allow(api: Any) -> None:
    response = api(admin()).get("/monitoring/recompute")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]
