"""The site-role predicates as a rule table: role × question → answer; inactive and anonymous never."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app import permissions as can
from app.accounts import Role

ROLES = ["admin", "organiser", "teacher", "student", "juror"]
TABLE = {
    # predicate: the roles it allows
    can.is_admin: {"admin"},
    can.can_manage_institutions: {"admin"},
    can.can_manage_users: {"admin"},
    can.can_create_users: {"admin", "organiser"},
    can.can_view_network: set(ROLES),
    can.can_use_account: set(ROLES),
}


def person(role: str, *, active: bool = True, user_id: int = 1) -> SimpleNamespace:
    return SimpleNamespace(id=user_id, role=Role(role), active=active, is_authenticated=True)


ANONYMOUS = SimpleNamespace(id=None, role=None, active=False, is_authenticated=False)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("predicate", list(TABLE), ids=lambda p: p.__name__)
def test_rule_table(predicate, role: str) -> None:  # type: ignore[no-untyped-def]
    assert predicate(person(role)) is (role in TABLE[predicate])
    assert predicate(person(role, active=False)) is False
    assert predicate(ANONYMOUS) is False
    assert predicate(None) is False


@pytest.mark.parametrize(
    ("actor", "grantable"),
    [
        ("admin", set(ROLES)),
        ("organiser", {"teacher", "student", "juror"}),
        ("teacher", set()),
        ("student", set()),
        ("juror", set()),
    ],
)
def test_who_may_grant_which_role(actor: str, grantable: set[str]) -> None:
    assert {role for role in ROLES if can.can_grant_role(person(actor), role)} == grantable


def test_users_see_themselves_and_organisers_see_everyone() -> None:
    me, other = person("student", user_id=1), person("teacher", user_id=2)
    assert can.can_view_user(me, me) and not can.can_view_user(me, other)
    assert can.can_view_user(person("organiser", user_id=3), other)
    assert can.can_view_user(person("admin", user_id=4), other)
    assert not can.can_view_user(ANONYMOUS, other)


def test_require_turns_a_refusal_into_403(app) -> None:  # type: ignore[no-untyped-def]
    from werkzeug.exceptions import Forbidden

    can.require(True)
    with pytest.raises(Forbidden):
        can.require(False)
