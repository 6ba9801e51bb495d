"""People and institutions. `password_hash` is computed once per run (argon2 is slow on purpose)."""

from __future__ import annotations

from functools import cache

import factory

from app.accounts import District, DistrictScope, Institution, InstitutionScope, Role, User
from app.extensions import db
from app.security import hash_password
from tests.conftest import DEFAULT_PASSWORD
from tests.factories.base import Factory


@cache
def default_password_hash() -> str:
    return hash_password(DEFAULT_PASSWORD)


class InstitutionFactory(Factory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Школа № {n + 1}")
    district = factory.Iterator(["Центральный район", "Ленинский район", "Кировский район"])
    region = "Новосибирская область"


class UserFactory(Factory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Пользователь {n}")
    role = Role.TEACHER
    institution = factory.SubFactory(InstitutionFactory)
    password_hash = factory.LazyFunction(default_password_hash)
    locale = "ru"
    timezone = "Europe/Moscow"


def admin(**kw: object) -> User:
    return UserFactory(role=Role.ADMIN, **kw)


def organiser(**kw: object) -> User:
    return UserFactory(role=Role.ORGANISER, **kw)


def teacher(**kw: object) -> User:
    return UserFactory(role=Role.TEACHER, **kw)


def student(**kw: object) -> User:
    return UserFactory(role=Role.STUDENT, **kw)


def juror(**kw: object) -> User:
    return UserFactory(role=Role.JUROR, **kw)


def methodist(**kw: object) -> User:
    return UserFactory(role=Role.METHODIST, **kw)


def coordinator(*institutions: Institution, **kw: object) -> User:
    """A school coordinator who sees the monitoring of `institutions`."""
    user = UserFactory(role=Role.COORDINATOR, **kw)
    for institution in institutions:
        db.session.add(InstitutionScope(user_id=user.id, institution_id=institution.id))
    db.session.flush()
    return user


def district_methodist(*districts: District, **kw: object) -> User:
    """A district methodist who sees the monitoring of `districts`."""
    user = UserFactory(role=Role.DISTRICT_METHODIST, **kw)
    for district in districts:
        db.session.add(DistrictScope(user_id=user.id, district_id=district.id))
    db.session.flush()
    return user


def district(name: str = "Центральный район", region: str = "Новосибирская область") -> District:
    """A district record, made once per name."""
    found = db.session.scalar(db.select(District).where(District.name == name, District.region == region))
    if found is None:
        found = District(name=name, region=region)
        db.session.add(found)
        db.session.flush()
    return found


def institution_in(district_row: District, name: str = "", **kw: object) -> Institution:
    """An institution of a district record, its text columns copied as app.districts does."""
    return InstitutionFactory(
        name=name or f"Школа {district_row.name}",
        district_id=district_row.id,
        district=district_row.name,
        region=district_row.region,
        **kw,
    )
