"""Facet counts of the catalogue: for each facet (subject, grade, kind, district, institution,
association) how many materials of the filtered set each value has — computed with every filter but
the facet's own, so a reader who ticked «Математика» still sees how many «Физика» would add. All six
facets come from one UNION ALL statement; each lists at most FACET_LIMIT values (ticked ones first,
then by count), so neither the query count nor the page grows with the library.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, case, cast, func, literal_column, select, union_all

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


def facet_counts(
    where: Callable[[str], list[ColumnElement[bool]]], filters: Filters
) -> dict[str, list[FacetValue]]:
    """`where(facet)` gives the filtered set's conditions without that facet's own filter."""
    branches = [_branch(facet, where(facet), filters) for facet in FACETS]
    rows = db.session.execute(union_all(*branches)).all()
    found: dict[str, list[FacetValue]] = {facet: [] for facet in FACETS}
    for facet, value, label, count in rows:
        selected = {str(v) for v in filters.selected(facet)}
        found[facet].append(FacetValue(str(value), label or "", int(count), str(value) in selected))
    for values in found.values():
        values.sort(key=lambda item: (not item.selected, -item.count, item.label, _natural(item.value)))
    return found


def _natural(value: str) -> tuple[int, str]:
    return (int(value), "") if value.isdigit() else (0, value)


def _branch(facet: str, conditions: list[ColumnElement[bool]], filters: Filters) -> Any:
    """SELECT facet, value, label, count for one facet, its best FACET_LIMIT values."""
    value, label, joins = _columns(facet)
    columns = (
        literal_column(f"'{facet}'", String).label("facet"),
        cast(value, String).label("value"),
        label.label("label"),
        func.count().label("n"),
    )
    if facet == "district":
        # Counted per school first, then the schools' districts looked up: one lookup per school, not
        # one per material.
        per_school = (
            select(Material.institution_id.label("school"), func.count().label("n"))
            .where(*conditions, Material.institution_id.is_not(None))
            .group_by(Material.institution_id)
            .subquery()
        )
        total = func.sum(per_school.c.n)
        query = (
            select(columns[0], cast(value, String).label("value"), label.label("label"), total.label("n"))
            .join(Institution, Institution.id == per_school.c.school)
            .where(Institution.district != "")
            .group_by(value)
        )
        return _limited(query, value, total, filters.selected(facet))
    if facet in _LINKS:
        # A link table counted alone, its materials picked by id: cheaper than joining every row.
        link = _LINKS[facet]
        query = select(*columns).where(link.material_id.in_(select(Material.id).where(*conditions)))
    else:
        query = select(*columns).select_from(Material)
        for table, on in joins:
            query = query.join(table, on)
        query = query.where(*conditions, value.is_not(None))
    query = query.group_by(value, label) if label is not _NO_LABEL else query.group_by(value)
    return _limited(query, value, func.count(), filters.selected(facet))


def _limited(query: Any, value: Any, count: Any, selected: tuple[int | str, ...]) -> Any:
    """The facet's best FACET_LIMIT values: ticked ones first, then by count."""
    order: list[Any] = []
    if selected:
        order.append(case((value.in_(list(selected)), 0), else_=1))
    order += [count.desc(), value]
    inner = query.order_by(*order).limit(FACET_LIMIT).subquery()
    return select(inner.c.facet, inner.c.value, inner.c.label, inner.c.n)


_NO_LABEL = literal_column("''", String)
_LINKS: dict[str, Any] = {"subject": MaterialSubject, "grade": MaterialGrade}


def _columns(facet: str) -> tuple[Any, Any, list[tuple[Any, Any]]]:
    """(value column, label column, joins) of one facet."""
    if facet == "subject":
        return (
            MaterialSubject.subject_id,
            _NO_LABEL,
            [(MaterialSubject, MaterialSubject.material_id == Material.id)],
        )
    if facet == "grade":
        return MaterialGrade.grade, _NO_LABEL, [(MaterialGrade, MaterialGrade.material_id == Material.id)]
    if facet == "kind":
        return Material.kind, _NO_LABEL, []
    if facet == "district":
        return Institution.district, _NO_LABEL, []
    if facet == "institution":
        return (
            Material.institution_id,
            Institution.name,
            [(Institution, Institution.id == Material.institution_id)],
        )
    return (
        Material.association_id,
        Association.name,
        [(Association, Association.id == Material.association_id)],
    )
