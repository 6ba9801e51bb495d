"""Outgoing mail through a durable outbox: `send_mail` writes a row in the caller's transaction.

The action and its letters commit (or roll back) together, so an action never half-happens
because of mail and a broken SMTP server never loses a letter: `app.mail_delivery` sends the rows
later, with retries. Without SMTP (MAIL_SERVER empty: development and tests) each transaction's
letters go to the file outbox (instance/outbox/) right after it commits, so `make run` and the
tests read them at once (the after-commit hook is in `app.mail_delivery`); with SMTP only the tick
job and `flask mail deliver` send.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from flask import current_app
from sqlalchemy import Index, Integer, String, Text, insert
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Base, db, str_enum
from app.timeutil import utcnow

QUEUED_KEY = "mail.queued"  # Session.info: letters added in the current transaction
QUEUED_IDS_KEY = "mail.queued_ids"  # Session.info: ids of letters inserted in bulk (send_mail_bulk)
# Attachments ride in the headers' JSON under this key (no column of their own): text files only,
# such as an event's .ics; `build_message` attaches them instead of writing a header.
ATTACHMENTS_KEY = "__attachments__"


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
    # Extra headers as JSON ({"List-Unsubscribe": "<https://…>", …}): bulk letters' one-click unsubscribe.
    headers: Mapped[str] = mapped_column(Text, default="", server_default="")

    __table_args__ = (Index("ix_outgoing_mail_status_next_try_at", "status", "next_try_at"),)


@dataclass(frozen=True)
class Attachment:
    """A small text file sent with a letter (an event's .ics): its name, MIME type and text."""

    filename: str
    mimetype: str
    text: str


def send_mail(
    to: str,
    subject: str,
    body: str,
    headers: dict[str, str] | None = None,
    attachments: Sequence[Attachment] = (),
) -> OutgoingMail:
    """Queue a letter in the current transaction; the calling service's commit makes it real."""
    now = utcnow()
    stored: dict[str, object] = dict(headers or {})
    if attachments:
        stored[ATTACHMENTS_KEY] = [
            {"filename": a.filename, "mimetype": a.mimetype, "text": a.text} for a in attachments
        ]
    letter = OutgoingMail(
        to_address=to[:320],
        subject=subject,
        body=body,
        next_try_at=now,
        created_at=now,
        headers=json.dumps(stored, ensure_ascii=False) if stored else "",
    )
    db.session.add(letter)
    db.session.info.setdefault(QUEUED_KEY, []).append(letter)
    return letter


@dataclass(frozen=True)
class Letter:
    """One letter of a bulk send (`send_mail_bulk`)."""

    to: str
    subject: str
    body: str
    headers: dict[str, str] | None = None


def send_mail_bulk(letters: Sequence[Letter], chunk: int = 1000) -> list[int]:
    """Queue many letters in the current transaction with multi-row INSERTs (a forum post to 20,000
    subscribers is a few statements, not 20,000 ORM objects); returns their ids. Delivered after the
    commit like `send_mail`'s."""
    now = utcnow()
    ids: list[int] = []
    for start in range(0, len(letters), chunk):
        rows = [
            {
                "to_address": letter.to[:320],
                "subject": letter.subject,
                "body": letter.body,
                "status": MailStatus.PENDING,
                "tries": 0,
                "next_try_at": now,
                "created_at": now,
                "last_error": "",
                "headers": json.dumps(letter.headers, ensure_ascii=False) if letter.headers else "",
            }
            for letter in letters[start : start + chunk]
        ]
        table = OutgoingMail.metadata.tables[OutgoingMail.__tablename__]
        ids.extend(db.session.scalars(insert(table).returning(table.c.id), rows).all())
    db.session.info.setdefault(QUEUED_IDS_KEY, []).extend(ids)
    return ids


def build_message(letter: OutgoingMail, sender: str) -> EmailMessage:
    """The MIME letter; raises ValueError for an address or subject no header can carry."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = letter.to_address
    message["Subject"] = letter.subject
    stored = json.loads(letter.headers) if letter.headers else {}
    attachments = stored.pop(ATTACHMENTS_KEY, [])
    for name, value in stored.items():
        message[name] = value
    message.set_content(letter.body)
    for attachment in attachments:
        maintype, _slash, subtype = str(attachment["mimetype"]).partition("/")
        message.add_attachment(
            str(attachment["text"]).encode("utf-8"),
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=str(attachment["filename"]),
        )
    return message


def outbox_messages() -> list[EmailMessage]:
    """The development outbox, oldest first: for tests and for reading mail locally."""
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
    if not outbox.exists():
        return []
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(p.read_bytes()) for p in sorted(outbox.glob("*.eml"))]
