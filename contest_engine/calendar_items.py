"""Contest dates in a person's calendar feed (community.events.feed_items): the window of each stage
of the contests they take part in, organise or judge, and the jury's demo-lesson slots they sit in
(as the finalist, a juror of the stage or an organiser of the contest). Two queries whatever the
number of contests."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select

from app.extensions import db
from app.i18n import _
from community.events.feed_items import FeedItem
from contest_engine.jury.models import DemoSlot, StageJuror
from contest_engine.models import Contest, ContestOrganiser, Participation, Stage


def contest_dates(user_id: int, since: datetime) -> list[FeedItem]:
    """Stage windows and demo slots from `since` on, as feed items."""
    return _stages(user_id, since) + _slots(user_id, since)


def _stages(user_id: int, since: datetime) -> list[FeedItem]:
    taking_part = select(Participation.contest_id).where(Participation.user_id == user_id)
    organising = select(ContestOrganiser.contest_id).where(ContestOrganiser.user_id == user_id)
    judging = select(StageJuror.stage_id).where(StageJuror.user_id == user_id)
    rows = db.session.execute(
        select(Stage.id, Stage.title, Stage.opens_at, Stage.closes_at, Contest.id, Contest.title)
        .join(Contest, Contest.id == Stage.contest_id)
        .where(
            Stage.closes_at >= since,
            or_(Stage.contest_id.in_(taking_part), Stage.contest_id.in_(organising), Stage.id.in_(judging)),
        )
        .order_by(Stage.opens_at)
    ).all()
    return [
        FeedItem(
            uid=f"contest-stage-{stage_id}@vmeste",
            title=_("%(stage)s — %(contest)s", stage=title, contest=contest),
            starts_at=opens,
            ends_at=closes,
            url=f"/contests/{contest_id}",
        )
        for stage_id, title, opens, closes, contest_id, contest in rows
    ]


def _slots(user_id: int, since: datetime) -> list[FeedItem]:
    mine = select(Participation.id).where(Participation.user_id == user_id)
    judging = select(StageJuror.stage_id).where(StageJuror.user_id == user_id)
    organising = select(ContestOrganiser.contest_id).where(ContestOrganiser.user_id == user_id)
    rows = db.session.execute(
        select(
            DemoSlot.id, DemoSlot.stage_id, DemoSlot.starts_at, DemoSlot.duration_minutes, DemoSlot.location
        )
        .add_columns(Contest.title)
        .join(Stage, Stage.id == DemoSlot.stage_id)
        .join(Contest, Contest.id == Stage.contest_id)
        .where(
            DemoSlot.starts_at >= since - timedelta(days=1),
            or_(
                DemoSlot.participation_id.in_(mine),
                DemoSlot.stage_id.in_(judging),
                Stage.contest_id.in_(organising),
            ),
        )
        .order_by(DemoSlot.starts_at)
    ).all()
    return [
        FeedItem(
            uid=f"jury-slot-{slot_id}@vmeste",
            title=_("Demo lesson: %(contest)s", contest=contest),
            starts_at=starts,
            ends_at=starts + timedelta(minutes=minutes),
            url=f"/jury/stages/{stage_id}/schedule",
            location=location,
        )
        for slot_id, stage_id, starts, minutes, location, contest in rows
    ]
