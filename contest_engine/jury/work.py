"""Jury room: the work waiting for someone — the juror's queue of entries and stages, the
organiser's jury stages, a participant's demo-lesson schedules and open appeal windows. Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, and_, cast, literal, null, select, union_all

from app.accounts import User
from app.extensions import db
from contest_engine.jury.models import (
    DemoSlot,
    JuryAssignment,
    JuryConfig,
    ScoreSheet,
    SheetState,
    StageJuror,
)
from contest_engine.models import Contest, ContestOrganiser, Entry, Participation, Stage, StageParticipant
from contest_engine.rules.stages import StageKind


@dataclass(frozen=True)
class QueueItem:
    entry_id: int
    stage_id: int
    stage_title: str
    contest_title: str
    state: str  # "missing" | "draft" | "submitted"
    closed: bool

    @property
    def scored(self) -> bool:
        return self.state == SheetState.SUBMITTED.value


def juror_queue_query(juror_id: int) -> Any:
    """The juror's assignments with their sheet state, for pagination (names never included)."""
    return (
        select(
            JuryAssignment.entry_id,
            JuryAssignment.stage_id,
            Stage.title,
            Contest.title.label("contest_title"),
            ScoreSheet.state,
            JuryConfig.scoring_closed_at,
            Stage.results_published_at,
        )
        .join(Stage, Stage.id == JuryAssignment.stage_id)
        .join(Contest, Contest.id == Stage.contest_id)
        .outerjoin(
            ScoreSheet,
            and_(
                ScoreSheet.entry_id == JuryAssignment.entry_id, ScoreSheet.juror_id == JuryAssignment.juror_id
            ),
        )
        .outerjoin(JuryConfig, JuryConfig.stage_id == JuryAssignment.stage_id)
        .where(JuryAssignment.juror_id == juror_id)
        .order_by(ScoreSheet.state.is_not(None), JuryAssignment.stage_id, JuryAssignment.entry_id)
    )


def next_to_score(juror_id: int, after_entry_id: int) -> int | None:
    """The entry a juror scores next after `after_entry_id`: the first of their queue still without
    submitted scores in a stage whose scoring is open (one query). None when all are done."""
    query = (
        juror_queue_query(juror_id)
        .where(
            JuryAssignment.entry_id != after_entry_id,
            (ScoreSheet.state.is_(None)) | (ScoreSheet.state != SheetState.SUBMITTED),
            JuryConfig.scoring_closed_at.is_(None),
            Stage.results_published_at.is_(None),
        )
        .limit(1)
    )
    row = db.session.execute(query).first()
    return None if row is None else int(row[0])


def queue_item(row: Any) -> QueueItem:
    return QueueItem(
        row[0],
        row[1],
        row[2],
        row[3],
        str(row[4]) if row[4] else "missing",
        row[5] is not None or row[6] is not None,
    )


def juror_stages(user_id: int) -> list[Any]:
    """(stage id, stage title, contest title) of the stages whose jury the user sits on."""
    return list(
        db.session.execute(
            select(Stage.id, Stage.title, Contest.title)
            .join(Contest, Contest.id == Stage.contest_id)
            .join(StageJuror, StageJuror.stage_id == Stage.id)
            .where(StageJuror.user_id == user_id)
            .order_by(Stage.id)
        ).all()
    )


def organised_jury_stages(user: User, admin: bool) -> list[Any]:
    """Jury stages of the contests `user` organises (every contest for an admin): the organiser's way in."""
    query = (
        select(Stage.id, Stage.title, Contest.title.label("contest_title"))
        .join(Contest, Contest.id == Stage.contest_id)
        .where((Stage.kind == StageKind.JURY) | Stage.has_jury.is_(True))
        .order_by(Contest.id.desc(), Stage.position)
        .limit(200)
    )
    if not admin:
        query = query.join(ContestOrganiser, ContestOrganiser.contest_id == Contest.id).where(
            ContestOrganiser.user_id == user.id
        )
    return list(db.session.execute(query).all())


@dataclass(frozen=True)
class ParticipantLink:
    kind: str  # "schedule" | "appeal"
    stage_id: int
    entry_id: int | None
    stage_title: str
    contest_title: str


def participant_jury_links(user_id: int, now: datetime) -> list[ParticipantLink]:
    """Where a participant has something to do with the jury: pick or see their demo-lesson slot, or
    appeal their entry while the window is open. One statement: the two lists (20 each at most)
    joined with UNION ALL."""
    schedules = (
        select(
            literal("schedule").label("kind"),
            Stage.id.label("stage_id"),
            cast(null(), Integer).label("entry_id"),
            Stage.title.label("stage_title"),
            Contest.title.label("contest_title"),
        )
        .distinct()
        .join(Contest, Contest.id == Stage.contest_id)
        .join(DemoSlot, DemoSlot.stage_id == Stage.id)
        .join(StageParticipant, StageParticipant.stage_id == Stage.id)
        .join(Participation, Participation.id == StageParticipant.participation_id)
        .where(Participation.user_id == user_id, Stage.closes_at > now)
        .limit(20)
        .subquery()
    )
    appeals = (
        select(
            literal("appeal").label("kind"),
            Stage.id.label("stage_id"),
            Entry.id.label("entry_id"),
            Stage.title.label("stage_title"),
            Contest.title.label("contest_title"),
        )
        .join(Contest, Contest.id == Stage.contest_id)
        .join(Entry, Entry.stage_id == Stage.id)
        .join(Participation, Participation.id == Entry.participation_id)
        .where(
            Participation.user_id == user_id,
            Entry.is_current.is_(True),
            Stage.results_published_at.is_not(None),
            Stage.appeals_close_at >= now,
        )
        .limit(20)
        .subquery()
    )
    both = union_all(select(*schedules.c), select(*appeals.c))
    # Schedules first, as the card lists them (UNION ALL promises no order of its own).
    rows = sorted(db.session.execute(both).all(), key=lambda row: row.kind != "schedule")
    return [
        ParticipantLink(row.kind, row.stage_id, row.entry_id, row.stage_title, row.contest_title)
        for row in rows
    ]
