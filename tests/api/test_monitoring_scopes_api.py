"""Who sees what in monitoring: PUT/GET /users/{id}/scopes (admin), the service behind it, its
refusals and two administrators saving at once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import user_scopes
from app.accounts import DistrictScope, InstitutionScope, Role
from app.extensions import db
from app.permissions.monitoring import monitoring_scope
from tests.concurrency import at_once, skip_memory_database
from tests.factories.accounts import (
    UserFactory,
    admin,
    coordinator,
    district,
    district_methodist,
    institution_in,
)
from tests.monitoring_people import NOT_ADMINS, api_error


def _scope_rows() -> int:
    institutions = db.session.scalar(select(func.count()).select_from(InstitutionScope)) or 0
    districts = db.session.scalar(select(func.count()).select_from(DistrictScope)) or 0
    return institutions + districts


def test_admin_sets_a_coordinators_institutions(api) -> None:  # type: ignore[no-untyped-def]
    row = district("Центральный район", "НСО")
    gymnasium, school = institution_in(row, "Гимназия № 1"), institution_in(row, "СОШ № 12")
    user = coordinator(gymnasium)
    db.session.commit()
    caller = api(admin())
    body = caller.put(
        f"/users/{user.id}/scopes", json={"institution_ids": [school.id, gymnasium.id, school.id]}
    )
    assert body.status_code == 200
    assert body.get_json() == {
        "user_id": user.id,
        "role": "coordinator",
        "institution_ids": sorted([school.id, gymnasium.id]),
        "district_ids": [],
    }
    assert monitoring_scope(user).institution_ids == {school.id, gymnasium.id}
    assert caller.get(f"/users/{user.id}/scopes").get_json()["institution_ids"] == sorted(
        [school.id, gymnasium.id]
    )


def test_admin_sets_a_district_methodists_districts(api) -> None:  # type: ignore[no-untyped-def]
    central, lenin = district("Центральный район", "НСО"), district("Ленинский район", "НСО")
    school = institution_in(lenin, "Лицей № 3")
    user = district_methodist(central)
    db.session.commit()
    body = api(admin()).put(f"/users/{user.id}/scopes", json={"district_ids": [lenin.id]}).get_json()
    assert body["district_ids"] == [lenin.id] and body["institution_ids"] == []
    scope = monitoring_scope(user)
    assert scope.district_ids == {lenin.id} and scope.institution_ids == {school.id}


def test_empty_lists_clear_any_scope(api) -> None:  # type: ignore[no-untyped-def]
    user = district_methodist(district("Кировский район", "НСО"))
    db.session.commit()
    assert api(admin()).put(f"/users/{user.id}/scopes", json={}).status_code == 200
    assert monitoring_scope(user).empty


@pytest.mark.parametrize(
    ("role", "payload_key", "field"),
    [
        (Role.TEACHER, "institution_ids", "institution_ids"),
        (Role.METHODIST, "district_ids", "district_ids"),
        (Role.COORDINATOR, "district_ids", "district_ids"),
        (Role.DISTRICT_METHODIST, "institution_ids", "institution_ids"),
    ],
)
def test_a_role_without_that_scope_is_422(api, role, payload_key, field) -> None:  # type: ignore[no-untyped-def]
    row = district("Центральный район", "НСО")
    school = institution_in(row, "Школа")
    user = UserFactory(role=role)
    db.session.commit()
    ids = {"institution_ids": [school.id], "district_ids": [row.id]}[payload_key]
    before = _scope_rows()
    error = api_error(
        api(admin()).put(f"/users/{user.id}/scopes", json={payload_key: ids}), 422, "validation"
    )
    assert field in error["fields"]
    assert _scope_rows() == before


@pytest.mark.parametrize(
    "payload",
    [
        {"institution_ids": [99999]},
        {"institution_ids": [0]},
        {"institution_ids": "1"},
        {"institution_ids": ["один"]},
        {"district_ids": [1], "extra": True},
    ],
)
def test_unknown_or_malformed_ids_are_422_and_keep_the_old_scope(api, payload) -> None:  # type: ignore[no-untyped-def]
    school = institution_in(district("Центральный район", "НСО"), "Школа")
    user = coordinator(school)
    db.session.commit()
    api_error(api(admin()).put(f"/users/{user.id}/scopes", json=payload), 422, "validation")
    assert monitoring_scope(user).institution_ids == {school.id}


def test_unknown_user_is_404(api) -> None:  # type: ignore[no-untyped-def]
    api_error(api(admin()).put("/users/99999/scopes", json={}), 404, "not_found")
    api_error(api(admin()).get("/users/99999/scopes"), 404, "not_found")


@pytest.mark.parametrize("role", sorted(NOT_ADMINS))
def test_only_the_admin_sets_scopes(api, role) -> None:  # type: ignore[no-untyped-def]
    school = institution_in(district("Центральный район", "НСО"), "Школа")
    target = coordinator()
    caller = NOT_ADMINS[role]()
    db.session.commit()
    api_error(
        api(caller).put(f"/users/{target.id}/scopes", json={"institution_ids": [school.id]}), 403, "forbidden"
    )
    api_error(api(caller).get(f"/users/{target.id}/scopes"), 403, "forbidden")
    api_error(
        api(caller).put(f"/users/{caller.id}/scopes", json={"institution_ids": [school.id]}), 403, "forbidden"
    )
    api_error(api().put(f"/users/{target.id}/scopes", json={}), 401, "unauthorized")
    assert monitoring_scope(target).empty


def test_two_admins_saving_at_once_leave_one_whole_scope(app) -> None:  # type: ignore[no-untyped-def]
    skip_memory_database()
    row = district("Центральный район", "НСО")
    schools = [institution_in(row, f"Школа {n}").id for n in range(6)]
    user_id = coordinator().id
    db.session.commit()
    choices = [schools[:3], schools[3:]]

    def save(ids: list[int]) -> object:
        user = db.session.get_one(user_scopes.User, user_id)
        return user_scopes.set_scopes(user, institution_ids=ids, district_ids=[], actor=None)

    outcomes = at_once(app, [lambda ids=ids: save(ids) for ids in choices])  # type: ignore[misc]
    assert not [o for o in outcomes if isinstance(o, Exception)]
    saved = sorted(
        db.session.scalars(select(InstitutionScope.institution_id).where(InstitutionScope.user_id == user_id))
    )
    assert saved in (sorted(choices[0]), sorted(choices[1]))
