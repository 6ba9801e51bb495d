"""What the catalogue page and the catalogue API both read from a request: the filters (leniently
for the page, strictly for the API) and the caller's reach (app.permissions.library decides it)."""

from __future__ import annotations

from typing import Any

from flask import request

from app.permissions.library import is_library_moderator, led_association_ids
from community.library.catalogue import Viewer
from community.library.catalogue_params import Filters, read_filters
from community.library.models import MaterialKind, MaterialStatus


def read_request_filters(*, strict: bool) -> Filters:
    return read_filters(
        request.args.getlist,
        kinds=[kind.value for kind in MaterialKind],
        statuses=[status.value for status in MaterialStatus],
        strict=strict,
    )


def viewer_for(user: Any, filters: Filters) -> Viewer:
    """The caller's reach: who they are and what they moderate (asked only when unpublished
    materials can be shown at all, so the plain catalogue spends no query on it)."""
    if user is None or not user.is_authenticated:
        return Viewer()
    if not (filters.status or filters.author_id):
        return Viewer(user_id=user.id)
    moderates_all = is_library_moderator(user)
    led = () if moderates_all else tuple(led_association_ids(user))
    return Viewer(user_id=user.id, moderates_all=moderates_all, association_ids=led)
