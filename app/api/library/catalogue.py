"""Library API: the catalogue (GET /materials with filters, Russian full text, sorting, facets) and the
school subjects (GET /subjects). Both are public like the catalogue page: without a token the caller
sees published materials; with one, `?status=` and `?author_id=` add their own and those they
moderate. A parameter the page would quietly drop is a 422 here, named in `fields`."""

from __future__ import annotations

from typing import Any

from flask import g, url_for
from pydantic import BaseModel

from app.api.core import endpoint, page_params
from app.library.catalogue_request import read_request_filters, viewer_for
from community.library.catalogue import Card, Catalogue, browse
from community.library.catalogue_params import FACETS
from community.library.messages import refusal
from community.rules import RuleError
from community.subjects import all_subjects

TAG = "library"
_INT_FACETS = {"subject", "grade", "institution", "association"}


class SubjectOut(BaseModel):
    id: int
    name: str
    name_en: str


@endpoint(
    "/materials",
    summary=(
        "The library's catalogue: published materials (plus, with ?status= or ?author_id=, the caller's "
        "own and those they moderate), filtered by repeatable facets, searched by `q` in Russian with "
        "morphology, sorted by relevance | new | popular (views + downloads) | rated; with facet counts"
    ),
    tag=TAG,
    public=True,
    query={
        "q": "string",
        "subject": "integer",
        "grade": "integer",
        "kind": "string",
        "district": "string",
        "institution_id": "integer",
        "association_id": "integer",
        "author_id": "integer",
        "status": "string",
        "sort": "string",
        "page": "integer",
        "per_page": "integer",
    },
)
def list_materials() -> Any:
    page, per_page = page_params(default_per_page=20)
    try:
        filters = read_request_filters(strict=True)
    except RuleError as error:
        raise refusal(error) from None
    result = browse(filters, viewer_for(g.get("api_user"), filters), page=page, per_page=per_page)
    subjects = {subject.id: subject.name for subject in all_subjects()}
    url = url_for("library.material", material_id=0, _external=True)[:-1]
    return {
        "items": [_card_json(card, subjects, url) for card in result.page.items],
        "page": result.page.page,
        "per_page": result.page.per_page,
        "total": result.page.total,
        "sort": result.sort,
        "facets": _facets_json(result, subjects),
    }


@endpoint(
    "/subjects",
    summary="School subjects (materials, associations and events name them by id)",
    tag=TAG,
    public=True,
)
def list_subjects() -> Any:
    return {"items": [{"id": s.id, "name": s.name, "name_en": s.name_en} for s in all_subjects()]}


def _card_json(card: Card, subjects: dict[int, str], url: str) -> dict[str, Any]:
    m = card.material
    return {
        "id": m.id,
        "title": m.title,
        "summary": m.summary,
        "kind": str(m.kind),
        "status": str(m.status),
        "subjects": [{"id": s, "name": subjects.get(s, "")} for s in card.subject_ids],
        "grades": card.grades,
        "author": {"id": m.author_id, "full_name": card.author_name},
        "institution": (
            {"id": m.institution_id, "name": card.institution_name, "district": card.district}
            if m.institution_id
            else None
        ),
        "association_id": m.association_id,
        "published_at": m.published_at.isoformat() if m.published_at else None,
        "rating": float(card.rating) if card.rating is not None else None,
        "ratings_count": m.ratings_count,
        "comments_count": m.comments_count,
        "views_count": m.views_count,
        "downloads_count": m.downloads_count,
        "url": f"{url}{m.id}",
    }


def _facets_json(result: Catalogue, subjects: dict[int, str]) -> dict[str, list[dict[str, Any]]]:
    facets: dict[str, list[dict[str, Any]]] = {}
    for facet in FACETS:
        values = []
        for item in result.facets[facet]:
            value: int | str = int(item.value) if facet in _INT_FACETS else item.value
            label = subjects.get(int(item.value), "") if facet == "subject" else item.label or item.value
            values.append({"value": value, "label": label, "count": item.count, "selected": item.selected})
        facets[facet] = values
    return facets
