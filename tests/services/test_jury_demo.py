"""The jury demo part builds a blind final with jurors, finalists, slots and one score, once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.demo import load_accounts
from app.extensions import db
from contest_engine.jury.demo import TITLE, load_jury_final
from contest_engine.jury.models import DemoSlot, ScoreSheet
from contest_engine.models import Contest


def test_jury_demo_is_idempotent(app) -> None:
    load_accounts()
    first = load_jury_final()
    again = load_jury_final()
    assert "/jury/stages/" in first[0] and "already" in again[0]
    assert db.session.scalar(select(func.count()).select_from(Contest).where(Contest.title == TITLE)) == 1
    assert db.session.scalar(select(func.count()).select_from(DemoSlot)) == 2
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 1
