"""API of districts (GET/POST/PATCH/DELETE /districts) and institutions with type and district_id."""

from __future__ import annotations

import pytest

from app.accounts import District, Institution
from app.extensions import db
from tests.factories.accounts import (
    admin,
    district,
    institution_in,
    student,
    teacher,
)
from tests.monitoring_people import NOT_ADMINS, api_error, row_count


def test_list_districts_with_counts_for_every_member(api) -> None:  # type: ignore[no-untyped-def]
    central = district("Центральный район", "НСО")
    institution_in(central, "Гимназия № 1")
    institution_in(central, "СОШ № 12")
    district("Ленинский район", "НСО")
    db.session.commit()
    body = api(student()).get("/districts").get_json()
    assert body["total"] == 2 and body["page"] == 1
    assert {(i["name"], i["institutions"]) for i in body["items"]} == {
        ("Центральный район", 2),
        ("Ленинский район", 0),
    }
    found = api(teacher()).get("/districts?q=Ленин").get_json()["items"]
    assert [i["name"] for i in found] == ["Ленинский район"]
    one = api(teacher()).get(f"/districts/{central.id}").get_json()
    assert one == {"id": central.id, "name": "Центральный район", "region": "НСО", "institutions": 2}


def test_anonymous_gets_401(api) -> None:  # type: ignore[no-untyped-def]
    api_error(api().get("/districts"), 401, "unauthorized")
    api_error(api().post("/districts", json={"name": "Р"}), 401, "unauthorized")


def test_admin_creates_renames_and_deletes_a_district(api) -> None:  # type: ignore[no-untyped-def]
    caller = api(admin())
    created = caller.post("/districts", json={"name": " Кировский район ", "region": "НСО"})
    assert created.status_code == 201
    body = created.get_json()
    assert body["name"] == "Кировский район" and body["institutions"] == 0
    school = caller.post(
        "/institutions", json={"name": "СОШ № 5", "type": "school", "district_id": body["id"]}
    ).get_json()
    assert (school["district_id"], school["district"], school["region"]) == (
        body["id"],
        "Кировский район",
        "НСО",
    )
    renamed = caller.request("PATCH", f"/districts/{body['id']}", json={"name": "Кировский округ"})
    assert renamed.status_code == 200
    assert renamed.get_json() == {
        "id": body["id"],
        "name": "Кировский округ",
        "region": "НСО",
        "institutions": 1,
    }
    assert db.session.get_one(Institution, school["id"]).district == "Кировский округ"
    api_error(caller.delete(f"/districts/{body['id']}"), 409, "conflict")
    empty = caller.post("/districts", json={"name": "Пустой район"}).get_json()
    assert caller.delete(f"/districts/{empty['id']}").status_code == 204
    assert db.session.get(District, empty["id"]) is None


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"name": ""},
        {"name": "   "},
        {"name": "Р" * 256},
        {"name": "Р", "region": "О" * 256},
        {"name": "Р", "x": 1},
    ],
)
def test_bad_district_is_422_and_writes_nothing(api, payload) -> None:  # type: ignore[no-untyped-def]
    before = row_count(District)
    error = api_error(api(admin()).post("/districts", json=payload), 422, "validation")
    assert error["fields"]
    assert row_count(District) == before


def test_duplicate_district_is_409(api) -> None:  # type: ignore[no-untyped-def]
    district("Ленинский район", "НСО")
    db.session.commit()
    api_error(
        api(admin()).post("/districts", json={"name": "Ленинский район", "region": "НСО"}), 409, "conflict"
    )


def test_rename_refusals(api) -> None:  # type: ignore[no-untyped-def]
    taken = district("Советский район", "НСО")
    row = district("Октябрьский район", "НСО")
    db.session.commit()
    caller = api(admin())
    api_error(caller.request("PATCH", f"/districts/{row.id}", json={"name": taken.name}), 409, "conflict")
    api_error(caller.request("PATCH", f"/districts/{row.id}", json={"name": ""}), 422, "validation")
    api_error(caller.request("PATCH", "/districts/99999", json={"name": "Р"}), 404, "not_found")
    api_error(caller.delete("/districts/99999"), 404, "not_found")
    api_error(caller.get("/districts/99999"), 404, "not_found")


@pytest.mark.parametrize("role", sorted(NOT_ADMINS))
def test_only_the_admin_manages_districts(api, role) -> None:  # type: ignore[no-untyped-def]
    row = district("Заельцовский район", "НСО")
    db.session.commit()
    caller = api(NOT_ADMINS[role]())
    assert caller.get("/districts").status_code == 200
    api_error(caller.post("/districts", json={"name": "Новый"}), 403, "forbidden")
    api_error(caller.request("PATCH", f"/districts/{row.id}", json={"name": "Новый"}), 403, "forbidden")
    api_error(caller.delete(f"/districts/{row.id}"), 403, "forbidden")
    assert db.session.get_one(District, row.id).name == "Заельцовский район"


def test_institution_with_an_unknown_district_or_type_is_422(api) -> None:  # type: ignore[no-untyped-def]
    caller = api(admin())
    before = row_count(Institution)
    error = api_error(
        caller.post("/institutions", json={"name": "Ш", "district_id": 99999}), 422, "validation"
    )
    assert "district_id" in error["fields"]
    error = api_error(
        caller.post("/institutions", json={"name": "Ш", "type": "kindergarten"}), 422, "validation"
    )
    assert "type" in error["fields"]
    api_error(caller.post("/institutions", json={"name": "Ш", "district_id": "один"}), 422, "validation")
    assert row_count(Institution) == before


def test_institution_by_text_still_works_and_gets_a_record(api) -> None:  # type: ignore[no-untyped-def]
    body = (
        api(admin())
        .post(
            "/institutions",
            json={"name": "Лицей № 9", "type": "lyceum", "district": "Ленинский", "region": "НСО"},
        )
        .get_json()
    )
    assert body["type"] == "lyceum" and body["district"] == "Ленинский"
    made = db.session.get_one(District, body["district_id"])
    assert (made.name, made.region) == ("Ленинский", "НСО")
    listed = api(teacher()).get("/institutions").get_json()["items"]
    assert {"type", "district_id"} <= set(listed[0])


def test_district_list_runs_a_fixed_number_of_queries(api, count_queries) -> None:  # type: ignore[no-untyped-def]
    caller = api(teacher())

    def measure() -> int:
        with count_queries(cold=True) as counter:
            assert caller.get("/districts").status_code == 200
        return counter.count

    row = district("Первый район", "НСО")
    institution_in(row, "Школа")
    db.session.commit()
    small = measure()
    for n in range(15):
        extra = district(f"Район {n}", "НСО")
        institution_in(extra, f"Школа {n}")
    db.session.commit()
    assert measure() == small
