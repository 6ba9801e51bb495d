"""Associations room, the read side: the list of associations with their member counts, one
association's leaders and members, a person's memberships. A fixed number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from app.accounts import User
from app.extensions import db
from community.associations.models import Association, AssociationMember, MemberRole, MemberStatus


@dataclass(frozen=True)
class Person:
    user_id: int
    full_name: str
    role: str
    status: str


def associations_query(district: str = "") -> Any:
    """Associations by name with their active members counted (for `paginate(..., scalars=False)`)."""
    members = (
        select(AssociationMember.association_id, func.count().label("n"))
        .where(AssociationMember.status == MemberStatus.ACTIVE)
        .group_by(AssociationMember.association_id)
        .subquery()
    )
    query = (
        select(Association, func.coalesce(members.c.n, 0).label("members"))
        .outerjoin(members, members.c.association_id == Association.id)
        .order_by(Association.name, Association.id)
    )
    if district:
        query = query.where(Association.district == district)
    return query


def leaders(association_id: int) -> list[Person]:
    query = _people(association_id, MemberStatus.ACTIVE).where(AssociationMember.role == MemberRole.LEADER)
    return [person(row) for row in db.session.execute(query.order_by(User.full_name, User.id))]


def pending_requests(association_id: int) -> list[Person]:
    """Requests to join, oldest first (a leader answers them in turn)."""
    query = _people(association_id, MemberStatus.PENDING).order_by(AssociationMember.joined_at, User.id)
    return [person(row) for row in db.session.execute(query)]


def members_query(association_id: int) -> Any:
    """Active members, leaders first, then by name (for `paginate(..., scalars=False)`)."""
    return _people(association_id, MemberStatus.ACTIVE).order_by(
        AssociationMember.role, User.full_name, User.id
    )


def person(row: Any) -> Person:
    user_id, full_name, role, status = row
    return Person(user_id, full_name, str(role), str(status))


def memberships_of(user_id: int) -> dict[int, AssociationMember]:
    """A person's rows by association id: which join buttons a list page shows (one query)."""
    query = select(AssociationMember).where(AssociationMember.user_id == user_id)
    return {m.association_id: m for m in db.session.scalars(query)}


def active_count(association_id: int) -> int:
    query = (
        select(func.count())
        .select_from(AssociationMember)
        .where(
            AssociationMember.association_id == association_id,
            AssociationMember.status == MemberStatus.ACTIVE,
        )
    )
    return db.session.scalar(query) or 0


def _people(association_id: int, status: MemberStatus) -> Select[int, str, MemberRole, MemberStatus]:
    return (
        select(User.id, User.full_name, AssociationMember.role, AssociationMember.status)
        .join(AssociationMember, AssociationMember.user_id == User.id)
        .where(AssociationMember.association_id == association_id, AssociationMember.status == status)
    )
