"""Bad input through the API is a 4xx in the error shape, never a 500 (issue 9, item 8): ids beyond
the database's integer, huge pages, NUL characters, out-of-range dates, deeply nested JSON, and
405 answers that say which methods are allowed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale

from app.input_guard import nul_field_message
from app.timeutil import out_of_range_message
from tests.factories import courses as cf
from tests.factories.accounts import admin, organiser, student, teacher

BEYOND = [2**31, 2**63, 10**30]  # PostgreSQL's integer, SQLite's integer, neither
T0 = datetime(2027, 2, 1, 6, 0, tzinfo=UTC)
CONTEST = {
    "title": "Конкурс",
    "kind": "teacher",
    "divisions": ["5-8"],
    "stages": [
        {
            "title": "Заочный этап",
            "kind": "submission",
            "opens_at": T0.isoformat(),
            "closes_at": (T0 + timedelta(days=7)).isoformat(),
        }
    ],
}


def _russian(message) -> str:  # type: ignore[no-untyped-def]
    with force_locale("ru"):
        return str(message())


def _error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:500])
    body = response.get_json()
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


@pytest.mark.parametrize("big", BEYOND)
def test_ids_beyond_the_database_integer_in_a_path_are_not_found(api, big) -> None:  # type: ignore[no-untyped-def]
    client = api(admin())
    for path in (f"/contests/{big}", f"/stages/{big}/results", f"/courses/{big}", f"/entries/{big}"):
        assert _error(client.get(path), 404)["code"] == "not_found"
    assert _error(client.put(f"/slots/{big}", {"participant_id": None}), 404)["code"] == "not_found"


@pytest.mark.parametrize("big", BEYOND)
def test_ids_beyond_the_database_integer_in_a_body_are_refused_by_the_field(api, big) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    course = cf.course(author=author)
    error = _error(
        api(author).post(f"/courses/{course.id}/enrolments", {"user_id": big, "role": "student"}), 422
    )
    assert "user_id" in error["fields"]
    error = _error(
        api(admin()).post(
            "/users",
            {
                "email": "new@example.org",
                "full_name": "Новый Пользователь",
                "password": "password123",
                "role": "teacher",
                "institution_id": big,
            },
        ),
        422,
    )
    assert "institution_id" in error["fields"]


def test_huge_page_and_ids_in_the_query_are_refused_or_ignored(api) -> None:  # type: ignore[no-untyped-def]
    client = api(admin())
    for query in ("page=1000000000000", f"page={2**70}", f"per_page={2**70}", "page=0"):
        error = _error(client.get(f"/users?{query}"), 422)
        assert set(error["fields"]) & {"page", "per_page"}
    assert client.get("/users?page=1000000").status_code == 200  # the last page anyone may ask for: empty
    contest = client.post("/contests", CONTEST)
    assert contest.status_code == 201, contest.get_json()
    listed = client.get(f"/contests/{contest.get_json()['id']}/participants?division={2**63}")
    assert listed.status_code == 200, listed.get_json()  # read like any other non-number: no filter


def test_nul_characters_are_refused_with_the_field_named(api) -> None:  # type: ignore[no-untyped-def]
    error = _error(api(teacher()).post("/courses", {"title": "Курс\x00", "summary": "ok"}), 422)
    assert error["fields"] == {"title": _russian(nul_field_message)}
    error = _error(api().post("/auth/token", {"email": "admin\x00@example.org", "password": "x"}), 422)
    assert "email" in error["fields"]
    nested = {**CONTEST, "divisions": ["5-8\x00"]}
    assert "divisions.0" in _error(api(organiser()).post("/contests", nested), 422)["fields"]
    assert _error(api(admin()).get("/users?q=%00"), 400)["fields"] == {"q": _russian(nul_field_message)}
    assert _error(api().get("/certificates/AB%00CD"), 400)["code"] == "bad_request"
    gift = api(admin()).post("/courses", {"title": "Курс"}).get_json()["id"]
    raw = api(admin()).post(
        f"/courses/{gift}/questions/import", data=b"::Q:: 2+2? {=4\x00}", content_type="text/plain"
    )
    assert _error(raw, 422)["fields"] == {"body": _russian(nul_field_message)}


@pytest.mark.parametrize(
    "moment", ["9999-12-31T23:00-12:00", "0001-01-01T00:30+03:00", "9999-12-31T23:59:59+00:00"]
)
def test_dates_out_of_range_are_refused_by_the_field(api, moment) -> None:  # type: ignore[no-untyped-def]
    body = {
        "title": "Конкурс",
        "kind": "teacher",
        "divisions": ["5-8"],
        "stages": [
            {"title": "Заочный этап", "kind": "submission", "opens_at": T0.isoformat(), "closes_at": moment}
        ],
    }
    error = _error(api(organiser()).post("/contests", body), 422)
    assert error["fields"] == {"stages.0.closes_at": _russian(out_of_range_message)}
    error = _error(api(teacher()).post("/courses", {"title": "Курс", "starts_on": "9999-12-31"}), 422)
    assert "starts_on" in error["fields"]


def test_sane_dates_still_pass(api) -> None:  # type: ignore[no-untyped-def]
    assert api(organiser()).post("/contests", CONTEST).status_code == 201


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"title": ' + b'{"a": ' * 40 + b"1" + b"}" * 40 + b"}",
        b'{"title": "x", "hours": NaN}',
        b'{"title": "x", "hours": 1e400}',
        b'{"title": "\xff"}',
    ],
)
def test_unusable_json_is_refused_not_a_server_error(api, raw) -> None:  # type: ignore[no-untyped-def]
    client = api(teacher())
    for content_type in ("application/json", "text/plain"):
        assert (
            _error(client.post("/courses", data=raw, content_type=content_type), 422)["code"] == "validation"
        )


def test_405_carries_allow_in_the_error_shape(api) -> None:  # type: ignore[no-untyped-def]
    response = api(student()).put("/me", {"full_name": "x"})
    assert _error(response, 405)["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_points_that_round_to_zero_are_refused_by_the_field(api) -> None:  # type: ignore[no-untyped-def]
    # Found by the fuzz test: 0.001 passed "> 0" and then broke the stored column's CHECK on PostgreSQL.
    author = teacher()
    module = cf.module(cf.course(author=author))
    body = {"title": "Эссе", "description": "Напишите эссе", "max_points": 0.001}
    error = _error(api(author).post(f"/modules/{module.id}/assignments", body), 422)
    assert "max_points" in error["fields"]


def test_openapi_documents_each_operations_errors_and_the_id_bounds(api) -> None:  # type: ignore[no-untyped-def]
    document = api().get("/openapi.json").get_json()
    operation = document["paths"]["/api/v1/contests/{contest_id}/participants"]["post"]
    assert {"400", "401", "403", "404", "409", "413", "422"} <= set(operation["responses"])
    assert "4XX" not in operation["responses"]
    (contest_id,) = [p for p in operation["parameters"] if p["name"] == "contest_id"]
    assert contest_id["schema"] == {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}
    user_id = document["components"]["schemas"]["ParticipantIn"]["properties"]["user_id"]
    assert user_id["maximum"] == 2**31 - 1 and user_id["minimum"] == 1
    (code,) = document["paths"]["/api/v1/certificates/{code}"]["get"]["parameters"]
    assert code["schema"] == {"type": "string"}
    error = _error(api(organiser()).post("/contests/1/participants", {"user_id": 0}), 422)
    assert "user_id" in error["fields"]


@pytest.mark.parametrize(
    ("rule", "value"), [("min_score", 1e20), ("top_n", 10**12), ("min_score", "-123456789.5")]
)
def test_advancement_values_the_database_cannot_hold_are_refused(api, rule, value) -> None:  # type: ignore[no-untyped-def]
    # numeric field overflow on PostgreSQL before: the value is stored with 8 digits before the point
    body = {**CONTEST, "stages": [{**CONTEST["stages"][0], "advancement": {"rule": rule, "value": value}}]}
    error = _error(api(organiser()).post("/contests", body), 422)
    assert "stages.0.advancement.value" in error["fields"]
