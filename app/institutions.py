"""Institutions of the network: saving one, and listing them with their member counts (the
network page, exports). Shared by the admin pages, the API and the network page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from app import audit
from app.accounts import District, Institution, InstitutionType, User
from app.cache_versions import bump
from app.districts import district_named, place_in_district
from app.domain_errors import Invalid
from app.extensions import db
from app.i18n import _, lazy_
from app.pagination import Page, paginate

INSTITUTION_TYPE_LABELS = {
    InstitutionType.SCHOOL: lazy_("School"),
    InstitutionType.GYMNASIUM: lazy_("Gymnasium"),
    InstitutionType.LYCEUM: lazy_("Lyceum"),
    InstitutionType.METHODICAL_CENTRE: lazy_("Methodical centre"),
    InstitutionType.QUALIFICATION_INSTITUTE: lazy_("Institute of professional development"),
    InstitutionType.ADDITIONAL_EDUCATION: lazy_("Additional education"),
    InstitutionType.UNIVERSITY: lazy_("University"),
    InstitutionType.OTHER: lazy_("Other"),
}


def institution_type_label(kind: InstitutionType | str) -> str:
    return str(INSTITUTION_TYPE_LABELS.get(InstitutionType(kind), kind))


def save_institution(
    institution: Institution | None,
    *,
    name: str,
    district: str = "",
    region: str = "",
    district_id: int | None = None,
    kind: InstitutionType | str | None = None,
    actor: User | None,
) -> Institution:
    """Create an institution (None) or change it; audited, since every report groups by it.

    The district is the record `district_id` names; callers that still send only the district's
    text (older API clients, the demo) get the district of that name and region, made when missing.
    Neither means no district."""
    name = name.strip()
    if not name:
        raise Invalid(_("Enter the institution's name."), {"name": _("Enter the institution's name.")})
    chosen = _institution_type(kind, institution)
    place = _district_for(district_id, district, region)
    if institution is None:
        institution = Institution(name=name, type=chosen)
        db.session.add(institution)
        action = "institution.created"
    else:
        institution.name, institution.type = name, chosen
        action = "institution.updated"
    place_in_district(institution, place)
    bump("names")  # pages kept rendered with schools' names and districts (library facets and cards)
    db.session.flush()
    audit.record(action, actor=actor, scope_type="site", object_type="institution", object_id=institution.id)
    db.session.commit()
    return institution


def _institution_type(value: str | None, institution: Institution | None) -> InstitutionType:
    if value is None or value == "":
        return institution.type if institution is not None else InstitutionType.SCHOOL
    if value not in {kind.value for kind in InstitutionType}:
        raise Invalid(_("Unknown institution type."), {"type": _("Unknown institution type.")})
    return InstitutionType(value)


def _district_for(district_id: int | None, name: str, region: str) -> District | None:
    if district_id:
        found = db.session.get(District, district_id)
        if found is None:
            raise Invalid(_("Unknown district."), {"district_id": _("Unknown district.")})
        return found
    if not name.strip():
        return None
    try:
        return district_named(name, region)
    except Invalid as error:  # the text is too long: say so by the district's field
        db.session.rollback()
        raise Invalid(error.message, {"district": error.message}) from None


def _institutions_with_member_counts() -> Select[Any]:
    """Institutions with their active member counts, by district then name: one query, no N+1."""
    counts = (
        select(User.institution_id, func.count(User.id).label("members"))
        .where(User.active.is_(True))
        .group_by(User.institution_id)
        .subquery()
    )
    return (
        select(Institution, func.coalesce(counts.c.members, 0))
        .outerjoin(counts, counts.c.institution_id == Institution.id)
        .order_by(Institution.district, Institution.name, Institution.id)
    )


def institutions_by_district() -> list[tuple[Institution, int]]:
    """Every institution with its member count, in one query (for exports and small networks)."""
    rows = db.session.execute(_institutions_with_member_counts()).all()
    return [(row[0], int(row[1])) for row in rows]


def network_page(page: int, per_page: int) -> Page[tuple[Institution, int]]:
    """One page of the network list in three queries whatever the network's size: the total, the
    page's institutions, and the member counts of just those (an indexed lookup, not a full scan)."""
    found = paginate(
        select(Institution).order_by(Institution.district, Institution.name, Institution.id), page, per_page
    )
    counts: dict[int, int] = {}
    if found.items:
        counts = {
            row[0]: int(row[1])
            for row in db.session.execute(
                select(User.institution_id, func.count(User.id))
                .where(User.institution_id.in_([i.id for i in found.items]), User.active.is_(True))
                .group_by(User.institution_id)
            )
        }
    items = [(institution, counts.get(institution.id, 0)) for institution in found.items]
    return Page(items=items, page=found.page, per_page=per_page, total=found.total)
