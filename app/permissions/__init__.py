"""Who may do what: the one place HTML views, API endpoints and templates ask.

Predicates are `can_*(user, ...) -> bool` and never touch the request; `require()` turns a refusal
into a 403 (HTML page or the API's error shape, chosen by the error handler). Each room's
predicates live beside this module: `permissions.courses`, `.quiz`, `.contests`, `.jury` (the jury's
call the jury package's access rules).
"""

from __future__ import annotations

from typing import Any, NoReturn

from flask import abort

from app.accounts import Role, User

# Which site roles an organiser may hand out; admins may hand out any.
ORGANISER_GRANTABLE_ROLES = frozenset({Role.TEACHER, Role.STUDENT, Role.JUROR})


# The network's adults: they publish, rate, comment, read open associations' forums and come to
# events as colleagues. Pupils (students) are the only ones left out.
COLLEAGUE_ROLES = (
    Role.ADMIN,
    Role.ORGANISER,
    Role.TEACHER,
    Role.METHODIST,
    Role.JUROR,
    Role.COORDINATOR,
    Role.DISTRICT_METHODIST,
)


def _signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.active)


def has_role(user: Any, *roles: Role) -> bool:
    return _signed_in(user) and user.role in roles


def is_admin(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_manage_institutions(user: Any) -> bool:
    return is_admin(user)


def can_manage_users(user: Any) -> bool:
    """The admin user pages: list, edit roles, deactivate."""
    return is_admin(user)


def can_create_users(user: Any) -> bool:
    """Admins and organisers add people (organisers bring their contest's participants and jurors)."""
    return has_role(user, Role.ADMIN, Role.ORGANISER)


def can_grant_role(user: Any, role: Role | str) -> bool:
    if is_admin(user):
        return True
    return has_role(user, Role.ORGANISER) and role in ORGANISER_GRANTABLE_ROLES


def can_use_account(user: Any) -> bool:
    """Own dashboard, profile and notifications: any signed-in, active member."""
    return _signed_in(user)


def can_view_network(user: Any) -> bool:
    """The list of the network's institutions is for signed-in members."""
    return _signed_in(user)


def can_view_user(user: Any, other: User) -> bool:
    return _signed_in(user) and (user.id == other.id or has_role(user, Role.ADMIN, Role.ORGANISER))


def require(allowed: bool) -> None:
    """Stop the request with 403 unless `allowed`."""
    if not allowed:
        deny()


def deny() -> NoReturn:
    abort(403)
