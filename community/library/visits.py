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
    """Count a view of the material's page; True when this was the user's first view today (commits)."""
    return _committed(record_visit(material.id, counted_user_id(material, user), today, VisitKind.VIEW))


def count_download(material: Material, user: Any, today: date) -> bool:
    """Count a download of one of the material's files; True when it was the first today (commits)."""
    return _committed(record_visit(material.id, counted_user_id(material, user), today, VisitKind.DOWNLOAD))


def counted_user_id(material: Material, user: Any) -> int | None:
    """Whose visit counts: a signed-in reader other than the author (None: nobody's)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if user.id == material.author_id:
        return None
    return int(user.id)


def record_visit(material_id: int, user_id: int | None, today: date, kind: VisitKind) -> bool:
    """The visit's row and the counter, in the caller's transaction (the caller commits): plain values
    only, so a page can leave it to app.after_response and stay a reader."""
    if user_id is None:
        return False
    if not added(MaterialVisit(material_id=material_id, user_id=user_id, day=today, kind=kind)):
        return False
    counter = _COUNTERS[kind]
    rows_changed(update(Material).where(Material.id == material_id).values({counter: counter + 1}))
    return True


def _committed(counted: bool) -> bool:
    db.session.commit()  # also ends the (read) transaction a refused savepoint ran in
    return counted
