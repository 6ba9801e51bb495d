"""What a school coordinator or a district methodist sees in monitoring: the administrator sets their
institutions or districts (the API's PUT /users/{id}/scopes and the scope page)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update

from app import audit
from app.accounts import District, DistrictScope, Institution, InstitutionScope, Role, User
from app.domain_errors import Invalid, NotFound
from app.extensions import db, rows_changed
from app.i18n import _

# Which role takes which kind of scope; every other role takes none.
SCOPED_ROLES = {Role.COORDINATOR: "institution_ids", Role.DISTRICT_METHODIST: "district_ids"}


@dataclass(frozen=True)
class Scopes:
    institution_ids: list[int]
    district_ids: list[int]


def scopes_of(user: User) -> Scopes:
    """The user's institutions and districts, sorted by id: two small indexed queries."""
    institutions = db.session.scalars(
        select(InstitutionScope.institution_id)
        .where(InstitutionScope.user_id == user.id)
        .order_by(InstitutionScope.institution_id)
    )
    districts = db.session.scalars(
        select(DistrictScope.district_id)
        .where(DistrictScope.user_id == user.id)
        .order_by(DistrictScope.district_id)
    )
    return Scopes(list(institutions), list(districts))


def set_scopes(
    user: User, *, institution_ids: Iterable[int], district_ids: Iterable[int], actor: User | None
) -> Scopes:
    """Replace the user's scope. A coordinator takes institutions, a district methodist districts;
    empty lists are accepted for anyone (they clear a scope left from an earlier role). Unknown ids,
    or ids of the kind the role does not take, are refused by the field (422), nothing written.

    Two administrators saving at once: the first statement locks the user's row (a no-op UPDATE),
    so the second waits and its replacement wins whole, never a mix of both."""
    wanted = Scopes(sorted(set(institution_ids)), sorted(set(district_ids)))
    _check_kinds(user, wanted)
    _check_known(wanted)
    if not rows_changed(update(User).where(User.id == user.id).values(id=User.id)):
        db.session.rollback()
        raise NotFound(_("Not found."))
    before = scopes_of(user)
    db.session.execute(delete(InstitutionScope).where(InstitutionScope.user_id == user.id))
    db.session.execute(delete(DistrictScope).where(DistrictScope.user_id == user.id))
    if wanted.institution_ids:
        db.session.execute(
            insert(InstitutionScope),
            [{"user_id": user.id, "institution_id": i} for i in wanted.institution_ids],
        )
    if wanted.district_ids:
        db.session.execute(
            insert(DistrictScope), [{"user_id": user.id, "district_id": d} for d in wanted.district_ids]
        )
    audit.record(
        "user.scopes_set",
        actor=actor,
        scope_type="site",
        object_type="user",
        object_id=user.id,
        details={
            "before": {"institution_ids": before.institution_ids, "district_ids": before.district_ids},
            "after": {"institution_ids": wanted.institution_ids, "district_ids": wanted.district_ids},
        },
    )
    db.session.commit()
    return wanted


def _check_kinds(user: User, wanted: Scopes) -> None:
    takes = SCOPED_ROLES.get(Role(user.role))
    fields: dict[str, str] = {}
    for name, ids in (("institution_ids", wanted.institution_ids), ("district_ids", wanted.district_ids)):
        if ids and name != takes:
            fields[name] = _refusal(name, takes)
    if fields:
        raise Invalid(next(iter(fields.values())), fields)


def _refusal(name: str, takes: str | None) -> str:
    if takes is None:
        return _("Only school coordinators and district methodists have a monitoring scope.")
    if takes == "institution_ids":
        return _("A school coordinator's scope is institutions, not districts.")
    return _("A district methodist's scope is districts, not institutions.")


def _check_known(wanted: Scopes) -> None:
    fields: dict[str, str] = {}
    for name, model, ids in (
        ("institution_ids", Institution, wanted.institution_ids),
        ("district_ids", District, wanted.district_ids),
    ):
        if not ids:
            continue
        known = set(db.session.scalars(select(model.id).where(model.id.in_(ids))))
        missing = [str(i) for i in ids if i not in known]
        if missing:
            fields[name] = _("Unknown ids: %(ids)s.", ids=", ".join(missing))
    if fields:
        raise Invalid(next(iter(fields.values())), fields)
