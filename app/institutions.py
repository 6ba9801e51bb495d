"""Institutions of the network: saving one, and listing them with their member counts (the
network page, exports). Shared by the admin pages, the API and the network page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from app import audit
from app.accounts import Institution, User
from app.domain_errors import Invalid
from app.extensions import db
from app.i18n import _
from app.pagination import Page, paginate


def save_institution(
    institution: Institution | None, *, name: str, district: str, region: str, actor: User | None
) -> Institution:
    """Create an institution (None) or rename it; audited, since every report groups by it."""
    name, district, region = name.strip(), district.strip(), region.strip()
    if not name:
        raise Invalid(_("Enter the institution's name."), {"name": _("Enter the institution's name.")})
    if institution is None:
        institution = Institution(name=name, district=district, region=region)
        db.session.add(institution)
        action = "institution.created"
    else:
        institution.name, institution.district, institution.region = name, district, region
        action = "institution.updated"
    db.session.flush()
    audit.record(action, actor=actor, scope_type="site", object_type="institution", object_id=institution.id)
    db.session.commit()
    return institution


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
