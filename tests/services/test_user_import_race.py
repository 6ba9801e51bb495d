"""Two imports at once (issue 15): a user created by another import after this one checked its
lines is refused by the unique e-mail index; this import then creates nobody and says why."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, insert, select

from app import user_import
from app.account_services import UNUSABLE_PASSWORD
from app.accounts import User
from app.extensions import db
from tests.factories.accounts import admin


def test_a_user_created_meanwhile_makes_the_whole_import_create_nobody(
    app, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    actor = admin()
    db.session.commit()
    checked = user_import._line_problem

    def check_then_lose_the_race(*args: Any, **kwargs: Any) -> str | None:
        problem = checked(*args, **kwargs)
        if not db.session.scalar(select(User.id).where(User.email == "b@example.org")):
            row = {"email": "b@example.org", "full_name": "Другая", "password_hash": UNUSABLE_PASSWORD}
            db.session.execute(insert(User), [row | {"role": "student"}])
        return problem

    monkeypatch.setattr(user_import, "_line_problem", check_then_lose_the_race)
    before = db.session.scalar(select(func.count()).select_from(User))
    text = "email;ФИО;роль\na@example.org;Анна;ученик\nb@example.org;Борис;ученик\n"
    result = user_import.import_users(text.encode("cp1251"), actor=actor)
    assert result.created == 0 and len(result.errors) == 1 and "Ничего не создано" in result.errors[0].message
    assert db.session.scalar(select(func.count()).select_from(User)) == before
