"""Verifiable documents: course certificates, contest diplomas, participation and jury certificates.

Every issued document gets a row with a random public code; `/verify/<code>` and the API confirm
it without revealing anything but the holder, the title and the date.
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Base, db, str_enum
from app.timeutil import utcnow

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are typed from paper


class CertificateKind(enum.StrEnum):
    COURSE = "course"
    DIPLOMA = "diploma"
    PARTICIPATION = "participation"
    JURY = "jury"
    PUBLICATION = "publication"  # a material published in the methodical library
    EVENT_ATTENDANCE = "event_attendance"  # took part in a calendar event (with hours)
    EVENT_CONDUCTING = "event_conducting"  # hosted or spoke at a calendar event


class Certificate(Base):
    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[CertificateKind] = mapped_column(str_enum(CertificateKind))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    holder: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(500))
    details: Mapped[str] = mapped_column(Text, default="")
    # What it certifies, e.g. ("course", 7) or ("award", 31): one document per source and kind.
    source_type: Mapped[str] = mapped_column(String(32))
    source_id: Mapped[int] = mapped_column()
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    __table_args__ = (
        UniqueConstraint("source_type", "source_id", "kind", "user_id"),
        Index("ix_certificate_source", "source_type", "source_id"),
    )


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


def issue(
    *,
    kind: CertificateKind,
    user_id: int | None,
    holder: str,
    title: str,
    source_type: str,
    source_id: int,
    details: str = "",
    now: datetime | None = None,
) -> Certificate:
    """Issue once: asking again for the same source returns the existing document (two requests at
    once are settled by the unique constraint). Flushes; the calling service commits."""
    query = select(Certificate).where(
        Certificate.source_type == source_type,
        Certificate.source_id == source_id,
        Certificate.kind == kind,
        Certificate.user_id == user_id,
    )
    existing = db.session.scalar(query)
    if existing is not None:
        existing.holder, existing.title, existing.details = holder, title, details
        return existing
    certificate = Certificate(
        code=new_code(),
        kind=kind,
        user_id=user_id,
        holder=holder,
        title=title,
        details=details,
        source_type=source_type,
        source_id=source_id,
        issued_at=now or utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        found = db.session.scalar(query)
        assert found is not None
        return found
    return certificate


def lookup(code: str) -> Certificate | None:
    """A document by its public code, revoked or not (the check page says which); case and spaces
    forgiven."""
    code = code.strip().upper().replace(" ", "").replace("-", "")
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def find(code: str) -> Certificate | None:
    """A valid (not revoked) document by its public code; case and spaces forgiven."""
    certificate = lookup(code)
    if certificate is None or certificate.revoked_at is not None:
        return None
    return certificate
