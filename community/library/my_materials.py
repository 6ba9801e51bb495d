"""Library: an author's own materials, drafts included, each with the state of its newest version
(three queries a page: the page, its count, the newest versions)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.pagination import Page, paginate
from community.library.models import Material, MaterialVersion, VersionState


@dataclass(frozen=True)
class MyMaterial:
    material: Material
    number: int
    state: VersionState
    review_reason: str

    @property
    def has_new_version(self) -> bool:
        """A published material whose author is working on (or waiting for) a newer version."""
        return self.material.published_version_id is not None and self.state not in (
            VersionState.PUBLISHED,
            VersionState.SUPERSEDED,
        )


def my_materials(author_id: int, page: int, per_page: int) -> Page[MyMaterial]:
    query = (
        select(Material)
        .where(Material.author_id == author_id)
        .order_by(Material.updated_at.desc(), Material.id.desc())
    )
    found = paginate(query, page, per_page)
    ids = [material.id for material in found.items]
    newest = (
        select(MaterialVersion.material_id, func.max(MaterialVersion.number).label("number"))
        .where(MaterialVersion.material_id.in_(ids))
        .group_by(MaterialVersion.material_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            MaterialVersion.material_id,
            MaterialVersion.number,
            MaterialVersion.state,
            MaterialVersion.review_reason,
        ).join(
            newest,
            (newest.c.material_id == MaterialVersion.material_id)
            & (newest.c.number == MaterialVersion.number),
        )
    ).all()
    latest = {row.material_id: row for row in rows}
    items = [
        MyMaterial(
            material=material,
            number=latest[material.id].number,
            state=latest[material.id].state,
            review_reason=latest[material.id].review_reason,
        )
        for material in found.items
        if material.id in latest
    ]
    return Page(items=items, page=found.page, per_page=found.per_page, total=found.total)
