"""Community API: the caller's notifications (paginated, `?unread=true` for the unread only), marking
them read, and the per-kind settings (in the app, by e-mail, in the daily digest)."""

from __future__ import annotations

from typing import Any

from flask import request
from pydantic import Field, StrictBool

from app.api.core import ApiError, Id, Strict, api_user, endpoint, page_params, paginated
from app.i18n import _
from app.notifications import Notification
from app.timeutil import utcnow
from community.notices import inbox, preferences
from community.notices.kinds import Choice, Kind

TAG = "notifications"


class ReadIn(Strict):
    """Either the ids to mark read, or `all: true`."""

    ids: list[Id] = Field(default_factory=list, max_length=500)
    all: StrictBool = False


class ChoiceIn(Strict):
    in_app: StrictBool
    by_email: StrictBool
    in_digest: StrictBool


class PreferencesIn(Strict):
    """{kind: {"in_app", "by_email", "in_digest"}} for the kinds to change; the others stay."""

    reply: ChoiceIn | None = None
    mention: ChoiceIn | None = None
    material_published: ChoiceIn | None = None
    material_rejected: ChoiceIn | None = None
    material_commented: ChoiceIn | None = None
    moderation: ChoiceIn | None = None


def notification_json(note: Notification) -> dict[str, Any]:
    return {
        "id": note.id,
        "kind": note.kind or None,
        "text": note.text,
        "link": note.link or None,
        "created_at": note.created_at.isoformat(),
        "read_at": note.read_at.isoformat() if note.read_at else None,
    }


def _choices_json(choices: dict[Kind, Choice]) -> dict[str, Any]:
    return {
        kind.value: {"in_app": c.in_app, "by_email": c.by_email, "in_digest": c.in_digest}
        for kind, c in choices.items()
    }


@endpoint(
    "/notifications",
    summary="The caller's notifications, newest first; ?unread=true lists only the unread",
    tag=TAG,
    query={"page": "integer", "per_page": "integer", "unread": "boolean"},
)
def list_notifications() -> Any:
    user = api_user()
    raw = request.args.get("unread", "false").lower()
    if raw not in ("true", "false", "1", "0"):
        raise ApiError(422, _("The data is invalid."), {"unread": _("Must be true or false.")})
    page, per_page = page_params()
    found = inbox.notifications_page(user.id, unread_only=raw in ("true", "1"), page=page, per_page=per_page)
    return paginated(found, notification_json)


@endpoint(
    "/notifications/read",
    "POST",
    summary="Mark the given notifications (or all of them) read; answers how many changed",
    tag=TAG,
    body=ReadIn,
)
def mark_read(body: ReadIn) -> Any:
    user = api_user()
    if not body.all and not body.ids:
        message = _("Give the ids to mark read, or all: true.")
        raise ApiError(422, _("The data is invalid."), {"ids": message})
    changed = inbox.mark_read(user.id, None if body.all else body.ids, now=utcnow())
    return {"marked": changed, "unread": inbox.header_counts(user.id).notifications}


@endpoint("/notifications/preferences", summary="The caller's setting for every kind", tag=TAG)
def get_preferences() -> Any:
    return _choices_json(preferences.choices_of(api_user().id))


@endpoint(
    "/notifications/preferences",
    "PUT",
    summary="Change the caller's settings of the kinds given; answers every kind's setting",
    tag=TAG,
    body=PreferencesIn,
)
def put_preferences(body: PreferencesIn) -> Any:
    user = api_user()
    given = {
        Kind(name): Choice(value.in_app, value.by_email, value.in_digest)
        for name, value in body
        if value is not None
    }
    return _choices_json(preferences.save_choices(user, given))
