"""Where uploaded bytes live on disk, and the rule that keeps disk and database in step.

A new file is written to UPLOAD_DIR/.staging/ and moved to its final place only after the
transaction that added its row commits; a rollback (or a session closed without a commit)
deletes it. Services keep calling `store_upload` and commit once, as before: the session's
events do the rest, so a refused two-file upload or a failed commit leaves nothing behind.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from app.extensions import db

STAGING = ".staging"
_PENDING = "vmeste_staged_files"
log = logging.getLogger(__name__)


@dataclass
class _Staged:
    staged: Path
    final: Path
    savepoint: SessionTransaction | None


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def final_path(key: str, root: Path | None = None) -> Path:
    return (root or upload_root()) / key[:2] / key


def staging_path(key: str, root: Path | None = None) -> Path:
    return (root or upload_root()) / STAGING / key


def stage(key: str, data: bytes) -> None:
    """Write the bytes aside; they reach `final_path(key)` when the current transaction commits."""
    root = upload_root()
    path = staging_path(key, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    session = db.session()
    session.info.setdefault(_PENDING, []).append(
        _Staged(path, final_path(key, root), session.get_nested_transaction())
    )


def promote(staged: Path, final: Path) -> None:
    """Move one staged file into its final place (same file system: an atomic rename)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, final)


def _after_commit(session: Session) -> None:
    """Move the staged files into place once the whole transaction commits. SQLAlchemy also calls
    this when a savepoint is released: its files then belong to the enclosing transaction."""
    released = session.get_nested_transaction()
    if released is not None:
        enclosing = released.parent if released.parent is not None and released.parent.nested else None
        for item in session.info.get(_PENDING, []):
            if item.savepoint is released:
                item.savepoint = enclosing
        return
    for item in session.info.pop(_PENDING, []):
        try:
            promote(item.staged, item.final)
        except OSError:  # the row is committed: `flask uploads orphans --delete` finishes the move
            log.exception("could not move %s into place", item.staged)


def _discard(items: list[_Staged]) -> None:
    for item in items:
        item.staged.unlink(missing_ok=True)


def _after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    """A rolled-back savepoint drops the files staged inside it; a full rollback drops them all."""
    pending: list[_Staged] = session.info.get(_PENDING, [])
    if not pending:
        return
    if previous.nested:
        gone = [item for item in pending if item.savepoint is previous]
        session.info[_PENDING] = [item for item in pending if item.savepoint is not previous]
        _discard(gone)
    elif previous.parent is None:
        _discard(session.info.pop(_PENDING, []))


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    """A session closed without committing (end of a request) keeps none of its staged files."""
    if transaction.parent is None and not transaction.nested:
        _discard(session.info.pop(_PENDING, []))


_LISTENERS: tuple[tuple[str, Any], ...] = (
    ("after_commit", _after_commit),
    ("after_soft_rollback", _after_soft_rollback),
    ("after_transaction_end", _after_transaction_end),
)


def init_app(app: Flask) -> None:
    """Listen on the Flask-SQLAlchemy session (once, however many apps a process builds)."""
    for name, listener in _LISTENERS:
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
