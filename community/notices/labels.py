"""What each notification kind is called on the settings page and in the API's description."""

from __future__ import annotations

from app.i18n import lazy_
from community.notices.kinds import Kind

KIND_LABELS = {
    Kind.REPLY: lazy_("Replies to my posts and comments"),
    Kind.MENTION: lazy_("Mentions of me (@name) in forums"),
    Kind.MATERIAL_PUBLISHED: lazy_("My library material is published"),
    Kind.MATERIAL_REJECTED: lazy_("My library material is not published"),
    Kind.MATERIAL_COMMENTED: lazy_("Comments on my library materials"),
    Kind.MODERATION: lazy_("Moderators' decisions about my posts, comments and certificates"),
    Kind.EVENT_CANCELLED: lazy_("An event I registered for is cancelled"),
    Kind.EVENT_SEAT: lazy_("A seat freed for me at an event I waited for"),
    Kind.EVENT_MOVED: lazy_("An event I registered for moved to another time"),
}


def kind_label(kind: str) -> str:
    try:
        return str(KIND_LABELS[Kind(kind)])
    except ValueError:
        return ""
