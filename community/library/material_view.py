"""Library: what a material's page (and the API's reading of it) shows — the material, the version
the reader may see with its files and links, author, school, subjects, grades, association and, for
its author and moderators, the version history. A fixed number of queries whatever the data size."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts import Institution, User
from app.extensions import db
from community.associations.models import Association
from community.library.models import (
    Material,
    MaterialFile,
    MaterialGrade,
    MaterialSubject,
    MaterialVersion,
    VersionState,
)
from community.subjects import Subject


@dataclass(frozen=True)
class VersionLine:
    """One row of the version history (no content: the history lists, the page shows one)."""

    id: int
    number: int
    state: VersionState
    created_at: datetime
    submitted_at: datetime | None
    reviewed_at: datetime | None
    review_reason: str


@dataclass
class MaterialPage:
    material: Material
    author: User
    institution: Institution | None
    version: MaterialVersion | None
    files: list[MaterialFile]
    links: list[dict[str, str]]
    subjects: list[Subject]
    grades: list[int]
    association: Association | None
    history: list[VersionLine] = field(default_factory=list)

    @property
    def working(self) -> VersionLine | None:
        """The newest version (what the author edits), when the history is shown."""
        return self.history[0] if self.history else None

    @property
    def shows_published(self) -> bool:
        return self.version is not None and self.version.id == self.material.published_version_id


def load_material(material_id: int) -> Material | None:
    """The material with its author and institution (one query); None when there is no such row."""
    return db.session.scalar(
        select(Material)
        .where(Material.id == material_id)
        .options(joinedload(Material.author), joinedload(Material.institution))
    )


def material_page(material: Material, *, full: bool, number: int | None = None) -> MaterialPage:
    """The page of a material the caller may see. `full` (its author and moderators): any version by
    `number`, by default the published one or else the newest, and the history. Otherwise only the
    published version."""
    history = _history(material) if full else []
    version_id = material.published_version_id
    if full and number is not None:
        version_id = next((line.id for line in history if line.number == number), None)
    elif full and version_id is None and history:
        version_id = history[0].id
    version = _version(version_id) if version_id is not None else None
    return MaterialPage(
        material=material,
        author=material.author,
        institution=material.institution,
        version=version,
        files=list(version.files) if version is not None else [],
        links=links_of(version),
        subjects=_subjects(material.id),
        grades=list(
            db.session.scalars(
                select(MaterialGrade.grade)
                .where(MaterialGrade.material_id == material.id)
                .order_by(MaterialGrade.grade)
            )
        ),
        association=db.session.get(Association, material.association_id) if material.association_id else None,
        history=history,
    )


def visible_file(material: Material, file_id: int, *, full: bool) -> MaterialFile | None:
    """A file of the material the caller may download: of its published version, or of any of its
    versions for its author and moderators (one query)."""
    query = (
        select(MaterialFile)
        .join(MaterialVersion, MaterialVersion.id == MaterialFile.version_id)
        .where(MaterialFile.id == file_id, MaterialVersion.material_id == material.id)
    )
    if not full:
        query = query.where(MaterialVersion.id == material.published_version_id)
    return db.session.scalar(query)


def links_of(version: MaterialVersion | None) -> list[dict[str, str]]:
    if version is None:
        return []
    try:
        links = json.loads(version.links or "[]")
    except ValueError:
        return []
    return [link for link in links if isinstance(link, dict) and link.get("url")]


def _version(version_id: int) -> MaterialVersion | None:
    return db.session.scalar(
        select(MaterialVersion)
        .where(MaterialVersion.id == version_id)
        .options(selectinload(MaterialVersion.files))
    )


def _history(material: Material) -> list[VersionLine]:
    rows = db.session.execute(
        select(
            MaterialVersion.id,
            MaterialVersion.number,
            MaterialVersion.state,
            MaterialVersion.created_at,
            MaterialVersion.submitted_at,
            MaterialVersion.reviewed_at,
            MaterialVersion.review_reason,
        )
        .where(MaterialVersion.material_id == material.id)
        .order_by(MaterialVersion.number.desc())
    )
    return [VersionLine(*row) for row in rows]


def _subjects(material_id: int) -> list[Subject]:
    return list(
        db.session.scalars(
            select(Subject)
            .join(MaterialSubject, MaterialSubject.subject_id == Subject.id)
            .where(MaterialSubject.material_id == material_id)
            .order_by(Subject.position, Subject.name)
        )
    )
