"""Jury API: loading the rows an endpoint works on (404 for rows the caller may not know exist)."""

from __future__ import annotations

from app.accounts import User
from app.api.core import not_found, require_api
from app.extensions import db
from app.permissions import jury as can
from contest_engine.models import Entry, Stage

TAG = "jury"


def load_stage(stage_id: int) -> Stage:
    row = db.session.get(Stage, stage_id)
    if row is None:
        raise not_found()
    return row


def managed_stage(stage_id: int, user: User) -> Stage:
    """The stage, for those who manage its jury (403 for anyone else)."""
    row = load_stage(stage_id)
    require_api(can.can_manage_jury(user, row))
    return row


def load_entry(entry_id: int) -> Entry:
    row = db.session.get(Entry, entry_id)
    if row is None:
        raise not_found()
    return row
