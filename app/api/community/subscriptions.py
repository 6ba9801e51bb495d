"""Community API: a person's subscriptions to forums, topics and associations.

`PUT /subscriptions` `{"target": "forum" | "topic" | "association", "target_id", "mode": "off" |
"each" | "digest"}` → `200 {subscription}`: 422 for a bad value (named in `fields`), 404 for a target
the caller may not read (or that is not there), 409 for turning a course's news off (it is forced:
each or digest only). `GET /subscriptions` → `{"items": [subscription], "page", "per_page", "total"}`,
the course news first; each `{"target", "target_id", "title", "forum_id", "mode", "forced"}`.
"""

from __future__ import annotations

from typing import Any, Literal

from app.api.core import Id, Strict, api_user, endpoint, page_params
from app.pagination import Page
from app.timeutil import utcnow
from community.subscriptions import listing, subscriptions

TAG = "subscriptions"


class SubscriptionIn(Strict):
    target: Literal["forum", "topic", "association"]
    target_id: Id
    mode: Literal["off", "each", "digest"]


@endpoint(
    "/subscriptions",
    "PUT",
    summary="Subscribe to a forum, a topic or an association (each post, daily digest) or turn it off",
    tag=TAG,
    body=SubscriptionIn,
)
def put_subscription(body: SubscriptionIn) -> Any:
    user = api_user()
    target = subscriptions.find_target(user, body.target, body.target_id)
    subscriptions.subscribe(user, target, body.mode, now=utcnow())
    mode, forced = listing.state(user, target.kind, target.id, target.forum)
    return {
        "target": target.kind,
        "target_id": target.id,
        "title": listing.title_of(target),
        "forum_id": target.forum.id,
        "mode": mode,
        "forced": forced,
    }


@endpoint(
    "/subscriptions",
    summary="The caller's subscriptions (course news first) with their modes",
    tag=TAG,
    query={"page": "integer", "per_page": "integer"},
)
def list_subscriptions() -> Any:
    user = api_user()
    page, per_page = page_params()
    entries = listing.my_subscriptions(user)
    shown = entries[(page - 1) * per_page : page * per_page]
    result = Page(items=shown, page=page, per_page=per_page, total=len(entries))
    return {
        "items": [entry_json(entry) for entry in result.items],
        "page": result.page,
        "per_page": result.per_page,
        "total": result.total,
    }


def entry_json(entry: listing.Entry) -> dict[str, Any]:
    return {
        "target": entry.target,
        "target_id": entry.target_id,
        "title": entry.title,
        "forum_id": entry.forum.id if entry.forum is not None else None,
        "mode": entry.mode,
        "forced": entry.forced,
    }
