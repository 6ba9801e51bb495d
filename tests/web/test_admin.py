"""Administration: institutions and users (create, edit, deactivate) and who may open these pages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts import ApiToken, Institution, User
from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD, login
from tests.factories.accounts import (
    InstitutionFactory,
    UserFactory,
    admin,
    juror,
    organiser,
    student,
    teacher,
)

PERSONAS = {"admin": admin, "organiser": organiser, "teacher": teacher, "student": student, "juror": juror}


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture()
def admin_client(client):  # type: ignore[no-untyped-def]
    user = admin(email="root@example.org")
    db.session.commit()
    login(client, user)
    client.user = user
    return client


# --- the role × page matrix ---------------------------------------------------------------------

FOUNDATION_PAGES = [
    # (method, path, {role: expected status}); anonymous visitors are always sent to the login page
    ("GET", "/dashboard", {"admin": 200, "organiser": 200, "teacher": 200, "student": 200, "juror": 200}),
    ("GET", "/network", {"admin": 200, "organiser": 200, "teacher": 200, "student": 200, "juror": 200}),
    ("GET", "/notifications", {"admin": 200, "organiser": 200, "teacher": 200, "student": 200, "juror": 200}),
    ("GET", "/auth/profile", {"admin": 200, "organiser": 200, "teacher": 200, "student": 200, "juror": 200}),
    (
        "GET",
        "/admin/institutions",
        {"admin": 200, "organiser": 403, "teacher": 403, "student": 403, "juror": 403},
    ),
    (
        "GET",
        "/admin/institutions/new",
        {"admin": 200, "organiser": 403, "teacher": 403, "student": 403, "juror": 403},
    ),
    (
        "POST",
        "/admin/institutions/new",
        {"admin": 302, "organiser": 403, "teacher": 403, "student": 403, "juror": 403},
    ),
    ("GET", "/admin/users", {"admin": 200, "organiser": 403, "teacher": 403, "student": 403, "juror": 403}),
    (
        "GET",
        "/admin/users/new",
        {"admin": 200, "organiser": 403, "teacher": 403, "student": 403, "juror": 403},
    ),
    (
        "GET",
        "/admin/users/{other}",
        {"admin": 200, "organiser": 403, "teacher": 403, "student": 403, "juror": 403},
    ),
    (
        "POST",
        "/admin/users/{other}",
        {"admin": 302, "organiser": 403, "teacher": 403, "student": 403, "juror": 403},
    ),
]


@pytest.mark.parametrize("role", [*PERSONAS, "anonymous"])
@pytest.mark.parametrize(
    ("method", "path", "expected"), FOUNDATION_PAGES, ids=[f"{m} {p}" for m, p, _ in FOUNDATION_PAGES]
)
def test_permission_matrix(client, role, method, path, expected) -> None:  # type: ignore[no-untyped-def]
    other = teacher(email="other@example.org")
    db.session.commit()
    if role != "anonymous":
        user = PERSONAS[role]()
        db.session.commit()
        login(client, user)
    data = {
        "name": "Школа",
        "district": "Р",
        "region": "О",
        "role": "teacher",
        "institution": "0",
        "active": "y",
    }
    response = client.open(
        path.format(other=other.id), method=method, data=data if method == "POST" else None
    )
    if role == "anonymous":
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code == expected[role]


def test_forbidden_page_is_in_the_layout_and_language(client) -> None:  # type: ignore[no-untyped-def]
    user = student()
    db.session.commit()
    login(client, user)
    response = client.get("/admin/users")
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert 'data-status="403"' in html and "navbar" in html
    assert "У вас нет прав на это действие." in html


# --- institutions -------------------------------------------------------------------------------


def test_admin_creates_and_edits_an_institution(admin_client) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post(
        "/admin/institutions/new", data={"name": "МБОУ СОШ № 5", "district": "Кировский", "region": "НСО"}
    )
    assert response.status_code == 302
    school = db.session.scalar(select(Institution).where(Institution.name == "МБОУ СОШ № 5"))
    assert school is not None and school.district == "Кировский"
    response = admin_client.post(
        f"/admin/institutions/{school.id}",
        data={"name": "МБОУ СОШ № 5 им. Пушкина", "district": "Кировский", "region": "НСО"},
    )
    assert response.status_code == 302
    db.session.refresh(school)
    assert school.name == "МБОУ СОШ № 5 им. Пушкина"
    listing = admin_client.get("/admin/institutions?q=Пушкина").get_data(as_text=True)
    assert "им. Пушкина" in listing


def test_institution_form_rejects_an_empty_name(admin_client) -> None:  # type: ignore[no-untyped-def]
    before = _count(Institution)
    response = admin_client.post("/admin/institutions/new", data={"name": "  ", "district": "", "region": ""})
    assert response.status_code == 422
    assert "is-invalid" in response.get_data(as_text=True)
    assert _count(Institution) == before


def test_institution_form_rejects_too_long_values(admin_client) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post(
        "/admin/institutions/new", data={"name": "Ш" * 300, "district": "", "region": ""}
    )
    assert response.status_code == 422


def test_unknown_institution_is_404(admin_client) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.get("/admin/institutions/9999")
    assert response.status_code == 404
    assert 'data-status="404"' in response.get_data(as_text=True)


def test_institutions_list_is_paginated(admin_client) -> None:  # type: ignore[no-untyped-def]
    for n in range(60):
        InstitutionFactory(name=f"Школа {n:03d}", district="Один")
    db.session.commit()
    first = admin_client.get("/admin/institutions").get_data(as_text=True)
    assert "Школа 000" in first and "Школа 059" not in first
    second = admin_client.get("/admin/institutions?page=2").get_data(as_text=True)
    assert "Школа 059" in second
    assert admin_client.get("/admin/institutions?page=abc&per_page=-5").status_code == 200


# --- users --------------------------------------------------------------------------------------


def test_admin_creates_a_user(admin_client) -> None:  # type: ignore[no-untyped-def]
    school = InstitutionFactory()
    db.session.commit()
    response = admin_client.post(
        "/admin/users/new",
        data={
            "email": "org@example.org",
            "full_name": "Орг Организаторов",
            "role": "organiser",
            "institution": str(school.id),
            "password": "organiser-pass",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "org@example.org"))
    assert user is not None and user.role == "organiser" and user.institution_id == school.id


def test_admin_user_form_rejects_bad_input(admin_client) -> None:  # type: ignore[no-untyped-def]
    teacher(email="dup@example.org")
    db.session.commit()
    before = _count(User)
    good = {
        "email": "x@example.org",
        "full_name": "Икс",
        "role": "teacher",
        "institution": "0",
        "password": "long-enough-1",
    }
    for field, value in [
        ("email", "dup@example.org"),
        ("email", "bad"),
        ("full_name", ""),
        ("role", "king"),
        ("password", "short"),
        ("institution", "12345"),
    ]:
        response = admin_client.post("/admin/users/new", data={**good, field: value})
        assert response.status_code == 422, (field, value)
        assert "is-invalid" in response.get_data(as_text=True), (field, value)
    assert _count(User) == before


def test_admin_edits_role_and_deactivates_a_user(admin_client, api) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    client = api(user)
    assert client.get("/me").status_code == 200
    response = admin_client.post(f"/admin/users/{user.id}", data={"role": "juror", "institution": "0"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.role == "juror" and user.active is False and user.institution_id is None
    # a deactivated user cannot log in, and the API token they held stops working
    assert client.get("/me").status_code == 401
    assert (
        db.session.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.revoked_at.is_(None)))
        == 0
    )
    other = admin_client.application.test_client()
    response = other.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 422


def test_admin_reactivates_a_user(admin_client) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(active=False)
    db.session.commit()
    admin_client.post(f"/admin/users/{user.id}", data={"role": "teacher", "institution": "0", "active": "y"})
    db.session.refresh(user)
    assert user.active is True


def test_admin_cannot_remove_their_own_access(admin_client) -> None:  # type: ignore[no-untyped-def]
    me = admin_client.user
    response = admin_client.post(
        f"/admin/users/{me.id}", data={"role": "teacher", "institution": "0", "active": "y"}
    )
    assert response.status_code == 422
    assert "Нельзя снять права администратора с самого себя." in response.get_data(as_text=True)
    db.session.refresh(me)
    assert me.role == "admin" and me.active


def test_user_edit_rejects_an_unknown_role(admin_client) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    response = admin_client.post(
        f"/admin/users/{user.id}", data={"role": "king", "institution": "0", "active": "y"}
    )
    assert response.status_code == 422
    db.session.refresh(user)
    assert user.role == "teacher"


def test_users_list_searches_and_filters(admin_client) -> None:  # type: ignore[no-untyped-def]
    teacher(full_name="Зинаида Учительская")
    student(full_name="Пётр Ученический")
    db.session.commit()
    page = admin_client.get("/admin/users?q=Зинаида").get_data(as_text=True)
    assert "Зинаида Учительская" in page and "Пётр Ученический" not in page
    page = admin_client.get("/admin/users?role=student").get_data(as_text=True)
    assert "Пётр Ученический" in page and "Зинаида Учительская" not in page


def test_users_list_runs_a_fixed_number_of_queries(admin_client, count_queries) -> None:  # type: ignore[no-untyped-def]
    def measure() -> int:
        db.session.remove()  # start cold, as a real request does
        with count_queries() as counter:
            assert admin_client.get("/admin/users").status_code == 200
        return counter.count

    for _ in range(3):
        teacher()
    db.session.commit()
    small = measure()
    for _ in range(40):
        teacher()
    db.session.commit()
    assert measure() == small


def test_admin_institutions_list_runs_a_fixed_number_of_queries(admin_client, count_queries) -> None:  # type: ignore[no-untyped-def]
    def measure() -> int:
        db.session.remove()  # start cold, as a real request does
        with count_queries() as counter:
            assert admin_client.get("/admin/institutions").status_code == 200
        return counter.count

    InstitutionFactory.create_batch(3)
    db.session.commit()
    small = measure()
    InstitutionFactory.create_batch(80)
    db.session.commit()
    assert measure() == small
