"""Tables of methodical associations and their members."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts import User
from app.extensions import Base, str_enum
from app.timeutil import utcnow
from community.subjects import Subject


class JoinPolicy(enum.StrEnum):
    OPEN = "open"  # any teacher joins at once
    REQUEST = "request"  # a leader approves each request


class MemberRole(enum.StrEnum):
    LEADER = "leader"
    MEMBER = "member"


class MemberStatus(enum.StrEnum):
    ACTIVE = "active"
    PENDING = "pending"  # asked to join an association on request


class Association(Base):
    """A methodical association: of a district (`district` set) or of the whole network (empty)."""

    __tablename__ = "association"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id", ondelete="SET NULL"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    district: Mapped[str] = mapped_column(String(255), default="", index=True)
    join_policy: Mapped[JoinPolicy] = mapped_column(str_enum(JoinPolicy), default=JoinPolicy.OPEN)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    subject: Mapped[Subject | None] = relationship(lazy="joined")


class AssociationMember(Base):
    """One person in an association; a leader is a member with the leader role."""

    __tablename__ = "association_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[MemberRole] = mapped_column(str_enum(MemberRole), default=MemberRole.MEMBER)
    status: Mapped[MemberStatus] = mapped_column(str_enum(MemberStatus), default=MemberStatus.ACTIVE)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (
        UniqueConstraint("association_id", "user_id"),
        Index("ix_association_member_association_role", "association_id", "role", "status"),
    )
