"""The community room: subjects, associations and library materials made directly as rows, so a test
of search, discussion or certificates need not go through publishing first."""

from __future__ import annotations

import factory

from app.cache_versions import bump
from app.extensions import db
from app.timeutil import utcnow
from community.associations.models import Association, AssociationMember, MemberRole, MemberStatus
from community.library.models import (
    CATALOGUE_VERSION,
    FACETS_VERSION,
    Material,
    MaterialGrade,
    MaterialKind,
    MaterialStatus,
    MaterialSubject,
    MaterialVersion,
    VersionState,
)
from community.subjects import Subject, ensure_default_subjects
from tests.factories.accounts import UserFactory
from tests.factories.base import Factory


def subjects() -> dict[str, Subject]:
    """The default subjects by Russian name (tests empty every table, subjects included)."""
    ensure_default_subjects()
    return {s.name: s for s in db.session.scalars(db.select(Subject))}


class AssociationFactory(Factory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"МО учителей математики № {n + 1}")
    description = "Методическое объединение"
    district = "Центральный район"


def add_member(association: Association, user: object, *, leader: bool = False) -> AssociationMember:
    member = AssociationMember(
        association_id=association.id,
        user_id=user.id,  # type: ignore[attr-defined]
        role=MemberRole.LEADER if leader else MemberRole.MEMBER,
        status=MemberStatus.ACTIVE,
    )
    db.session.add(member)
    db.session.flush()
    return member


def published_material(
    author: object | None = None,
    *,
    title: str = "Урок по теме «Сложение дробей»",
    summary: str = "Конспект урока для 5 класса.",
    kind: MaterialKind = MaterialKind.LESSON_PLAN,
    subject_ids: tuple[int, ...] = (),
    grades: tuple[int, ...] = (5,),
    association: Association | None = None,
    status: MaterialStatus = MaterialStatus.PUBLISHED,
) -> Material:
    """A material with one version in the given status (published by default), counters at zero.
    The search index is not touched: a search test indexes through the search module."""
    author = author or UserFactory()
    now = utcnow()
    published = status == MaterialStatus.PUBLISHED
    material = Material(
        author_id=author.id,  # type: ignore[attr-defined]
        institution_id=author.institution_id,  # type: ignore[attr-defined]
        association_id=association.id if association else None,
        kind=kind,
        status=status,
        title=title,
        summary=summary,
        summary_html=f"<p>{summary}</p>",
        search_text=f"{title}\n{summary}",
        published_at=now if published else None,
    )
    db.session.add(material)
    db.session.flush()
    if published:
        bump(CATALOGUE_VERSION, FACETS_VERSION)  # as publishing does: the catalogue shows it
    state = {
        MaterialStatus.PUBLISHED: VersionState.PUBLISHED,
        MaterialStatus.PENDING: VersionState.PENDING,
        MaterialStatus.REJECTED: VersionState.REJECTED,
        MaterialStatus.DRAFT: VersionState.DRAFT,
    }[status]
    version = MaterialVersion(
        material_id=material.id,
        number=1,
        state=state,
        title=title,
        summary=summary,
        submitted_at=None if status == MaterialStatus.DRAFT else now,
        reviewed_at=now if published else None,
    )
    db.session.add(version)
    db.session.flush()
    if published:
        material.published_version_id = version.id
    for subject_id in subject_ids:
        db.session.add(MaterialSubject(material_id=material.id, subject_id=subject_id))
    for grade in grades:
        db.session.add(MaterialGrade(material_id=material.id, grade=grade))
    db.session.flush()
    return material
