"""Facet counts of the catalogue: for each facet (subject, grade, kind, district, institution,
association) how many materials of the filtered set each value has — computed with every filter but
the facet's own, so a reader who ticked «Математика» still sees how many «Физика» would add.

All six facets come from one statement: the materials the reader may see and that match the search
are found once (a CTE, materialised when that pays: the full-text match then runs once, not six
times), then each facet counts over them with the other facets' filters; each lists at most
FACET_LIMIT values (ticked ones first, then by count), so neither the query count nor the page grows
with the library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, case, cast, exists, func, literal_column, select, union_all

from app.accounts import Institution
from app.extensions import db
from community.associations.models import Association
from community.library.catalogue_params import FACETS, Filters
from community.library.models import Material, MaterialGrade, MaterialSubject

FACET_LIMIT = 30


@dataclass(frozen=True)
class FacetValue:
    value: str  # as in the URL (an id, a grade, a kind, a district's name)
    label: str  # the name to show where the value is not one (institution, association, district)
    count: int
    selected: bool


def facet_conditions(filters: Filters, columns: Any, *, skip: str | None = None) -> list[ColumnElement[bool]]:
    """The facets' own filters over `columns` (the material table's or the filtered set's: id, kind,
    institution_id, association_id); `skip` leaves one facet out."""
    found: list[ColumnElement[bool]] = []
    if filters.subject and skip != "subject":
        found.append(
            exists().where(
                MaterialSubject.material_id == columns.id, MaterialSubject.subject_id.in_(filters.subject)
            )
        )
    if filters.grade and skip != "grade":
        found.append(
            exists().where(MaterialGrade.material_id == columns.id, MaterialGrade.grade.in_(filters.grade))
        )
    if filters.kind and skip != "kind":
        found.append(columns.kind.in_(filters.kind))
    if filters.district and skip != "district":
        in_district = select(Institution.id).where(Institution.district.in_(filters.district))
        found.append(columns.institution_id.in_(in_district))
    if filters.institution and skip != "institution":
        found.append(columns.institution_id.in_(filters.institution))
    if filters.association and skip != "association":
        found.append(columns.association_id.in_(filters.association))
    return found


def facet_counts(
    base: list[ColumnElement[bool]], filters: Filters, *, searching: bool
) -> dict[str, list[FacetValue]]:
    """`base` selects the materials the reader may see that match the search (no facet filters)."""
    seen = (
        select(Material.id, Material.kind, Material.institution_id, Material.association_id)
        .where(*base)
        .cte("seen")
        .prefix_with("MATERIALIZED" if _found_once(filters, searching) else "NOT MATERIALIZED")
    )
    branches = [_branch(facet, seen, filters) for facet in FACETS]
    rows = db.session.execute(union_all(*branches)).all()
    found: dict[str, list[FacetValue]] = {facet: [] for facet in FACETS}
    for facet, value, label, count in rows:
        selected = {str(v) for v in filters.selected(facet)}
        found[facet].append(FacetValue(str(value), label or "", int(count), str(value) in selected))
    for values in found.values():
        values.sort(key=lambda item: (not item.selected, -item.count, item.label, _natural(item.value)))
    return found


def _found_once(filters: Filters, searching: bool) -> bool:
    """Whether to compute the visible set once for all six counts (measured at 100,000 materials): yes
    when searching — the full-text match is the costly part — and on SQLite when facets are ticked;
    no for the plain catalogue, whose counts the (status, …) indexes answer best one by one."""
    ticked = any(filters.selected(facet) for facet in FACETS)
    return searching or (ticked and db.session.get_bind().dialect.name == "sqlite")


def _natural(value: str) -> tuple[int, str]:
    return (int(value), "") if value.isdigit() else (0, value)


_NO_LABEL = literal_column("''", String)
_LINKS: dict[str, Any] = {"subject": MaterialSubject, "grade": MaterialGrade}


def _branch(facet: str, seen: Any, filters: Filters) -> Any:
    """SELECT facet, value, label, count for one facet, its best FACET_LIMIT values."""
    conditions = facet_conditions(filters, seen.c, skip=facet)
    name = literal_column(f"'{facet}'", String).label("facet")
    count: Any = func.count()
    if facet in _LINKS:
        # A link table counted alone, its materials picked by id: cheaper than joining every row.
        link = _LINKS[facet]
        value = link.subject_id if facet == "subject" else link.grade
        query = (
            select(name, cast(value, String).label("value"), _NO_LABEL.label("label"), count.label("n"))
            .where(link.material_id.in_(select(seen.c.id).where(*conditions)))
            .group_by(value)
        )
    elif facet == "kind":
        value = seen.c.kind
        query = (
            select(name, cast(value, String).label("value"), _NO_LABEL.label("label"), count.label("n"))
            .select_from(seen)
            .where(*conditions)
            .group_by(value)
        )
    elif facet == "district":
        # Counted per school first, then the schools' districts looked up: one lookup per school.
        per_school = (
            select(seen.c.institution_id.label("school"), func.count().label("n"))
            .where(*conditions, seen.c.institution_id.is_not(None))
            .group_by(seen.c.institution_id)
            .subquery()
        )
        value, count = Institution.district, func.sum(per_school.c.n)
        query = (
            select(name, cast(value, String).label("value"), _NO_LABEL.label("label"), count.label("n"))
            .select_from(per_school)
            .join(Institution, Institution.id == per_school.c.school)
            .where(Institution.district != "")
            .group_by(value)
        )
    else:
        named = Institution if facet == "institution" else Association
        value = seen.c.institution_id if facet == "institution" else seen.c.association_id
        query = (
            select(name, cast(value, String).label("value"), named.name.label("label"), count.label("n"))
            .select_from(seen)
            .join(named, named.id == value)
            .where(*conditions)
            .group_by(value, named.name)
        )
    return _limited(query, value, count, filters.selected(facet))


def _limited(query: Any, value: Any, count: Any, selected: tuple[int | str, ...]) -> Any:
    """The facet's best FACET_LIMIT values: ticked ones first, then by count."""
    order: list[Any] = []
    if selected:
        order.append(case((value.in_(list(selected)), 0), else_=1))
    order += [count.desc(), value]
    inner = query.order_by(*order).limit(FACET_LIMIT).subquery()
    return select(inner.c.facet, inner.c.value, inner.c.label, inner.c.n)
