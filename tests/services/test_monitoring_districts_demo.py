"""Districts, institution types and the monitoring accounts in the demo data, and the coordinator
and district-methodist words of the user import."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import user_import
from app.accounts import District, Institution, InstitutionType, Role, User
from app.demo import DEMO_PASSWORD, load_accounts
from app.extensions import db
from app.permissions.monitoring import monitoring_scope
from app.security import check_password
from tests.factories.accounts import admin


def _demo_user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


def test_demo_institutions_have_district_records_and_types(app) -> None:  # type: ignore[no-untyped-def]
    lines = load_accounts()
    assert any("coordinator@vmeste.local" in line for line in lines)
    assert any("district@vmeste.local" in line for line in lines)
    schools = {i.name: i for i in db.session.scalars(select(Institution))}
    for school in schools.values():
        record = db.session.get_one(District, school.district_id)
        assert (record.name, record.region) == (school.district, school.region)
    assert schools["МБОУ «Гимназия № 1»"].type is InstitutionType.GYMNASIUM
    assert schools["МАОУ «Лицей № 3»"].type is InstitutionType.LYCEUM
    assert schools["МБОУ СОШ № 12"].type is InstitutionType.SCHOOL
    assert len(set(db.session.scalars(select(District.name)))) == 3


def test_demo_monitoring_accounts_see_their_school_and_district(app) -> None:  # type: ignore[no-untyped-def]
    load_accounts()
    load_accounts()  # twice: nothing doubles
    coordinator = _demo_user("coordinator@vmeste.local")
    methodist = _demo_user("district@vmeste.local")
    assert coordinator.role is Role.COORDINATOR and methodist.role is Role.DISTRICT_METHODIST
    assert check_password(coordinator.password_hash, DEMO_PASSWORD)
    gymnasium = db.session.scalar(select(Institution).where(Institution.name == "МБОУ «Гимназия № 1»"))
    assert gymnasium is not None
    assert monitoring_scope(coordinator).institution_ids == {gymnasium.id}
    scope = monitoring_scope(methodist)
    central = db.session.scalar(select(District).where(District.name == "Центральный район"))
    assert central is not None and scope.district_ids == {central.id}
    central_schools = set(
        db.session.scalars(select(Institution.id).where(Institution.district_id == central.id))
    )
    assert scope.institution_ids == central_schools and len(central_schools) == 3


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("координатор", Role.COORDINATOR),
        ("Завуч", Role.COORDINATOR),
        ("заместитель директора", Role.COORDINATOR),
        ("районный методист", Role.DISTRICT_METHODIST),
        ("Районный  методист", Role.DISTRICT_METHODIST),
        ("district_methodist", Role.DISTRICT_METHODIST),
        ("coordinator", Role.COORDINATOR),
        ("методист", Role.METHODIST),
    ],
)
def test_import_words_name_the_new_roles(word, role) -> None:  # type: ignore[no-untyped-def]
    assert user_import.role_of(word) is role


def test_import_creates_a_coordinator_and_a_district_methodist(app) -> None:  # type: ignore[no-untyped-def]
    text = (
        "почта;ФИО;роль\n"
        "zavuch@example.org;Завучева И. В.;завуч\n"
        "raion@example.org;Районова М. А.;районный методист\n"
    )
    result = user_import.import_users(text.encode("cp1251"), actor=admin())
    assert result.created == 2 and not result.errors
    assert _demo_user("zavuch@example.org").role is Role.COORDINATOR
    assert _demo_user("raion@example.org").role is Role.DISTRICT_METHODIST
