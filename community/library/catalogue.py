"""The library's catalogue: the materials a reader may see, filtered by facets and Russian full text,
sorted, paginated, with facet counts — in the same few queries whatever the library's size.

Who sees what: everyone sees published materials. Asking for a status or an author (`?status=`,
`?author_id=`) adds the caller's own materials in any state and, for a moderator, the pending and
rejected materials they may moderate (all for methodists and administrators, their associations'
for leaders); never another author's draft, never anything of others for anyone else.

Sorting: `relevance` (full-text rank, then the damped rating; the default when searching), `new` (newest
publication first; the default otherwise), `popular` (views plus downloads, each counted once per
person per day), `rated` (the average damped towards a prior — see catalogue_params.damped_rating —
then the number of ratings, then the newest; unrated last). Every order ends with the id, so pages
never overlap.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Float, and_, case, cast, false, func, literal_column, or_, select
from sqlalchemy import text as sql

from app.accounts import Institution, User
from app.extensions import db
from app.memo import remember
from app.pagination import MAX_PAGE, Page
from community.library import search
from community.library.catalogue_facets import FacetValue, facet_conditions, facet_counts
from community.library.catalogue_params import FACETS, RATING_PRIOR_STARS, RATING_PRIOR_WEIGHT, Filters
from community.library.discussion_rules import average
from community.library.models import FACETS_VERSION, Material, MaterialGrade, MaterialStatus, MaterialSubject
from community.library.search import TextQuery


@dataclass(frozen=True)
class Viewer:
    """The caller as the catalogue needs it (the view fills it from app.permissions.library)."""

    user_id: int | None = None
    moderates_all: bool = False
    association_ids: tuple[int, ...] = ()


@dataclass
class Card:
    """One material as a catalogue card shows it."""

    material: Material
    author_name: str
    institution_name: str
    district: str
    subject_ids: list[int] = field(default_factory=list)
    grades: list[int] = field(default_factory=list)

    @property
    def rating(self) -> Decimal | None:
        return average(self.material.rating_sum, self.material.ratings_count)


@dataclass
class Catalogue:
    page: Page[Card]
    facets: dict[str, list[FacetValue]]
    filters: Filters
    sort: str
    searching: bool  # the query had words to search for


def browse(filters: Filters, viewer: Viewer, *, page: int, per_page: int) -> Catalogue:
    """One page of the catalogue with its facets: 4 queries (count, page, subjects and grades of the
    page, facets) whatever the number of materials, and a SET on PostgreSQL; for the whole library
    (is_front) the count and facets are kept, so 3 with the versions' read."""
    text = search.text_query(filters.q) if filters.q else None
    sort = filters.effective_sort(text is not None)
    page, per_page = min(max(1, page), MAX_PAGE), max(1, per_page)
    if search.dialect() == "postgresql":
        # PostgreSQL would JIT-compile the facet statement (its cost passes jit_above_cost at this size):
        # 0.4 s of compiling to save nothing on a query that runs once. Off for this transaction only.
        db.session.execute(sql("SET LOCAL jit = off"))
    if is_front(filters):
        total, facets = front_summary()
    else:
        total, facets = _summary(filters, viewer, text)
    query = _page_query(filters, viewer, text, sort).limit(per_page).offset((page - 1) * per_page)
    cards = [Card(row[0], row[1], row[2] or "", row[3] or "") for row in db.session.execute(query)]
    _fill_subjects_and_grades(cards)
    return Catalogue(
        page=Page(cards, page, per_page, total),
        facets=facets,
        filters=filters,
        sort=sort,
        searching=text is not None,
    )


def is_front(filters: Filters) -> bool:
    """The whole published library, unsearched and unfiltered (only the sort and the page may vary):
    what most visits ask for, the same for everyone."""
    return not (filters.q or filters.status or filters.author_id or any(filters.selected(f) for f in FACETS))


def front_summary() -> tuple[int, dict[str, list[FacetValue]]]:
    """The number of published materials and the facet counts over all of them, kept (app/memo.py)
    until a publication or an edit of a published material's facets moves FACETS_VERSION on, or a
    school, district or association is renamed ("names"): six GROUP BYs over the library, once."""
    total, facets = remember("library.front_summary", (), (FACETS_VERSION, "names"), _front_summary)
    return total, {facet: list(values) for facet, values in facets}


def _front_summary() -> tuple[int, tuple[tuple[str, tuple[FacetValue, ...]], ...]]:
    total, facets = _summary(Filters(), Viewer(), None)
    return total, tuple((facet, tuple(values)) for facet, values in facets.items())


def _summary(
    filters: Filters, viewer: Viewer, text: TextQuery | None
) -> tuple[int, dict[str, list[FacetValue]]]:
    """The count and the facets of the filtered set. Counted on the material table alone: the page's
    joins to authors and schools would cost a lookup per row."""
    total = db.session.scalar(
        select(func.count()).select_from(Material).where(*conditions(filters, viewer, text))
    )
    facets = facet_counts(base_conditions(filters, viewer, text), filters, searching=text is not None)
    return total or 0, facets


def conditions(
    filters: Filters, viewer: Viewer, text: TextQuery | None, *, with_text: bool = True
) -> list[ColumnElement[bool]]:
    """The WHERE of the filtered set (over the material table)."""
    return base_conditions(filters, viewer, text, with_text=with_text) + facet_conditions(
        filters, Material.__table__.c
    )


def base_conditions(
    filters: Filters, viewer: Viewer, text: TextQuery | None, *, with_text: bool = True
) -> list[ColumnElement[bool]]:
    """Who may see what, the status and author asked for, and the full-text match: what every facet's
    count shares."""
    found = [_visible(filters, viewer)]
    if filters.status:
        found.append(Material.status == MaterialStatus(filters.status))
    if filters.author_id:
        found.append(Material.author_id == filters.author_id)
    if text is not None and with_text:
        found.append(search.matches(text))
    return found


def _only_published(filters: Filters, viewer: Viewer) -> bool:
    return viewer.user_id is None or not (filters.status or filters.author_id)


def _visible(filters: Filters, viewer: Viewer) -> ColumnElement[bool]:
    published = Material.status == MaterialStatus.PUBLISHED
    if _only_published(filters, viewer):
        return published
    under_review = Material.status.in_([MaterialStatus.PENDING, MaterialStatus.REJECTED])
    moderated: ColumnElement[bool] = false()
    if viewer.moderates_all:
        moderated = under_review
    elif viewer.association_ids:
        moderated = and_(under_review, Material.association_id.in_(viewer.association_ids))
    return or_(published, Material.author_id == viewer.user_id, moderated)


def _damped_rating() -> ColumnElement[Any]:
    """catalogue_params.damped_rating in SQL over the stored counters (the same on SQLite and
    PostgreSQL): NULL while unrated, so `nulls_last` puts those materials after every rated one."""
    prior = RATING_PRIOR_WEIGHT * RATING_PRIOR_STARS  # a float: the division is never an integer one
    damped = (cast(Material.rating_sum, Float) + prior) / (Material.ratings_count + RATING_PRIOR_WEIGHT)
    return case((Material.ratings_count > 0, damped), else_=None)


def _page_query(filters: Filters, viewer: Viewer, text: TextQuery | None, sort: str) -> Any:
    query = (
        select(Material, User.full_name, Institution.name, Institution.district)
        .join(User, User.id == Material.author_id)
        .outerjoin(Institution, Institution.id == Material.institution_id)
    )
    ranking = sort == "relevance" and text is not None
    query = query.where(*conditions(filters, viewer, text, with_text=not ranking))
    rated = _damped_rating().desc().nulls_last()
    if ranking:
        assert text is not None
        query, relevance = search.ranked(query, text)
        return query.order_by(relevance, rated, Material.id.desc())
    if sort == "popular":
        return query.order_by((Material.views_count + Material.downloads_count).desc(), Material.id.desc())
    if sort == "rated":
        newest_first = func.coalesce(Material.published_at, Material.created_at).desc()
        return query.order_by(rated, Material.ratings_count.desc(), newest_first, Material.id.desc())
    if _only_published(filters, viewer):
        return query.order_by(Material.published_at.desc(), Material.id.desc())
    newest = func.coalesce(Material.published_at, Material.created_at)
    return query.order_by(newest.desc(), Material.id.desc())


def _fill_subjects_and_grades(cards: list[Card]) -> None:
    """Both lists of every card on the page in one query."""
    ids = [card.material.id for card in cards]
    if not ids:
        return
    subjects: Any = select(MaterialSubject.material_id, MaterialSubject.subject_id, literal_column("'s'"))
    grades: Any = select(MaterialGrade.material_id, MaterialGrade.grade, literal_column("'g'"))
    rows = db.session.execute(
        subjects.where(MaterialSubject.material_id.in_(ids)).union_all(
            grades.where(MaterialGrade.material_id.in_(ids))
        )
    ).all()
    found: dict[tuple[int, str], list[int]] = defaultdict(list)
    for material_id, value, kind in rows:
        found[(material_id, kind)].append(int(value))
    for card in cards:
        card.subject_ids = found[(card.material.id, "s")]
        card.grades = sorted(found[(card.material.id, "g")])
