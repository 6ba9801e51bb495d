"""Jury room: its tables (prefix jury_) — the stage's jury spec, jurors, conflicts, assignments,
score sheets, appeals and demo-lesson slots. Constraints settle every race two requests could start."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from app.accounts import User
from app.extensions import Base, str_enum
from app.timeutil import utcnow
from contest_engine.rules.scoring import Aggregation

TOTAL_SCALE = 10_000  # ScoreSheet.weighted_total: points (hundredths) × weight (hundredths)


class Hundredths(TypeDecorator[Decimal]):
    """Points with at most 2 decimal places, stored as an integer number of hundredths.

    Why: exact on every database, and SQLite has no native decimal (SQLAlchemy would go through
    float and warn)."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        scaled = Decimal(value) * 100
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than 2 decimal places")
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)) / Decimal(100)


class ConflictSource(enum.StrEnum):
    INSTITUTION = "institution"
    DECLARED_BY_ORGANISER = "declared_by_organiser"
    DECLARED_BY_JUROR = "declared_by_juror"


class SheetState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class AppealState(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class JuryConfig(Base):
    """How a jury stage is judged. One row per jury stage."""

    __tablename__ = "jury_config"

    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"), primary_key=True)
    aggregation: Mapped[Aggregation] = mapped_column(str_enum(Aggregation), default=Aggregation.MEAN)
    jurors_per_entry: Mapped[int | None] = mapped_column(default=None)  # None: every juror
    blind: Mapped[bool] = mapped_column(Boolean, default=False)
    disagreement_threshold: Mapped[Decimal | None] = mapped_column(Hundredths(), default=None)
    scoring_due_at: Mapped[datetime | None] = mapped_column(default=None)  # jurors are late after it
    scoring_closed_at: Mapped[datetime | None] = mapped_column(default=None)  # no changes after it
    slot_pick_deadline: Mapped[datetime | None] = mapped_column(
        default=None
    )  # finalists pick slots before it
    # The organiser opened the demo lessons to colleagues: each slot shows in the network calendar as
    # an open lesson (never for a blind stage).
    open_to_colleagues: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint(
            "jurors_per_entry IS NULL OR jurors_per_entry >= 1", name="jurors_per_entry_positive"
        ),
    )


class JuryCriterion(Base):
    """A criterion of a jury stage; `levels` says what each number of points means."""

    __tablename__ = "jury_criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    levels: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{"points": "2", "text": ...}]
    max_points: Mapped[Decimal] = mapped_column(Hundredths())
    weight: Mapped[Decimal] = mapped_column(Hundredths(), default=Decimal(1))

    __table_args__ = (
        UniqueConstraint("stage_id", "name"),
        CheckConstraint("max_points > 0", name="max_points_positive"),
        CheckConstraint("weight >= 0", name="weight_not_negative"),
        Index("ix_jury_criterion_stage_position", "stage_id", "position"),
    )


class StageJuror(Base):
    """A juror invited to a stage; `division_id` limits them to one section of a conference.

    `institution_id` is the juror's institution frozen when they joined the jury: the conflict of
    interest check reads it, so editing one's profile afterwards cannot open a colleague's entry."""

    __tablename__ = "jury_stage_juror"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    division_id: Mapped[int | None] = mapped_column(ForeignKey("division.id", ondelete="SET NULL"))
    is_chair: Mapped[bool] = mapped_column(Boolean, default=False)
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institution.id", ondelete="SET NULL"), default=None
    )
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("stage_id", "user_id"),)


class JuryConflict(Base):
    """A juror must not score this participant (declared; the same institution is checked from the
    juror's frozen `StageJuror.institution_id`)."""

    __tablename__ = "jury_conflict"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    juror_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    participation_id: Mapped[int] = mapped_column(ForeignKey("participation.id", ondelete="CASCADE"))
    source: Mapped[ConflictSource] = mapped_column(str_enum(ConflictSource))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("contest_id", "juror_id", "participation_id"),
        Index("ix_jury_conflict_participation", "participation_id"),
    )


class JuryAssignment(Base):
    """One juror scores one entry."""

    __tablename__ = "jury_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"))
    juror_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("entry_id", "juror_id"),
        Index("ix_jury_assignment_juror_stage", "juror_id", "stage_id"),
        Index("ix_jury_assignment_stage", "stage_id"),
    )


class ScoreSheet(Base):
    """A juror's scores for one entry: a draft until submitted; changeable until scoring closes.

    Write its scores only through `sheets.save_scores` or `appeals.resolve_appeal`: they keep
    `weighted_total` in step (`sheets.sheet_weighted_total`)."""

    __tablename__ = "jury_score_sheet"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"))
    juror_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    state: Mapped[SheetState] = mapped_column(str_enum(SheetState), default=SheetState.DRAFT)
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    # The juror's weighted total Σ points × weight in ten-thousandths (hundredths × hundredths, exact),
    # kept by every write of the sheet's scores in the same transaction; set only on a submitted sheet
    # with points for every criterion (NULL otherwise), so the overview reads one row per sheet.
    weighted_total: Mapped[int | None] = mapped_column(BigInteger, default=None)

    scores: Mapped[list[Score]] = relationship(
        lazy="raise_on_sql", cascade="all, delete-orphan", back_populates="sheet"
    )

    __table_args__ = (
        UniqueConstraint("entry_id", "juror_id"),
        Index("ix_jury_score_sheet_stage", "stage_id"),
        Index("ix_jury_score_sheet_juror", "juror_id"),
    )


class Score(Base):
    """Points for one criterion on one sheet."""

    __tablename__ = "jury_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("jury_score_sheet.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("jury_criterion.id", ondelete="CASCADE"))
    points: Mapped[Decimal] = mapped_column(Hundredths())

    sheet: Mapped[ScoreSheet] = relationship(lazy="raise_on_sql", back_populates="scores")

    __table_args__ = (
        UniqueConstraint("sheet_id", "criterion_id"),
        CheckConstraint("points >= 0", name="points_not_negative"),
    )


class Appeal(Base):
    """A participant's appeal on their entry; one per entry."""

    __tablename__ = "jury_appeal"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), unique=True)
    participation_id: Mapped[int] = mapped_column(ForeignKey("participation.id", ondelete="CASCADE"))
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[AppealState] = mapped_column(str_enum(AppealState), default=AppealState.OPEN)
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DemoSlot(Base):
    """A demo-lesson slot of a final; at most one finalist per slot and one slot per finalist."""

    __tablename__ = "jury_demo_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column()
    duration_minutes: Mapped[int] = mapped_column()
    location: Mapped[str] = mapped_column(String(500), default="")  # a video link or a room
    participation_id: Mapped[int | None] = mapped_column(ForeignKey("participation.id", ondelete="SET NULL"))

    __table_args__ = (
        UniqueConstraint("stage_id", "participation_id"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        Index("ix_jury_demo_slot_stage_starts", "stage_id", "starts_at"),
    )


class EntryStanding(Base):
    """An entry's aggregate over its jurors' submitted totals and its rank in its division, kept by
    `standing.refresh_standing` in the transaction of every write that can change them (a sheet
    submitted or changed, an appeal resolved, a correction, jurors or entries changed), so the
    organiser's overview reads one page of rows instead of ranking every sheet on each visit.

    The aggregate is kept exact as a fraction (`score_num` / `score_den`, None while a juror is
    missing); `position` is the overview's display order (division, rank, entry)."""

    __tablename__ = "jury_entry_standing"

    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    division_id: Mapped[int] = mapped_column(ForeignKey("division.id", ondelete="CASCADE"))
    score_num: Mapped[int | None] = mapped_column(BigInteger, default=None)
    score_den: Mapped[int | None] = mapped_column(BigInteger, default=None)
    spread_num: Mapped[int | None] = mapped_column(BigInteger, default=None)
    spread_den: Mapped[int | None] = mapped_column(BigInteger, default=None)
    disagreement: Mapped[bool] = mapped_column(Boolean, default=False)
    missing: Mapped[int] = mapped_column(default=0)  # assigned jurors whose total is not in yet
    submitted: Mapped[int] = mapped_column(default=0)  # submitted totals
    rank: Mapped[int | None] = mapped_column(default=None)
    position: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        CheckConstraint("score_den IS NULL OR score_den > 0", name="score_den_positive"),
        CheckConstraint("spread_den IS NULL OR spread_den > 0", name="spread_den_positive"),
        Index("ix_jury_entry_standing_order", "stage_id", "position"),
    )
