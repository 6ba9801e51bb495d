"""Site notifications: the bell in the header. Services add them next to the e-mail they send."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_request_context, request
from sqlalchemy import Boolean, ForeignKey, Index, String, Text, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Base, db
from app.timeutil import utcnow


class Notification(Base):
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(500), default="")
    # What it is about (see NotificationKind): per-kind settings decide where it goes.
    kind: Mapped[str] = mapped_column(String(32), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (Index("ix_notification_user_created", "user_id", "created_at"),)


class NotificationPreference(Base):
    """One person's choice for one kind of notification: in the app, by e-mail, in the daily digest.
    No row means the kind's default."""

    __tablename__ = "notification_preference"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    in_app: Mapped[bool] = mapped_column(Boolean, default=True)
    by_email: Mapped[bool] = mapped_column(Boolean, default=False)
    in_digest: Mapped[bool] = mapped_column(Boolean, default=False)


def notify(user_id: int, text: str, link: str = "", kind: str = "") -> Notification:
    """Add to the current transaction; the calling service commits."""
    note = Notification(user_id=user_id, text=text, link=link, kind=kind)
    db.session.add(note)
    return note


def unread_count(user_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )


def recent(user_id: int, limit: int = 20) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_all_read(user_id: int) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()


def site_link(path: str) -> str:
    """A link for a letter: the site's address (SITE_URL, else the current request's host) before a
    path; an absolute link is kept as it is."""
    if not path or "://" in path:
        return path
    base = current_app.config.get("SITE_URL") or (request.host_url if has_request_context() else "")
    return f"{base.rstrip('/')}{path}" if base else path
