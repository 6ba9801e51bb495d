"""Outgoing mail through a durable outbox: `send_mail` writes a row in the caller's transaction.

The action and its letters commit (or roll back) together, so an action never half-happens
because of mail and a broken SMTP server never loses a letter: `app.mail_delivery` sends the rows
later, with retries. Without SMTP (MAIL_SERVER empty: development and tests) each transaction's
letters go to the file outbox (instance/outbox/) right after it commits, so `make run` and the
tests read them at once; with SMTP only the tick job and `flask mail deliver` send.
"""

from __future__ import annotations

import enum
import logging
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import Index, Integer, String, Text, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import Base, db, str_enum
from app.timeutil import utcnow

log = logging.getLogger(__name__)
QUEUED_KEY = "mail.queued"  # Session.info: letters added in the current transaction


class MailStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up: the address is unusable or every retry failed


class OutgoingMail(Base):
    """One letter. `next_try_at` is when a deliverer may claim it; claiming pushes it forward (a
    lease), so a deliverer that dies mid-send leaves the letter due again, never stuck."""

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[MailStatus] = mapped_column(str_enum(MailStatus), default=MailStatus.PENDING)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_outgoing_mail_status_next_try_at", "status", "next_try_at"),)


def send_mail(to: str, subject: str, body: str) -> OutgoingMail:
    """Queue a letter in the current transaction; the calling service's commit makes it real."""
    now = utcnow()
    letter = OutgoingMail(to_address=to[:320], subject=subject, body=body, next_try_at=now, created_at=now)
    db.session.add(letter)
    db.session.info.setdefault(QUEUED_KEY, []).append(letter)
    return letter


def build_message(letter: OutgoingMail, sender: str) -> EmailMessage:
    """The MIME letter; raises ValueError for an address or subject no header can carry."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = letter.to_address
    message["Subject"] = letter.subject
    message.set_content(letter.body)
    return message


def outbox_messages() -> list[EmailMessage]:
    """The development outbox, oldest first: for tests and for reading mail locally."""
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
    if not outbox.exists():
        return []
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(p.read_bytes()) for p in sorted(outbox.glob("*.eml"))]  # type: ignore[misc]


def _deliver_committed(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a released savepoint: its letters belong to the enclosing transaction
    letters = session.info.pop(QUEUED_KEY, [])
    if not letters or current_app.config.get("MAIL_SERVER"):
        return
    ids = [key[1][0] for key in (inspect(letter).identity_key for letter in letters) if key is not None]
    from app.mail_delivery import deliver_letters  # the deliverer imports this module: a real cycle

    try:
        deliver_letters(ids, utcnow())
    except Exception:  # the action has committed: never fail it; the letters stay due for the clock
        log.exception("could not deliver letters %s after commit", ids)


def _forget_rolled_back(session: Session, previous: Any) -> None:
    if previous.parent is None:  # the whole transaction, not a savepoint, was rolled back
        session.info.pop(QUEUED_KEY, None)


def init_app(app: Any) -> None:
    """Deliver each committed transaction's letters to the file outbox when there is no SMTP."""
    if not event.contains(db.session, "after_commit", _deliver_committed):
        event.listen(db.session, "after_commit", _deliver_committed)
        event.listen(db.session, "after_soft_rollback", _forget_rolled_back)
