"""Delivering the outbox: claim due letters, send them, retry with a growing pause, give up after
MAIL_MAX_TRIES.

Run by the tick job and `flask mail deliver`, and right after each commit when there is no SMTP.
A letter is claimed by a conditional UPDATE (pending, due, and `tries` as read) that also pushes
`next_try_at` a lease ahead, so two deliverers never both send it and one that dies mid-send leaves
it due again. Each outcome is committed on its own; nothing here ever raises into an action.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, event, inspect, select, update
from sqlalchemy.orm import Session, scoped_session

from app.email_address import is_valid_email
from app.extensions import db
from app.mail import QUEUED_IDS_KEY, QUEUED_KEY, MailStatus, OutgoingMail, build_message
from app.timeutil import utcnow

log = logging.getLogger("app.mail")  # the name operators already filter on
LEASE = timedelta(minutes=10)
BATCH = 200


def retry_pause(tries: int, config: Mapping[str, Any]) -> timedelta:
    """The pause after the `tries`-th failed try: MAIL_RETRY_SECONDS doubled each time, capped."""
    seconds = float(config["MAIL_RETRY_SECONDS"]) * 2 ** max(0, tries - 1)
    return timedelta(seconds=min(seconds, float(config["MAIL_RETRY_MAX_SECONDS"])))


def deliver_due_mail(now: datetime) -> list[str]:
    """The tick job: send every due letter; one summary line when anything happened."""
    due = db.session.execute(
        select(OutgoingMail.id, OutgoingMail.tries)
        .where(OutgoingMail.status == MailStatus.PENDING, OutgoingMail.next_try_at <= now)
        .order_by(OutgoingMail.next_try_at, OutgoingMail.id)
        .limit(BATCH)
    ).all()
    db.session.commit()
    counts = _deliver(db.session, [(row.id, row.tries) for row in due], now)
    if not any(counts.values()):
        return []
    return [", ".join(f"{name} {n}" for name, n in counts.items())]


def deliver_letters(ids: Iterable[int], now: datetime) -> None:
    """Send just these new letters (after their transaction committed), in a session of their own:
    the caller's session is between transactions and must not be touched."""
    with Session(db.engine) as session:
        _deliver(session, [(letter_id, 0) for letter_id in ids], now)


def _deliver(
    session: Session | scoped_session[Any], candidates: list[tuple[int, int]], now: datetime
) -> dict[str, int]:
    counts = {"sent": 0, "retry": 0, "failed": 0}
    claimed = [letter_id for letter_id, tries in candidates if _claim(session, letter_id, tries, now)]
    session.commit()
    if not claimed:
        return counts
    config = current_app.config
    with _Transport(config) as transport:
        # One letter in the session at a time: each outcome's commit expires what the session holds,
        # so holding a whole batch made a digest's thousands of letters cost the square of their number.
        for letter_id in sorted(claimed):
            letter = session.get_one(OutgoingMail, letter_id)
            outcome = _send_one(letter, transport, config, now)
            counts[outcome] += 1
            session.commit()
            session.expunge(letter)
    return counts


def _claim(session: Session | scoped_session[Any], letter_id: int, tries: int, now: datetime) -> bool:
    won = cast(
        CursorResult[Any],
        session.execute(
            update(OutgoingMail)
            .where(
                OutgoingMail.id == letter_id,
                OutgoingMail.status == MailStatus.PENDING,
                OutgoingMail.tries == tries,
                OutgoingMail.next_try_at <= now,
            )
            .values(tries=tries + 1, next_try_at=now + LEASE)
            .execution_options(synchronize_session=False)
        ),
    )
    return won.rowcount == 1


def _send_one(letter: OutgoingMail, transport: _Transport, config: Mapping[str, Any], now: datetime) -> str:
    try:
        if not is_valid_email(letter.to_address):
            raise ValueError(f"not an e-mail address: {letter.to_address!r}")
        message = build_message(letter, config["MAIL_DEFAULT_SENDER"])
    except ValueError as error:  # no retry can fix the address or a header
        letter.status, letter.last_error = MailStatus.FAILED, str(error)[:2000]
        return "failed"
    try:
        transport.send(message, letter)
    except (OSError, smtplib.SMTPException) as error:
        letter.last_error = f"{type(error).__name__}: {error}"[:2000]
        if letter.tries >= int(config["MAIL_MAX_TRIES"]):
            letter.status = MailStatus.FAILED
            return "failed"
        letter.next_try_at = now + retry_pause(letter.tries, config)
        return "retry"
    letter.status, letter.sent_at, letter.last_error = MailStatus.SENT, now, ""
    return "sent"


class _Transport:
    """One SMTP connection per batch (opened at the first letter), or the file outbox."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> _Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.smtp.quit()

    def send(self, message: EmailMessage, letter: OutgoingMail) -> None:
        config = self.config
        if not config.get("MAIL_SERVER"):
            self._write_file(message, letter)
            return
        if self.smtp is None:
            smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
            smtp = smtp_class(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25), timeout=20)
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            self.smtp = smtp
        self.smtp.send_message(message)

    def _write_file(self, message: EmailMessage, letter: OutgoingMail) -> None:
        outbox = Path(self.config["MAIL_OUTBOX_DIR"])
        outbox.mkdir(parents=True, exist_ok=True)
        name = f"{letter.created_at:%Y%m%dT%H%M%S%f}-{letter.id:010d}.eml"
        partial = outbox / f".{uuid.uuid4().hex}.part"
        partial.write_bytes(bytes(message))
        partial.replace(outbox / name)


def _deliver_committed(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a released savepoint: its letters belong to the enclosing transaction
    letters = session.info.pop(QUEUED_KEY, [])
    bulk_ids = session.info.pop(QUEUED_IDS_KEY, [])
    if not (letters or bulk_ids) or current_app.config.get("MAIL_SERVER"):
        return
    ids = [key[1][0] for key in (inspect(letter).identity_key for letter in letters) if key is not None]
    ids += bulk_ids
    try:
        deliver_letters(ids, utcnow())
    except Exception:  # the action has committed: never fail it; the letters stay due for the clock
        log.exception("could not deliver letters %s after commit", ids)


def _forget_rolled_back(session: Session, previous: Any) -> None:
    if previous.parent is None:  # the whole transaction, not a savepoint, was rolled back
        session.info.pop(QUEUED_KEY, None)
        session.info.pop(QUEUED_IDS_KEY, None)


def init_app(app: Any) -> None:
    """Deliver each committed transaction's letters to the file outbox when there is no SMTP."""
    if not event.contains(db.session, "after_commit", _deliver_committed):
        event.listen(db.session, "after_commit", _deliver_committed)
        event.listen(db.session, "after_soft_rollback", _forget_rolled_back)
