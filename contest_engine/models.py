"""Contest tables: contests, divisions, stages, participations, admissions, entries, results, awards.

Constraints back every rule two requests could break: one participation per user and contest, one
admission per stage and participation, one entry version number per participant and stage, one
stored result per stage and participation, one award per participation.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts import User
from app.extensions import Base, str_enum
from app.timeutil import utcnow
from app.uploads import StoredFile
from contest_engine.rules.stages import StageKind, StageState


class ContestKind(enum.StrEnum):
    """Who takes part: teachers (a professional contest), pupils (an olympiad), a pupils' conference."""

    TEACHER = "teacher"
    OLYMPIAD = "olympiad"
    CONFERENCE = "conference"


class Contest(Base):
    """A staged competition run by organisers; dates are stored in UTC and shown in `timezone`."""

    __tablename__ = "contest"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    kind: Mapped[ContestKind] = mapped_column(str_enum(ContestKind), default=ContestKind.TEACHER)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    description: Mapped[str] = mapped_column(Text, default="")
    rules: Mapped[str] = mapped_column(Text, default="")
    # The contest's own question bank (quiz engine, owner_type "contest"), made with the contest.
    bank_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_bank.id", ondelete="SET NULL"), index=True
    )
    # Olympiad quota: winners and prize-winners together at most Q% of a division's participants.
    award_quota_percent: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    # Ordered award rules in the API's shape: [{"title", "ranks", "top_percent", "min_percent_of_max"}].
    award_rules: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # What registration asks for (set by the organiser).
    asks_institution: Mapped[bool] = mapped_column(Boolean, default=True)
    asks_grade: Mapped[bool] = mapped_column(Boolean, default=False)
    asks_subject: Mapped[bool] = mapped_column(Boolean, default=False)
    requires_consent: Mapped[bool] = mapped_column(Boolean, default=True)
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    awards_computed_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    divisions: Mapped[list[Division]] = relationship(
        back_populates="contest",
        lazy="raise_on_sql",
        order_by="Division.position",
        cascade="all, delete-orphan",
    )
    stages: Mapped[list[Stage]] = relationship(
        back_populates="contest",
        lazy="raise_on_sql",
        order_by="Stage.position",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        CheckConstraint(
            "award_quota_percent IS NULL OR (award_quota_percent >= 0 AND award_quota_percent <= 100)",
            name="quota_range",
        ),
    )

    def __repr__(self) -> str:
        return f"<Contest {self.id} {self.title!r}>"


class ContestOrganiser(Base):
    """An organiser of one contest (the creator is the first)."""

    __tablename__ = "contest_organiser"

    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Division(Base):
    """A group ranked separately: grades 5–8 and 9–11, or teacher categories."""

    __tablename__ = "division"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)

    contest: Mapped[Contest] = relationship(back_populates="divisions", lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("contest_id", "name"),)


class Stage(Base):
    """One step of a contest with its window, state, advancement rule and (olympiad) quiz."""

    __tablename__ = "stage"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(255))
    kind: Mapped[StageKind] = mapped_column(str_enum(StageKind))
    state: Mapped[StageState] = mapped_column(str_enum(StageState), default=StageState.SCHEDULED)
    description: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = mapped_column()
    closes_at: Mapped[datetime] = mapped_column()
    # Advancement from this stage to the next (advancement.parse_rule's shape).
    advancement_rule: Mapped[str] = mapped_column(String(32), default="all")
    advancement_value: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    advancement_ties: Mapped[str] = mapped_column(String(32), default="include_tied")
    tiebreak_by_time: Mapped[bool] = mapped_column(Boolean, default=False)
    # Submission stages: what is accepted.
    accepts_text: Mapped[bool] = mapped_column(Boolean, default=True)
    accepts_link: Mapped[bool] = mapped_column(Boolean, default=True)
    accepts_files: Mapped[bool] = mapped_column(Boolean, default=True)
    file_types: Mapped[str] = mapped_column(String(255), default="pdf,doc,docx,odt,ppt,pptx,jpg,png")
    max_file_mb: Mapped[int] = mapped_column(default=10)
    max_files: Mapped[int] = mapped_column(default=3)
    has_jury: Mapped[bool] = mapped_column(Boolean, default=False)
    # Olympiad stages: the round (a quiz of the contest's bank).
    quiz_id: Mapped[int | None] = mapped_column(ForeignKey("quiz.id", ondelete="SET NULL"), index=True)
    # Bumped by each confirmed advancement (a conditional UPDATE: two confirmations → one winner).
    advancement_runs: Mapped[int] = mapped_column(default=0)
    advanced_at: Mapped[datetime | None] = mapped_column(default=None)
    results_computed_at: Mapped[datetime | None] = mapped_column(default=None)
    results_published_at: Mapped[datetime | None] = mapped_column(default=None)
    appeals_close_at: Mapped[datetime | None] = mapped_column(default=None)

    contest: Mapped[Contest] = relationship(back_populates="stages", lazy="raise_on_sql")

    __table_args__ = (
        UniqueConstraint("contest_id", "position"),
        CheckConstraint("closes_at > opens_at", name="window"),
        CheckConstraint("max_file_mb > 0 AND max_files >= 0", name="file_limits"),
        Index("ix_stage_state_opens", "state", "opens_at"),
        Index("ix_stage_state_closes", "state", "closes_at"),
    )

    @property
    def extensions(self) -> frozenset[str]:
        return frozenset(e.strip().lower().lstrip(".") for e in self.file_types.split(",") if e.strip())

    def __repr__(self) -> str:
        return f"<Stage {self.id} {self.title!r} {self.state}>"


class Participation(Base):
    """A user registered in a contest, in one division, with what registration asked for."""

    __tablename__ = "participation"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    division_id: Mapped[int] = mapped_column(ForeignKey("division.id", ondelete="RESTRICT"), index=True)
    institution_name: Mapped[str] = mapped_column(String(255), default="")
    district: Mapped[str] = mapped_column(String(255), default="")
    grade: Mapped[str] = mapped_column(String(32), default="")
    subject: Mapped[str] = mapped_column(String(255), default="")
    consent_at: Mapped[datetime | None] = mapped_column(default=None)
    imported: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)

    contest: Mapped[Contest] = relationship(lazy="raise_on_sql")
    user: Mapped[User] = relationship(lazy="raise_on_sql")
    division: Mapped[Division] = relationship(lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("contest_id", "user_id"),)


class StageParticipant(Base):
    """Admission: this participation may take part in this stage (it advanced into it)."""

    __tablename__ = "stage_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participation.id", ondelete="CASCADE"), index=True
    )
    admitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("stage_id", "participation_id"),)


class Entry(Base):
    """One version of a participant's work for a stage; replacing adds a version, the old one stays."""

    __tablename__ = "entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participation.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    text: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(1000), default="")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    files: Mapped[list[EntryFile]] = relationship(
        lazy="raise_on_sql", order_by="EntryFile.position", cascade="all, delete-orphan"
    )
    participation: Mapped[Participation] = relationship(lazy="raise_on_sql")
    stage: Mapped[Stage] = relationship(lazy="raise_on_sql")

    __table_args__ = (
        UniqueConstraint("stage_id", "participation_id", "version"),
        Index("ix_entry_stage_current", "stage_id", "is_current"),
    )


class EntryFile(Base):
    __tablename__ = "entry_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(default=0)

    file: Mapped[StoredFile] = relationship(lazy="joined")


class ResultStatus(enum.StrEnum):
    """A participant's outcome at a stage, shown to them before the results are published."""

    RANKED = "ranked"
    ADVANCED = "advanced"
    ELIMINATED = "eliminated"
    BLOCKED = "blocked"
    NO_ENTRY = "no_entry"


class StageResult(Base):
    """A stage's computed standing for one participation (recomputed from the source scores).

    Scores are ranked exactly before storing; `score` keeps 4 places for display and search.
    """

    __tablename__ = "stage_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participation.id", ondelete="CASCADE"), index=True
    )
    division_id: Mapped[int] = mapped_column(ForeignKey("division.id", ondelete="CASCADE"))
    score: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    rank: Mapped[int | None] = mapped_column()
    time_used_seconds: Mapped[int | None] = mapped_column()
    status: Mapped[ResultStatus] = mapped_column(str_enum(ResultStatus), default=ResultStatus.RANKED)
    advanced: Mapped[bool] = mapped_column(Boolean, default=False)
    # Display order within the stage (division, rank, name): pages read it through the index.
    position: Mapped[int] = mapped_column(default=0)
    # Name, institution and district folded by `rules.search.fold` (any case, ё as е), written with
    # the row: the results search matches it with LIKE on both databases, since SQLite's lower()
    # folds only ASCII («иванов» would miss «Иванов»).
    search_text: Mapped[str] = mapped_column(String(800), default="", server_default="")

    participation: Mapped[Participation] = relationship(lazy="raise_on_sql")

    __table_args__ = (
        UniqueConstraint("stage_id", "participation_id"),
        Index("ix_stage_result_order", "stage_id", "position"),
        Index("ix_stage_result_division", "stage_id", "division_id", "position"),
        Index("ix_stage_result_search", "stage_id", "search_text"),
    )


class Award(Base):
    """A participant's award in their division, with the diploma's verification code."""

    __tablename__ = "award"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    division_id: Mapped[int] = mapped_column(ForeignKey("division.id", ondelete="CASCADE"))
    participation_id: Mapped[int] = mapped_column(ForeignKey("participation.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(255))
    rank: Mapped[int | None] = mapped_column()
    score: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    certificate_code: Mapped[str | None] = mapped_column(String(16))
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)

    participation: Mapped[Participation] = relationship(lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("contest_id", "participation_id"),)
