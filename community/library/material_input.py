"""Library: what the author's form (or a partial API update) holds, and where it starts from."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from app.extensions import db
from community.associations.models import Association, AssociationMember, MemberStatus
from community.library.models import Material, MaterialGrade, MaterialSubject, MaterialVersion


@dataclass
class MaterialInput:
    """What the author typed; `association_id` None files the material under no association."""

    title: str = ""
    summary: str = ""
    kind: str = ""
    subject_ids: list[int] = field(default_factory=list)
    grades: list[int] = field(default_factory=list)
    association_id: int | None = None
    links: list[tuple[str, str]] = field(default_factory=list)


def input_of(material: Material, version: MaterialVersion) -> MaterialInput:
    """The material as the form (or a partial API update) starts from."""
    subject_ids = db.session.scalars(
        select(MaterialSubject.subject_id).where(MaterialSubject.material_id == material.id)
    )
    grades = db.session.scalars(select(MaterialGrade.grade).where(MaterialGrade.material_id == material.id))
    links = [(link.get("url", ""), link.get("title", "")) for link in json.loads(version.links or "[]")]
    return MaterialInput(
        title=version.title,
        summary=version.summary,
        kind=str(material.kind),
        subject_ids=sorted(subject_ids),
        grades=sorted(grades),
        association_id=material.association_id,
        links=links,
    )


def associations_for(author_id: int, current: int | None = None) -> list[Association]:
    """The associations the author may file a material under (active memberships), plus the one it
    is filed under already (kept even after the author left it)."""
    member_of = select(AssociationMember.association_id).where(
        AssociationMember.user_id == author_id, AssociationMember.status == MemberStatus.ACTIVE
    )
    condition = or_(Association.id.in_(member_of), Association.id == (current or 0))
    return list(db.session.scalars(select(Association).where(condition).order_by(Association.name)))
