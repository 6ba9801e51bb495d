"""The administrator's scope page of a coordinator or district methodist, its link on the user's
edit page, and the new roles among the admin's role choices."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts import InstitutionScope, Role, User
from app.extensions import db
from app.permissions.monitoring import monitoring_scope
from tests.conftest import login
from tests.factories.accounts import (
    admin,
    coordinator,
    district,
    district_methodist,
    institution_in,
    teacher,
)
from tests.monitoring_people import NOT_ADMINS


@pytest.fixture()
def admin_client(client):  # type: ignore[no-untyped-def]
    login(client, admin())
    return client


def test_the_edit_page_links_to_the_scope_of_a_coordinator(admin_client) -> None:  # type: ignore[no-untyped-def]
    scoped, plain = coordinator(), teacher()
    db.session.commit()
    assert "data-scope-link" in admin_client.get(f"/admin/users/{scoped.id}").get_data(as_text=True)
    assert "data-scope-link" not in admin_client.get(f"/admin/users/{plain.id}").get_data(as_text=True)


def test_the_admin_gives_roles_coordinator_and_district_methodist(admin_client) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    form = admin_client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert 'value="coordinator"' in form and 'value="district_methodist"' in form
    response = admin_client.post(
        f"/admin/users/{user.id}", data={"role": "district_methodist", "institution": "0", "active": "y"}
    )
    assert response.status_code == 302
    assert db.session.get_one(User, user.id).role is Role.DISTRICT_METHODIST


def test_admin_chooses_a_coordinators_institutions(admin_client) -> None:  # type: ignore[no-untyped-def]
    row = district("Центральный район", "НСО")
    gymnasium, school = institution_in(row, "Гимназия № 1"), institution_in(row, "СОШ № 12")
    user = coordinator(gymnasium)
    db.session.commit()
    page = admin_client.get(f"/admin/users/{user.id}/scopes").get_data(as_text=True)
    assert "Гимназия № 1" in page and "СОШ № 12" in page and 'name="district_ids"' not in page
    response = admin_client.post(f"/admin/users/{user.id}/scopes", data={"institution_ids": [str(school.id)]})
    assert response.status_code == 302
    assert monitoring_scope(user).institution_ids == {school.id}


def test_admin_chooses_a_district_methodists_districts(admin_client) -> None:  # type: ignore[no-untyped-def]
    central, lenin = district("Центральный район", "НСО"), district("Ленинский район", "НСО")
    user = district_methodist(central)
    db.session.commit()
    page = admin_client.get(f"/admin/users/{user.id}/scopes").get_data(as_text=True)
    assert "Ленинский район (НСО)" in page and 'name="institution_ids"' not in page
    response = admin_client.post(
        f"/admin/users/{user.id}/scopes", data={"district_ids": [str(central.id), str(lenin.id)]}
    )
    assert response.status_code == 302
    assert monitoring_scope(user).district_ids == {central.id, lenin.id}


@pytest.mark.parametrize(
    "value, message",
    [
        ("99999", "Выберите из списка."),
        ("-1", "Выберите из списка."),
        ("99999999999999999999", "Выберите из списка."),
        ("abc", "невозможно преобразовать"),
    ],
)
def test_an_unknown_choice_is_refused_and_the_scope_kept(admin_client, value, message) -> None:  # type: ignore[no-untyped-def]
    school = institution_in(district("Центральный район", "НСО"), "Школа")
    user = coordinator(school)
    db.session.commit()
    response = admin_client.post(f"/admin/users/{user.id}/scopes", data={"institution_ids": [value]})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "is-invalid" in html
    assert message in html and "valid choice" not in html  # in Russian, by the field
    assert monitoring_scope(user).institution_ids == {school.id}


def test_a_role_without_a_scope_gets_an_explanation(admin_client) -> None:  # type: ignore[no-untyped-def]
    school = institution_in(district("Центральный район", "НСО"), "Школа")
    user = teacher()
    db.session.commit()
    page = admin_client.get(f"/admin/users/{user.id}/scopes").get_data(as_text=True)
    assert "data-no-scope" in page and "<select" not in page
    admin_client.post(f"/admin/users/{user.id}/scopes", data={"institution_ids": [str(school.id)]})
    assert not db.session.scalars(select(InstitutionScope).where(InstitutionScope.user_id == user.id)).all()
    assert admin_client.get("/admin/users/99999/scopes").status_code == 404


@pytest.mark.parametrize("role", sorted(NOT_ADMINS))
def test_only_the_admin_opens_the_scope_page(client, role) -> None:  # type: ignore[no-untyped-def]
    school = institution_in(district("Центральный район", "НСО"), "Школа")
    target = coordinator()
    caller = NOT_ADMINS[role]()
    db.session.commit()
    login(client, caller)
    assert client.get(f"/admin/users/{target.id}/scopes").status_code == 403
    assert (
        client.post(
            f"/admin/users/{target.id}/scopes", data={"institution_ids": [str(school.id)]}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/admin/users/{caller.id}/scopes", data={"institution_ids": [str(school.id)]}
        ).status_code
        == 403
    )
    assert monitoring_scope(target).empty


def test_anonymous_visitors_go_to_the_login_page(client) -> None:  # type: ignore[no-untyped-def]
    user = coordinator()
    db.session.commit()
    response = client.get(f"/admin/users/{user.id}/scopes")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_scope_page_runs_a_fixed_number_of_queries(admin_client, count_queries) -> None:  # type: ignore[no-untyped-def]
    row = district("Центральный район", "НСО")
    user_id = coordinator(institution_in(row, "Школа")).id
    db.session.commit()

    def measure() -> int:
        with count_queries(cold=True) as counter:
            assert admin_client.get(f"/admin/users/{user_id}/scopes").status_code == 200
        return counter.count

    small = measure()
    user = db.session.get_one(User, user_id)
    row = district("Центральный район", "НСО")
    for n in range(20):
        db.session.add(InstitutionScope(user_id=user.id, institution_id=institution_in(row, f"Школа {n}").id))
    db.session.commit()
    assert measure() == small
