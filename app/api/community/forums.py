"""Community API: the forums of a place.

`GET /forums?scope=course|contest|association|network&scope_id=` → `{"items": [forum], "page",
"per_page", "total"}`, each forum `{"id", "scope", "scope_id", "slot", "kind", "title",
"description", "topics_count", "posts_count", "last_post_at", "can_write", "can_start_topic",
"can_moderate", "shows_names"}`. A contest's list goes on with the forums of its stages and divisions
the caller may read. `scope_id` is required except for the network; 422 for a bad or missing
parameter (named in `fields`), 404 for a place that does not exist or that the caller may not read.
Like the page it only reads: a place made before forums existed lists none of its default forums
until the clock has opened them (app/forums/backfill.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from flask import request
from pydantic import BaseModel

from app.api.core import ApiError, api_user, endpoint, not_found, page_params, query_int
from app.forums.place_lookup import PLACE_SCOPES, find_place, readable_forums
from app.i18n import _
from app.pagination import Page
from app.permissions import forums as can
from community.forums import places
from community.forums.models import Forum, ForumScope

TAG = "forums"


class ForumOut(BaseModel):
    id: int
    scope: Literal["network", "association", "course", "contest", "stage", "division"]
    scope_id: int
    slot: str
    kind: Literal["discussion", "news", "qa"]
    title: str
    description: str
    topics_count: int
    posts_count: int
    last_post_at: datetime | None
    can_write: bool
    can_start_topic: bool
    can_moderate: bool
    shows_names: bool  # false: participants' posts show «Участник №…» (a juror of a blind stage)


class ForumPage(BaseModel):
    items: list[ForumOut]
    page: int
    per_page: int
    total: int


@endpoint(
    "/forums",
    summary=(
        "The forums of a place the caller may read (a contest's with its stages' and divisions'), "
        "with what the caller may do in each"
    ),
    tag=TAG,
    query={"scope": "string", "scope_id": "integer", "page": "integer", "per_page": "integer"},
    response=ForumPage,
)
def list_forums() -> Any:
    user = api_user()
    scope = _scope()
    scope_id = query_int("scope_id", None, minimum=0)
    if scope == ForumScope.NETWORK:
        scope_id = places.NETWORK_ID
    elif scope_id is None:
        raise ApiError(422, _("The data is invalid."), {"scope_id": _("This field is required.")})
    page, per_page = page_params()
    place = find_place(scope, scope_id)
    if place is None or not can.can_read_place(user, scope, scope_id):
        raise not_found()
    forums = readable_forums(user, place)
    shown = forums[(page - 1) * per_page : page * per_page]
    result = Page(items=shown, page=page, per_page=per_page, total=len(forums))
    return {
        "items": [forum_json(forum, user) for forum in result.items],
        "page": result.page,
        "per_page": result.per_page,
        "total": result.total,
    }


def _scope() -> ForumScope:
    raw = request.args.get("scope", "")
    allowed = [str(scope) for scope in PLACE_SCOPES]
    if raw not in allowed:
        message = (
            _("This field is required.")
            if not raw
            else _("Must be one of: %(values)s.", values=", ".join(allowed))
        )
        raise ApiError(422, _("The data is invalid."), {"scope": message})
    return ForumScope(raw)


def forum_json(forum: Forum, user: Any) -> dict[str, Any]:
    access = can.forum_access(user, forum)
    return {
        "id": forum.id,
        "scope": str(forum.scope),
        "scope_id": forum.scope_id,
        "slot": forum.slot,
        "kind": str(forum.kind),
        "title": forum.title,
        "description": forum.description,
        "topics_count": forum.topics_count,
        "posts_count": forum.posts_count,
        "last_post_at": forum.last_post_at.isoformat() if forum.last_post_at else None,
        "can_write": access.write,
        "can_start_topic": access.start_topic,
        "can_moderate": access.moderate,
        "shows_names": access.names,
    }
