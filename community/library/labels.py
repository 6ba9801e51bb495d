"""Library: the words a reader sees for a material's kind, its status and a version's state (the
catalogue, the material page, the author's list and the moderation queue share them)."""

from __future__ import annotations

from typing import Any

from app.i18n import lazy_
from community.library.models import MaterialKind, MaterialStatus, VersionState

KIND_LABELS: dict[str, Any] = {
    MaterialKind.LESSON_PLAN: lazy_("Lesson plan"),
    MaterialKind.PRESENTATION: lazy_("Presentation"),
    MaterialKind.WORKSHEET: lazy_("Worksheet"),
    MaterialKind.TEST: lazy_("Test"),
    MaterialKind.EVENT_SCENARIO: lazy_("Event scenario"),
    MaterialKind.ARTICLE: lazy_("Article"),
    MaterialKind.VIDEO: lazy_("Video link"),
    MaterialKind.OTHER: lazy_("Other"),
}

STATUS_LABELS: dict[str, Any] = {
    MaterialStatus.DRAFT: lazy_("Draft"),
    MaterialStatus.PENDING: lazy_("Awaiting moderation"),
    MaterialStatus.PUBLISHED: lazy_("Published"),
    MaterialStatus.REJECTED: lazy_("Rejected"),
}

VERSION_STATE_LABELS: dict[str, Any] = {
    VersionState.DRAFT: lazy_("Draft"),
    VersionState.PENDING: lazy_("Awaiting moderation"),
    # A version's own words: «Версия 1: Опубликован» read wrong (версия is feminine).
    VersionState.PUBLISHED: lazy_("In the catalogue"),
    VersionState.REJECTED: lazy_("Returned to the author"),
    VersionState.SUPERSEDED: lazy_("Replaced by a newer version"),
}

# Bootstrap badge colours of the same states.
STATE_COLOURS: dict[str, str] = {
    "draft": "secondary",
    "pending": "warning",
    "published": "success",
    "rejected": "danger",
    "superseded": "light",
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))
