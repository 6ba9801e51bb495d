"""People and institutions. `password_hash` is computed once per run (argon2 is slow on purpose)."""

from __future__ import annotations

from functools import cache

import factory

from app.accounts import Institution, Role, User
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
