"""The JSON API's plumbing and its users and institutions endpoints (see shared/API.md)."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate
from sqlalchemy import func, select

from app.accounts import Institution, User
from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD
from tests.factories.accounts import InstitutionFactory, admin, juror, organiser, student, teacher

PERSONAS = {"admin": admin, "organiser": organiser, "teacher": teacher, "student": student, "juror": juror}


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


# --- tokens -------------------------------------------------------------------------------------


def test_token_issue_use_and_revoke(client, api) -> None:  # type: ignore[no-untyped-def]
    user = teacher(email="t@example.org")
    db.session.commit()
    response = api().post("/auth/token", json={"email": "T@example.org", "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    token = response.get_json()["token"]
    assert token not in {row for row in db.session.scalars(select(User.password_hash))}
    caller = type(api())(client, token)
    me = caller.get("/me")
    assert me.status_code == 200 and me.get_json()["email"] == user.email
    assert caller.delete("/auth/token").status_code == 204
    _error(caller.get("/me"), 401, "unauthorized")


def test_token_is_stored_hashed(api) -> None:  # type: ignore[no-untyped-def]
    from app.accounts import ApiToken

    user = teacher()
    db.session.commit()
    raw = (
        api()
        .post("/auth/token", json={"email": user.email, "password": DEFAULT_PASSWORD})
        .get_json()["token"]
    )
    stored = db.session.scalar(select(ApiToken.token_hash))
    assert stored != raw and len(stored) == 64


def test_wrong_password_for_a_token_is_401_and_counted(app, api) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _error(
            api().post("/auth/token", json={"email": user.email, "password": "wrong-one"}),
            401,
            "unauthorized",
        )
    response = api().post("/auth/token", json={"email": user.email, "password": DEFAULT_PASSWORD})
    error = _error(response, 429, "rate_limited")
    assert "Слишком много" in error["message"] and int(response.headers["Retry-After"]) >= 1


def test_missing_and_bad_tokens_are_401(client, api) -> None:  # type: ignore[no-untyped-def]
    _error(api().get("/me"), 401, "unauthorized")
    assert api().get("/me").headers["WWW-Authenticate"].startswith("Bearer")
    bad = type(api())(client, "not-a-token")
    _error(bad.get("/me"), 401, "unauthorized")
    _error(client.get("/api/v1/me", headers={"Authorization": "Basic abc"}), 401, "unauthorized")


def test_deactivated_users_token_stops_working(api) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    caller = api(user)
    user.active = False
    db.session.commit()
    _error(caller.get("/me"), 401, "unauthorized")


def test_token_body_is_validated(api) -> None:  # type: ignore[no-untyped-def]
    error = _error(api().post("/auth/token", json={"email": "a@b.c"}), 422, "validation")
    assert "password" in error["fields"]


# --- plumbing -----------------------------------------------------------------------------------


def test_unknown_api_route_is_404_in_the_error_shape(api) -> None:  # type: ignore[no-untyped-def]
    _error(api().get("/no/such/thing"), 404, "not_found")


def test_wrong_method_is_405_in_the_error_shape(api) -> None:  # type: ignore[no-untyped-def]
    _error(api().put("/me"), 405, "method_not_allowed")


def test_malformed_json_is_422(api) -> None:  # type: ignore[no-untyped-def]
    caller = api(admin())
    before = _count(Institution)
    response = caller.post("/institutions", data="{not json", content_type="application/json")
    _error(response, 422, "validation")
    _error(caller.post("/institutions", json=[1, 2]), 422, "validation")
    _error(caller.post("/institutions", data=b"\xff\xfe", content_type="application/json"), 422, "validation")
    assert _count(Institution) == before


def test_validation_errors_name_the_fields(api) -> None:  # type: ignore[no-untyped-def]
    caller = api(admin())
    error = _error(
        caller.post(
            "/users",
            json={
                "email": "a@b.c",
                "full_name": "",
                "password": "x",
                "role": "king",
                "institution_id": "abc",
                "extra": 1,
            },
        ),
        422,
        "validation",
    )
    assert set(error["fields"]) >= {"full_name", "password", "role", "institution_id", "extra"}
    assert _count(User) == 1


def test_pagination_shape_and_bad_page_params(api) -> None:  # type: ignore[no-untyped-def]
    caller = api(admin(institution=None))
    InstitutionFactory.create_batch(7)
    db.session.commit()
    body = caller.get("/institutions?page=2&per_page=3").get_json()
    assert set(body) == {"items", "page", "per_page", "total"}
    assert (body["page"], body["per_page"], body["total"], len(body["items"])) == (2, 3, 7, 3)
    assert set(body["items"][0]) >= {"id", "name", "district", "region"}
    for query in ("page=0", "page=abc", "per_page=0", "per_page=100000", "page=-1"):
        error = _error(caller.get(f"/institutions?{query}"), 422, "validation")
        assert set(error["fields"]) <= {"page", "per_page"} and error["fields"]


def test_openapi_document_is_valid(api) -> None:  # type: ignore[no-untyped-def]
    response = api().get("/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    validate(document)  # raises on an invalid OpenAPI 3.1 document
    assert "/api/v1/users/import" in document["paths"]
    assert "/api/v1/auth/token" in document["paths"]


# --- institutions and users ---------------------------------------------------------------------


def test_admin_creates_an_institution(api) -> None:  # type: ignore[no-untyped-def]
    response = api(admin()).post(
        "/institutions", json={"name": "Лицей № 3", "district": "Ленинский", "region": "НСО"}
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["name"] == "Лицей № 3" and isinstance(body["id"], int)


def test_institution_with_a_blank_name_is_422(api) -> None:  # type: ignore[no-untyped-def]
    error = _error(api(admin()).post("/institutions", json={"name": "   "}), 422, "validation")
    assert "name" in error["fields"]


def test_admin_creates_a_user(api) -> None:  # type: ignore[no-untyped-def]
    school = InstitutionFactory()
    db.session.commit()
    response = api(admin()).post(
        "/users",
        json={
            "email": "New@Example.org",
            "full_name": "Новый",
            "password": "long-enough",
            "role": "juror",
            "institution_id": school.id,
        },
    )
    assert response.status_code == 201
    body = response.get_json()
    assert {k: body[k] for k in ("email", "full_name", "role", "institution_id")} == {
        "email": "new@example.org",
        "full_name": "Новый",
        "role": "juror",
        "institution_id": school.id,
    }


def test_duplicate_user_is_422_with_the_field(api) -> None:  # type: ignore[no-untyped-def]
    teacher(email="dup@example.org")
    caller = api(admin())
    error = _error(
        caller.post("/users", json={"email": "dup@example.org", "full_name": "Д", "password": "long-enough"}),
        422,
        "validation",
    )
    assert "email" in error["fields"]


def test_user_with_unknown_institution_is_422(api) -> None:  # type: ignore[no-untyped-def]
    error = _error(
        api(admin()).post(
            "/users",
            json={
                "email": "n@example.org",
                "full_name": "Н",
                "password": "long-enough",
                "institution_id": 999,
            },
        ),
        422,
        "validation",
    )
    assert "institution_id" in error["fields"]


@pytest.mark.parametrize("role", ["teacher", "student", "juror"])
def test_organiser_may_create_teachers_students_and_jurors(api, role) -> None:  # type: ignore[no-untyped-def]
    response = api(organiser()).post(
        "/users", json={"email": "p@example.org", "full_name": "П", "password": "long-enough", "role": role}
    )
    assert response.status_code == 201


@pytest.mark.parametrize("role", ["admin", "organiser"])
def test_organiser_may_not_create_admins_or_organisers(api, role) -> None:  # type: ignore[no-untyped-def]
    caller = api(organiser())
    before = _count(User)
    _error(
        caller.post(
            "/users",
            json={"email": "p@example.org", "full_name": "П", "password": "long-enough", "role": role},
        ),
        403,
        "forbidden",
    )
    assert _count(User) == before


def test_me_returns_the_caller(api) -> None:  # type: ignore[no-untyped-def]
    user = student(full_name="Иван")
    body = api(user).get("/me").get_json()
    assert body["id"] == user.id and body["role"] == "student" and body["full_name"] == "Иван"


def test_get_user_visibility(api) -> None:  # type: ignore[no-untyped-def]
    someone = teacher()
    me = student()
    db.session.commit()
    assert api(me).get(f"/users/{me.id}").status_code == 200
    _error(api(me).get(f"/users/{someone.id}"), 404, "not_found")
    assert api(organiser()).get(f"/users/{someone.id}").status_code == 200
    _error(api(admin()).get("/users/99999"), 404, "not_found")


def test_users_list_search_and_pagination(api) -> None:  # type: ignore[no-untyped-def]
    caller = api(admin(email="root@example.org"))
    teacher(email="anna@example.org", full_name="Анна")
    teacher(email="boris@example.org", full_name="Борис")
    db.session.commit()
    body = caller.get("/users?q=anna").get_json()
    assert [item["email"] for item in body["items"]] == ["anna@example.org"]
    assert caller.get("/users?per_page=2").get_json()["total"] == 3


# --- the role × endpoint matrix -----------------------------------------------------------------

API_MATRIX = [
    ("GET", "/me", None, {"admin": 200, "organiser": 200, "teacher": 200, "student": 200, "juror": 200}),
    (
        "GET",
        "/institutions",
        None,
        {"admin": 200, "organiser": 200, "teacher": 200, "student": 200, "juror": 200},
    ),
    (
        "POST",
        "/institutions",
        {"name": "Ш"},
        {"admin": 201, "organiser": 403, "teacher": 403, "student": 403, "juror": 403},
    ),
    ("GET", "/users", None, {"admin": 200, "organiser": 403, "teacher": 403, "student": 403, "juror": 403}),
    (
        "POST",
        "/users",
        {"email": "m@example.org", "full_name": "М", "password": "long-enough", "role": "student"},
        {"admin": 201, "organiser": 201, "teacher": 403, "student": 403, "juror": 403},
    ),
]


@pytest.mark.parametrize("role", [*PERSONAS, "anonymous"])
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), API_MATRIX, ids=[f"{m} {p}" for m, p, _, _ in API_MATRIX]
)
def test_api_permission_matrix(api, role, method, path, body, expected) -> None:  # type: ignore[no-untyped-def]
    caller = api(PERSONAS[role]()) if role != "anonymous" else api()
    db.session.commit()
    response = caller.request(method, path, body)
    if role == "anonymous":
        _error(response, 401, "unauthorized")
    elif expected[role] == 403:
        _error(response, 403, "forbidden")
    else:
        assert response.status_code == expected[role], response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["teacher", "student", "juror"])
def test_import_is_refused_to_other_roles(api, role) -> None:  # type: ignore[no-untyped-def]
    caller = api(PERSONAS[role]())
    _error(
        caller.post("/users/import", data="email,full_name,role,institution\n", content_type="text/csv"),
        403,
        "forbidden",
    )


def test_institutions_api_list_runs_a_fixed_number_of_queries(api, count_queries) -> None:  # type: ignore[no-untyped-def]
    caller = api(teacher())
    InstitutionFactory.create_batch(3)
    db.session.commit()
    db.session.remove()
    with count_queries() as small:
        assert caller.get("/institutions").status_code == 200
    InstitutionFactory.create_batch(80)
    db.session.commit()
    db.session.remove()
    with count_queries() as large:
        assert caller.get("/institutions").status_code == 200
    assert small.count == large.count
