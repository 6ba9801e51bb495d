"""Methodical library: views and downloads of a material, counted once per colleague per day.

The unique MaterialVisit row (material, user, day, kind) is the guard: the counter on Material grows
only when this call inserted that row, so two page loads at once, a reload or a second download the
same day count once. Anonymous readers and the author's own visits are not counted (there is nobody
to count once, and an author reloading their page is not readership).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import update

from app.extensions import added, db, rows_changed
from community.library.models import Material, MaterialVisit, VisitKind

_COUNTERS = {VisitKind.VIEW: Material.views_count, VisitKind.DOWNLOAD: Material.downloads_count}


def count_view(material: Material, user: Any, today: date) -> bool:
    """Count a view of the material's page; True when this was the user's first view today."""
    return _count(material, user, today, VisitKind.VIEW)


def count_download(material: Material, user: Any, today: date) -> bool:
    """Count a download of one of the material's files; True when it was the first today."""
    return _count(material, user, today, VisitKind.DOWNLOAD)


def _counted_user_id(material: Material, user: Any) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if user.id == material.author_id:
        return None
    return int(user.id)


def _count(material: Material, user: Any, today: date, kind: VisitKind) -> bool:
    user_id = _counted_user_id(material, user)
    if user_id is None:
        return False
    if not added(MaterialVisit(material_id=material.id, user_id=user_id, day=today, kind=kind)):
        db.session.commit()  # ends the (read) transaction the savepoint ran in
        return False
    counter = _COUNTERS[kind]
    rows_changed(update(Material).where(Material.id == material.id).values({counter: counter + 1}))
    db.session.commit()
    return True
