"""Summary tables of monitoring, filled by the recompute job (monitoring.recompute) and read by the
reports. One row per academic year (its starting year: 2025 is 2025/26) and institution, so a report
of a district or the network is a GROUP BY over a few hundred rows whatever the size of the data
underneath. Only counts: no row names a pupil."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Base, str_enum
from app.timeutil import utcnow


class ContestAudience(enum.StrEnum):
    PUPILS = "pupils"  # olympiads and pupils' conferences
    TEACHERS = "teachers"  # professional contests of teachers


class SummaryRun(Base):
    """When each report's table was last computed, and how long it took."""

    __tablename__ = "mon_run"

    report: Mapped[str] = mapped_column(String(32), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    seconds: Mapped[float] = mapped_column(Numeric(10, 3), default=0)


class QualificationSummary(Base):
    """Teachers' qualification in one institution in one academic year."""

    __tablename__ = "mon_qualification"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    teachers: Mapped[int] = mapped_column(Integer, default=0)
    courses_completed: Mapped[int] = mapped_column(Integer, default=0)  # completions in that year
    hours: Mapped[int] = mapped_column(Integer, default=0)  # their hours
    # Teachers with a completion in that year or the two before (the legal minimum is one in three).
    teachers_with_course_3y: Mapped[int] = mapped_column(Integer, default=0)


class ContestSummary(Base):
    """Contest results of one institution's people in one contest, grade and academic year."""

    __tablename__ = "mon_contest"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id", ondelete="CASCADE"))
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    audience: Mapped[ContestAudience] = mapped_column(str_enum(ContestAudience))
    subject: Mapped[str] = mapped_column(String(255), default="")
    grade: Mapped[str] = mapped_column(String(32), default="")
    participants: Mapped[int] = mapped_column(Integer, default=0)
    advanced: Mapped[int] = mapped_column(Integer, default=0)  # passed at least one stage onward
    winners: Mapped[int] = mapped_column(Integer, default=0)
    prize_winners: Mapped[int] = mapped_column(Integer, default=0)
    laureates: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("ix_mon_contest_year_audience", "year", "audience", "institution_id"),
        Index("ix_mon_contest_institution", "institution_id", "year"),
    )


class ActivitySummary(Base):
    """The community life of one institution's people in one academic year."""

    __tablename__ = "mon_activity"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    teachers: Mapped[int] = mapped_column(Integer, default=0)
    publications: Mapped[int] = mapped_column(Integer, default=0)
    comments: Mapped[int] = mapped_column(Integer, default=0)
    forum_posts: Mapped[int] = mapped_column(Integer, default=0)
    events_held: Mapped[int] = mapped_column(Integer, default=0)
    events_attended: Mapped[int] = mapped_column(Integer, default=0)
    association_members: Mapped[int] = mapped_column(Integer, default=0)  # distinct teachers in any
    # Teachers with any of the above in the year (for the "index of network activity").
    active_teachers: Mapped[int] = mapped_column(Integer, default=0)


class ContestTotal(Base):
    """One institution's contest figures in one academic year for one audience: mon_contest's rows
    added up by the summary job (a few thousand rows for a city instead of a hundred thousand), so a
    report's totals and trend read a handful of rows per institution."""

    __tablename__ = "mon_contest_total"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    audience: Mapped[ContestAudience] = mapped_column(str_enum(ContestAudience), primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    participants: Mapped[int] = mapped_column(Integer, default=0)
    advanced: Mapped[int] = mapped_column(Integer, default=0)
    winners: Mapped[int] = mapped_column(Integer, default=0)
    prize_winners: Mapped[int] = mapped_column(Integer, default=0)
    laureates: Mapped[int] = mapped_column(Integer, default=0)


class ContestNetworkTotal(Base):
    """The whole network's figures per contest, subject and grade in one academic year: the
    breakdowns of a report over everything (the administrator's, the network methodist's) read
    these few hundred rows instead of grouping mon_contest."""

    __tablename__ = "mon_contest_network"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    audience: Mapped[ContestAudience] = mapped_column(str_enum(ContestAudience))
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(255), default="")
    grade: Mapped[str] = mapped_column(String(32), default="")
    participants: Mapped[int] = mapped_column(Integer, default=0)
    advanced: Mapped[int] = mapped_column(Integer, default=0)
    winners: Mapped[int] = mapped_column(Integer, default=0)
    prize_winners: Mapped[int] = mapped_column(Integer, default=0)
    laureates: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_mon_contest_network_year", "year", "audience"),)
