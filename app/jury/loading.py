"""Jury pages: loading a stage with its contest, and the organiser's gate to a stage's jury pages."""

from __future__ import annotations

from flask_login import current_user

from app.extensions import db
from app.permissions import jury as can
from app.permissions import require
from contest_engine.models import Contest, Stage


def stage_and_contest(stage_id: int) -> tuple[Stage, Contest]:
    stage = db.get_or_404(Stage, stage_id)
    contest = db.session.get(Contest, stage.contest_id)
    assert contest is not None
    return stage, contest


def managed(stage_id: int) -> tuple[Stage, Contest]:
    """The stage and its contest, for those who manage its jury (403 for anyone else)."""
    stage, contest = stage_and_contest(stage_id)
    require(can.can_manage_jury(current_user, stage))
    return stage, contest
