"""The administrator's districts page (list, add, rename, delete an empty one) and the institution
form's type and district."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts import District, Institution, InstitutionType
from app.extensions import db
from tests.conftest import login
from tests.factories.accounts import (
    admin,
    district,
    institution_in,
)
from tests.monitoring_people import NOT_ADMINS, row_count


@pytest.fixture()
def admin_client(client):  # type: ignore[no-untyped-def]
    login(client, admin())
    return client


def test_the_page_lists_districts_with_counts(admin_client) -> None:  # type: ignore[no-untyped-def]
    central = district("Центральный район", "Новосибирская область")
    institution_in(central, "Гимназия № 1")
    institution_in(central, "СОШ № 12")
    district("Ленинский район", "Новосибирская область")
    db.session.commit()
    html = admin_client.get("/monitoring/districts").get_data(as_text=True)
    assert "Центральный район" in html and "Ленинский район" in html
    assert f'data-district="{central.id}"' in html
    assert "<td>2</td>" in html
    assert "Ленинский" not in admin_client.get("/monitoring/districts?q=Центр").get_data(as_text=True)


def test_admin_adds_a_district(admin_client) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post("/monitoring/districts", data={"name": " Кировский район ", "region": "НСО"})
    assert response.status_code == 302
    assert db.session.scalar(select(District).where(District.name == "Кировский район")) is not None


@pytest.mark.parametrize("data", [{"name": "", "region": ""}, {"name": "Р" * 300, "region": ""}])
def test_a_bad_district_is_refused_by_the_field(admin_client, data) -> None:  # type: ignore[no-untyped-def]
    before = row_count(District)
    response = admin_client.post("/monitoring/districts", data=data)
    assert response.status_code == 422 and "is-invalid" in response.get_data(as_text=True)
    assert row_count(District) == before


def test_a_duplicate_district_is_refused_by_the_name(admin_client) -> None:  # type: ignore[no-untyped-def]
    district("Ленинский район", "НСО")
    db.session.commit()
    response = admin_client.post("/monitoring/districts", data={"name": "Ленинский район", "region": "НСО"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "is-invalid" in html and "Ленинский район" in html


def test_renaming_renames_the_institutions_copies(admin_client) -> None:  # type: ignore[no-untyped-def]
    row = district("Дзержинский район", "НСО")
    school = institution_in(row, "СОШ № 80")
    db.session.commit()
    page = admin_client.get(f"/monitoring/districts/{row.id}")
    assert page.status_code == 200 and "Дзержинский район" in page.get_data(as_text=True)
    response = admin_client.post(
        f"/monitoring/districts/{row.id}", data={"name": "Дзержинский округ", "region": "НСО"}
    )
    assert response.status_code == 302
    assert db.session.get_one(Institution, school.id).district == "Дзержинский округ"
    bad = admin_client.post(f"/monitoring/districts/{row.id}", data={"name": "", "region": "НСО"})
    assert bad.status_code == 422


def test_delete_only_an_empty_district(admin_client) -> None:  # type: ignore[no-untyped-def]
    full = district("Калининский район", "НСО")
    institution_in(full, "Школа")
    empty = district("Пустой район", "НСО")
    db.session.commit()
    full_id, empty_id = full.id, empty.id
    refused = admin_client.post(f"/monitoring/districts/{full_id}/delete", follow_redirects=True)
    assert "Калининский район" in refused.get_data(as_text=True)
    assert db.session.get(District, full_id) is not None
    assert admin_client.post(f"/monitoring/districts/{empty_id}/delete").status_code == 302
    assert db.session.get(District, empty_id) is None
    assert admin_client.get("/monitoring/districts/99999").status_code == 404


def test_anonymous_visitors_go_to_the_login_page(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/monitoring/districts")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("role", sorted(NOT_ADMINS))
def test_only_the_admin_opens_the_districts_pages(client, role) -> None:  # type: ignore[no-untyped-def]
    row = district("Советский район", "НСО")
    db.session.commit()
    login(client, NOT_ADMINS[role]())
    assert client.get("/monitoring/districts").status_code == 403
    assert client.post("/monitoring/districts", data={"name": "Новый"}).status_code == 403
    assert client.post(f"/monitoring/districts/{row.id}", data={"name": "Новый"}).status_code == 403
    assert client.post(f"/monitoring/districts/{row.id}/delete").status_code == 403
    assert db.session.get_one(District, row.id).name == "Советский район"


def test_the_districts_page_runs_a_fixed_number_of_queries(admin_client, count_queries) -> None:  # type: ignore[no-untyped-def]
    def measure() -> int:
        with count_queries(cold=True) as counter:
            assert admin_client.get("/monitoring/districts").status_code == 200
        return counter.count

    institution_in(district("Первый район", "НСО"), "Школа")
    db.session.commit()
    small = measure()
    for n in range(20):
        institution_in(district(f"Район {n}", "НСО"), f"Школа {n}")
    db.session.commit()
    assert measure() == small


# --- the institution form ----------------------------------------------------------------------


def test_the_institution_form_takes_a_type_and_a_district(admin_client) -> None:  # type: ignore[no-untyped-def]
    row = district("Октябрьский район", "НСО")
    db.session.commit()
    form = admin_client.get("/admin/institutions/new").get_data(as_text=True)
    assert "Октябрьский район (НСО)" in form and 'value="gymnasium"' in form
    response = admin_client.post(
        "/admin/institutions/new",
        data={"name": "Гимназия № 7", "type": "gymnasium", "district_id": str(row.id)},
    )
    assert response.status_code == 302
    school = db.session.scalar(select(Institution).where(Institution.name == "Гимназия № 7"))
    assert school is not None and school.type is InstitutionType.GYMNASIUM
    assert (school.district_id, school.district, school.region) == (row.id, "Октябрьский район", "НСО")
    edit = admin_client.get(f"/admin/institutions/{school.id}").get_data(as_text=True)
    assert f'<option selected value="{row.id}">' in edit or f'value="{row.id}" selected' in edit
    listing = admin_client.get("/admin/institutions").get_data(as_text=True)
    assert "Гимназия № 7" in listing


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"district_id": "99999"}, "district_id"),
        ({"district_id": "abc"}, "district_id"),
        ({"type": "kindergarten"}, "type"),
    ],
)
def test_the_institution_form_refuses_unknown_values(admin_client, data, field) -> None:  # type: ignore[no-untyped-def]
    before = row_count(Institution)
    response = admin_client.post("/admin/institutions/new", data={"name": "Школа", **data})
    assert response.status_code == 422
    assert f'id="{field}"' in response.get_data(as_text=True)
    assert "is-invalid" in response.get_data(as_text=True)
    assert row_count(Institution) == before
