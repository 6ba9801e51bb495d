"""Site notifications: the bell in the header. Services add them next to the e-mail they send; the
list, read marks, counters and per-kind settings are community.notices' (delivery.tell is the door
that honours a person's settings)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_request_context, request
from sqlalchemy import Boolean, ForeignKey, Index, String, Text
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


def site_link(path: str) -> str:
    """A link for a letter: the current request's host before a path, or outside a request (the
    clock) SERVER_NAME with PREFERRED_URL_SCHEME, as the forums' digest links are; an absolute link
    is kept as it is."""
    if not path or "://" in path:
        return path
    if has_request_context():
        base = request.host_url
    else:
        config = current_app.config
        base = f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{config.get('SERVER_NAME') or 'localhost'}"
    return f"{base.rstrip('/')}{path}"
