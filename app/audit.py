"""The audit log: who changed what, when and why. Services append; organisers and admins read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts import User
from app.extensions import Base, db
from app.timeutil import utcnow


class AuditEntry(Base):
    """One recorded state change. `scope_type`/`scope_id` say whose log it belongs to
    (e.g. "contest", 5), so a contest's organiser reads their contest's log in one indexed query."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    scope_type: Mapped[str] = mapped_column(String(32))
    scope_id: Mapped[int | None] = mapped_column()
    object_type: Mapped[str] = mapped_column(String(32), default="")
    object_id: Mapped[int | None] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (Index("ix_audit_entry_scope", "scope_type", "scope_id", "at"),)


def record(
    action: str,
    *,
    actor: User | None,
    scope_type: str,
    scope_id: int | None = None,
    object_type: str = "",
    object_id: int | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an entry to the current transaction; the calling service commits it with its change."""
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if actor is not None else None,
        scope_type=scope_type,
        scope_id=scope_id,
        object_type=object_type,
        object_id=object_id,
        reason=reason,
        details=details or {},
    )
    db.session.add(entry)
    return entry
