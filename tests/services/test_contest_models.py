"""The contest tables' constraints: one participation per user, one admission per stage."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from contest_engine.models import StageParticipant
from tests.factories.contests import EntryFactory, ParticipationFactory, StageFactory


def test_participation_is_unique_per_contest_and_user(app) -> None:
    first = ParticipationFactory()
    contest, user, division = first.contest, first.user, first.division
    with pytest.raises(IntegrityError):
        ParticipationFactory(contest=contest, user=user, division=division)
    db.session.rollback()


def test_admission_is_unique_per_stage(app) -> None:
    entry = EntryFactory()
    db.session.add(StageParticipant(stage_id=entry.stage_id, participation_id=entry.participation_id))
    db.session.commit()
    db.session.add(StageParticipant(stage_id=entry.stage_id, participation_id=entry.participation_id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_stage_window_must_be_forward(app) -> None:
    stage = StageFactory()
    db.session.commit()
    stage.closes_at = stage.opens_at
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
