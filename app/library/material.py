"""Library: a material's page (anyone once published; its author and moderators before, with every
version) and the download of its files; views and downloads counted once per reader a day."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, render_template, request
from flask_babel import format_decimal
from flask_login import current_user
from werkzeug.wrappers import Response

from app.after_response import after_response
from app.i18n import _
from app.library import bp
from app.library.certificate_views import certificate_context
from app.library.discussion import discussion_context
from app.library.material_access import sees_everything, visible_material_or_404
from app.permissions.library import can_edit_material
from app.timeutil import utcnow
from app.uploads import send_stored
from community.library.labels import KIND_LABELS, STATE_COLOURS, STATUS_LABELS, VERSION_STATE_LABELS
from community.library.material_view import material_page, visible_file
from community.library.models import Material, MaterialStatus, VisitKind
from community.library.visits import counted_user_id, record_visit


@bp.route("/materials/<int:material_id>")
def material(material_id: int) -> Any:
    found = visible_material_or_404(material_id, current_user)
    full = sees_everything(current_user, found)
    number = request.args.get("version", type=int)
    page = material_page(found, full=full, number=number if full else None)
    if number is not None and full and page.version is None:
        abort(404)
    html = render_template(
        "library/material.html",
        discussion=discussion_context(found, current_user),
        **certificate_context(found, current_user),
        page=page,
        material=found,
        full=full,
        can_edit=can_edit_material(current_user, found),
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
        state_labels=VERSION_STATE_LABELS,
        state_colours=STATE_COLOURS,
        size_text=size_text,
    )
    if found.status == MaterialStatus.PUBLISHED:
        _count_later(found, VisitKind.VIEW)
    return html


@bp.route("/materials/<int:material_id>/files/<int:file_id>")
def material_file(material_id: int, file_id: int) -> Response:
    """A file of the version the caller may see; each download is counted once per reader a day."""
    found = visible_material_or_404(material_id, current_user)
    row = visible_file(found, file_id, full=sees_everything(current_user, found))
    if row is None:
        abort(404)
    _count_later(found, VisitKind.DOWNLOAD)
    return send_stored(row.stored)


def _count_later(found: Material, kind: VisitKind) -> None:
    """Views and downloads are counted after the response (a GET does not write), and only for a
    reader whose visit counts."""
    user_id, today = counted_user_id(found, current_user), utcnow().date()
    if user_id is not None:
        material_id = found.id
        after_response(lambda: _record(material_id, user_id, today, kind))


def _record(material_id: int, user_id: int, today: date, kind: VisitKind) -> None:
    record_visit(material_id, user_id, today, kind)


def size_text(size: int) -> str:
    """A file's size as a reader reads it, in the viewer's number format («1,5 МБ»)."""
    if size < 1024 * 1024:
        return _("%(size)s KB", size=format_decimal(max(1, round(size / 1024))))
    return _("%(size)s MB", size=format_decimal(round(size / (1024 * 1024), 1), format="0.#"))
