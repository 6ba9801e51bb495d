"""Methodical library: "useful for me" bookmarks. Setting one twice or removing an absent one
changes nothing (PUT and DELETE are idempotent); bookmarks_count moves only when a row was really
inserted or deleted, so two clicks at once count once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import joinedload

from app.accounts import User
from app.domain_errors import Conflict
from app.extensions import added, db, rows_changed
from app.i18n import _
from app.pagination import Page, paginate
from community.library.models import Material, MaterialBookmark, MaterialStatus


def set_bookmark(material: Material, actor: User, on: bool, *, now: datetime) -> bool:
    """Bookmark (on) or forget (off) the material; returns whether it is bookmarked now."""
    if on:
        if material.status != MaterialStatus.PUBLISHED:
            raise Conflict(_("Only a published material can be bookmarked."))
        if not added(MaterialBookmark(material_id=material.id, user_id=actor.id, created_at=now)):
            db.session.commit()
            return True
        _move(material.id, 1)
    else:
        removed = rows_changed(
            delete(MaterialBookmark).where(
                MaterialBookmark.material_id == material.id, MaterialBookmark.user_id == actor.id
            )
        )
        if removed:
            _move(material.id, -1)
    db.session.commit()
    return on


def is_bookmarked(material_id: int, user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    found = db.session.scalar(
        select(MaterialBookmark.id).where(
            MaterialBookmark.material_id == material_id, MaterialBookmark.user_id == user.id
        )
    )
    return found is not None


def my_bookmarks(user: User, page: int, per_page: int) -> Page[Material]:
    """The user's bookmarked published materials, newest bookmark first (two queries a page)."""
    return paginate(_bookmarks_query(user.id), page, per_page)


def _bookmarks_query(user_id: int) -> Select[Any]:
    return (
        select(Material)
        .join(MaterialBookmark, MaterialBookmark.material_id == Material.id)
        .where(MaterialBookmark.user_id == user_id, Material.status == MaterialStatus.PUBLISHED)
        .options(joinedload(Material.author), joinedload(Material.institution))
        .order_by(MaterialBookmark.created_at.desc(), MaterialBookmark.id.desc())
    )


def _move(material_id: int, step: int) -> None:
    query = update(Material).where(Material.id == material_id)
    if step < 0:
        query = query.where(Material.bookmarks_count > 0)
    rows_changed(query.values(bookmarks_count=Material.bookmarks_count + step))
