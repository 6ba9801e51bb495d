"""Methodical library: the catalogue page (GET /library/), open to everyone like a teacher portal's,
with facets and their counts, Russian full-text search, sorting and pagination.

Bad or hand-edited parameters never fail the page: a value that is not a facet's is left out (the
API, app/api/library/catalogue.py, refuses them with a 422 instead).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import render_template, request, url_for
from flask_babel import format_decimal, get_locale, get_timezone
from flask_login import current_user
from markupsafe import Markup

from app.i18n import _
from app.library import bp
from app.library.catalogue_request import read_request_filters, viewer_for
from app.memo import remember
from app.pagination import page_args
from app.permissions.library import can_publish_materials
from community.library.catalogue import Catalogue, Viewer, browse, is_front
from community.library.catalogue_params import FACETS, PARAMS, SORTS, Filters
from community.library.labels import KIND_LABELS, STATE_COLOURS, STATUS_LABELS
from community.library.models import CATALOGUE_VERSION, FACETS_VERSION
from community.subjects import all_subjects

PER_PAGE = 20
# The orders kept rendered for the whole library; «popular» moves with every visit, so it is built.
KEPT_SORTS = ("new", "rated")
KEPT_VERSIONS = (CATALOGUE_VERSION, FACETS_VERSION, "names")


@bp.route("/")
def catalogue() -> Any:
    filters = read_request_filters(strict=False)
    page, per_page = page_args(request.args, default_per_page=PER_PAGE, max_per_page=100)
    can_publish = can_publish_materials(current_user)
    viewer = viewer_for(current_user, filters)

    def body() -> Markup:
        return _body(filters, viewer, page, per_page, can_publish)

    if is_front(filters) and filters.effective_sort(False) in KEPT_SORTS:
        # The whole library in the order of publication or of rating: the same for every reader of a
        # language and zone, kept until a publication, an edit, a rating, a comment or a rename.
        args = tuple(sorted(request.args.items(multi=True)))
        parts = (str(get_locale()), str(get_timezone()), page, per_page, can_publish, args)
        shown = remember("library.catalogue", parts, KEPT_VERSIONS, body)
    else:
        shown = body()
    return render_template("library/catalogue.html", body=shown, can_publish=can_publish)


def _body(filters: Filters, viewer: Viewer, page: int, per_page: int, can_publish: bool) -> Markup:
    result = browse(filters, viewer, page=page, per_page=per_page)
    locale = str(get_locale() or "ru")
    subject_names = {subject.id: subject.label(locale) for subject in all_subjects()}
    return Markup(
        render_template(
            "library/_catalogue_body.html",
            result=result,
            filters=filters,
            facets=_facet_panels(result, subject_names),
            subject_names=subject_names,
            kind_labels=KIND_LABELS,
            status_labels=STATUS_LABELS,
            state_colours=STATE_COLOURS,
            sorts=_sort_labels(result),
            rating_text=rating_text,
            page_url=_page_url(filters),
            filtered=_any_filter(filters),
            can_publish=can_publish,
            material_url=url_for("library.material", material_id=0)[:-1],
        )
    )


def rating_text(card: Any) -> str:
    """«4,67» in the reader's language (the template adds «из 5»)."""
    return str(format_decimal(card.rating, format="0.##")) if card.rating is not None else ""


def _facet_panels(result: Catalogue, subject_names: dict[int, str]) -> list[dict[str, Any]]:
    """Each facet's values with their label, count and whether ticked (the template draws checkboxes)."""
    titles = {
        "subject": _("Subject"),
        "grade": _("Grade level"),
        "kind": _("Kind"),
        "district": _("District"),
        "institution": _("Institution"),
        "association": _("Methodical association"),
    }
    panels = []
    for facet in FACETS:
        values = []
        for value in result.facets[facet]:
            values.append({**vars(value), "label": _label(facet, value, subject_names)})
        panels.append({"facet": facet, "param": PARAMS[facet], "title": titles[facet], "values": values})
    return panels


def _label(facet: str, value: Any, subject_names: dict[int, str]) -> str:
    if facet == "subject":
        return subject_names.get(int(value.value), value.value)
    if facet == "kind":
        return str(KIND_LABELS.get(value.value, value.value))
    if facet == "grade":
        return _("Grade %(n)s", n=value.value)
    return str(value.label or value.value)


def _sort_labels(result: Catalogue) -> list[tuple[str, str]]:
    labels = {
        "relevance": _("Relevance"),
        "new": _("Newest"),
        "popular": _("Most viewed and downloaded"),
        "rated": _("Best rated"),
    }
    return [(sort, str(labels[sort])) for sort in SORTS if sort != "relevance" or result.searching]


def _any_filter(filters: Filters) -> bool:
    return bool(filters.q or filters.author_id or filters.status or any(filters.selected(f) for f in FACETS))


def _page_url(filters: Filters) -> Any:
    """A function of a page number giving its link with the same filters (one url_for per page)."""
    base = url_for("library.catalogue")
    pairs = [(key, value) for key in request.args for value in request.args.getlist(key) if key != "page"]

    def build(number: int) -> str:
        return base + "?" + urlencode([*pairs, ("page", str(number))])

    return build
