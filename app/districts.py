"""Districts of the network as records an administrator manages: create, rename, delete an empty one,
list with institution counts; and placing an institution in a district.

Institutions keep the district's name and region as text copies (dozens of pages group and show
them): this module is their only writer, so a rename updates every copy in the same transaction,
in one UPDATE whatever the number of institutions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import District, Institution, User
from app.cache_versions import bump
from app.domain_errors import Conflict, Invalid, NotFound
from app.extensions import added, db, rows_changed
from app.i18n import _
from app.pagination import Page, paginate

MAX_NAME = 255
_ORDER = (District.region, District.name, District.id)  # lists and choices: by region, then name


@dataclass(frozen=True)
class DistrictRow:
    """A district with the number of its institutions (the list pages and the API)."""

    district: District
    institutions: int


def create_district(*, name: str, region: str, actor: User | None) -> District:
    """A new district; 409 when the region already has one of that name (even one created by a
    twin request a moment ago: the unique constraint decides)."""
    name, region = _checked(name, region)
    district = District(name=name, region=region)
    if not added(district):
        raise _duplicate(name)
    bump("names")  # the network's reports kept rendered list every district by name
    audit.record(
        "district.created",
        actor=actor,
        scope_type="site",
        object_type="district",
        object_id=district.id,
        details={"name": name, "region": region},
    )
    db.session.commit()
    return district


def rename_district(district: District, *, name: str, region: str, actor: User | None) -> District:
    """Rename a district (or move it to another region) and every institution's copy with it: two
    UPDATEs in one transaction, so no page ever sees an institution under the old name."""
    name, region = _checked(name, region)
    before = {"name": district.name, "region": district.region}
    try:
        renamed = rows_changed(
            update(District).where(District.id == district.id).values(name=name, region=region)
        )
        db.session.execute(
            update(Institution)
            .where(Institution.district_id == district.id)
            .values(district=name, region=region)
            .execution_options(synchronize_session=False)
        )
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise _duplicate(name) from None
    if not renamed:
        db.session.rollback()
        raise NotFound(_("This district no longer exists."))
    bump("names")  # pages kept rendered with districts (the library's facets and cards)
    audit.record(
        "district.renamed",
        actor=actor,
        scope_type="site",
        object_type="district",
        object_id=district.id,
        details={"before": before, "after": {"name": name, "region": region}},
    )
    db.session.commit()
    db.session.expire_all()  # institutions already loaded in this session carry the old copies
    return district


def delete_district(district: District, *, actor: User | None) -> None:
    """Delete a district that has no institutions (409 otherwise): one conditional DELETE, so an
    institution placed in it at the same moment either lands first (and the district stays) or is
    refused by the foreign key. The district methodists' scopes of it go with it."""
    district_id, name = district.id, district.name
    has_institutions = exists().where(Institution.district_id == district_id)
    try:
        deleted = rows_changed(delete(District).where(District.id == district_id, ~has_institutions))
    except IntegrityError:
        deleted = 0
    if not deleted:
        db.session.rollback()
        if db.session.get(District, district_id) is None:
            raise NotFound(_("This district no longer exists."))
        raise Conflict(_("The district “%(name)s” still has institutions: move them first.", name=name))
    bump("names")  # the network's reports kept rendered list every district by name
    audit.record(
        "district.deleted",
        actor=actor,
        scope_type="site",
        object_type="district",
        object_id=district_id,
        details={"name": name},
    )
    db.session.commit()


def district_page(page: int, per_page: int, search: str = "") -> Page[DistrictRow]:
    """One page of districts by region and name, each with its institution count: three queries
    whatever the network's size (the total, the page, the counts of just that page)."""
    query = select(District).order_by(*_ORDER)
    if search:
        like = f"%{search}%"
        query = query.where(District.name.ilike(like) | District.region.ilike(like))
    found = paginate(query, page, per_page)
    counts = _institution_counts([d.id for d in found.items]) if found.items else {}
    rows = [DistrictRow(d, counts.get(d.id, 0)) for d in found.items]
    return Page(items=rows, page=found.page, per_page=per_page, total=found.total)


def district_row(district: District) -> DistrictRow:
    """One district with its institution count."""
    return DistrictRow(district, _institution_counts([district.id]).get(district.id, 0))


def _institution_counts(district_ids: list[int]) -> dict[int, int]:
    """district id -> its institutions, for these districts (one grouped query)."""
    rows = db.session.execute(
        select(Institution.district_id, func.count(Institution.id))
        .where(Institution.district_id.in_(district_ids))
        .group_by(Institution.district_id)
    )
    return {district_id: int(count) for district_id, count in rows if district_id is not None}


def all_districts() -> list[District]:
    """Every district by region and name (the choices of a form: a network has dozens, not thousands)."""
    return list(db.session.scalars(select(District).order_by(*_ORDER)))


def district_choices() -> list[tuple[int, str]]:
    """Every district as a form's choice, «Name (Region)» (the institution form, the scope page)."""
    return [(d.id, f"{d.name} ({d.region})" if d.region else d.name) for d in all_districts()]


def district_named(name: str, region: str) -> District:
    """The district of this name in this region, created when missing (in the caller's transaction):
    the callers that still name a district by its text (old API clients, imports, the demo)."""
    name, region = _checked(name, region)
    query = select(District).where(District.name == name, District.region == region)
    found = db.session.scalar(query)
    if found is None:
        found = District(name=name, region=region)
        if not added(found):  # a twin request created it first
            found = db.session.scalar(query)
            assert found is not None
    return found


def place_in_district(institution: Institution, district: District | None) -> None:
    """Point an institution at a district and copy its name and region (no commit: the caller's)."""
    institution.district_id = district.id if district is not None else None
    institution.district = district.name if district is not None else ""
    institution.region = district.region if district is not None else ""


def _checked(name: str, region: str) -> tuple[str, str]:
    name, region = name.strip(), region.strip()
    if not name:
        raise Invalid(_("Enter the district's name."), {"name": _("Enter the district's name.")})
    fields = {
        field: _("At most %(n)d characters.", n=MAX_NAME)
        for field, value in (("name", name), ("region", region))
        if len(value) > MAX_NAME
    }
    if fields:
        raise Invalid(next(iter(fields.values())), fields)
    return name, region


def _duplicate(name: str) -> Conflict:
    message = _("The region already has a district named “%(name)s”.", name=name)
    return Conflict(message, {"name": message})
