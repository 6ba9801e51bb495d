"""Course domain tables: courses, members, modules, items, assignments, submissions, progress.

Every rule two requests could break has a constraint: one membership per user and course, one
submission per student and assignment, one view mark per item and student, one override per cell.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
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
from courses.quiz import models as _quiz_models  # noqa: F401 - question_bank and quiz are referenced

POINTS = Numeric(8, 2)


class EnrolmentMode(enum.StrEnum):
    """How students get in: anyone signed in, anyone with the key, or only when a tutor adds them."""

    OPEN = "open"
    KEY = "key"
    INVITATION = "invitation"


class CourseRole(enum.StrEnum):
    AUTHOR = "author"
    TUTOR = "tutor"
    STUDENT = "student"


class ItemKind(enum.StrEnum):
    PAGE = "page"
    LINK = "link"
    FILE = "file"
    ASSIGNMENT = "assignment"
    QUIZ = "quiz"


class CompletionRule(enum.StrEnum):
    """What completes an item; `none` means the item does not count towards course completion."""

    NONE = "none"
    VIEWED = "viewed"
    SUBMITTED = "submitted"
    GRADED = "graded"


class MissingGrades(enum.StrEnum):
    """How the course total treats a graded item without a grade yet."""

    ZERO = "zero"
    EXCLUDE = "exclude"


class Course(Base):
    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    summary: Mapped[str] = mapped_column(Text, default="")
    hours: Mapped[int] = mapped_column(Integer, default=0)
    starts_on: Mapped[date | None] = mapped_column(Date, default=None)
    ends_on: Mapped[date | None] = mapped_column(Date, default=None)
    enrolment_mode: Mapped[EnrolmentMode] = mapped_column(
        str_enum(EnrolmentMode), default=EnrolmentMode.INVITATION
    )
    enrolment_key: Mapped[str] = mapped_column(String(64), default="")
    missing_grades: Mapped[MissingGrades] = mapped_column(str_enum(MissingGrades), default=MissingGrades.ZERO)
    bank_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_bank.id", ondelete="SET NULL"), default=None
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    modules: Mapped[list[Module]] = relationship(
        back_populates="course",
        lazy="raise_on_sql",
        order_by="Module.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (
        CheckConstraint("hours >= 0", name="hours_not_negative"),
        CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates_ordered"),
    )

    def __repr__(self) -> str:
        return f"<Course {self.id} {self.title!r}>"


class CourseMember(Base):
    """A person's role in one course (one row per person and course)."""

    __tablename__ = "course_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[CourseRole] = mapped_column(str_enum(CourseRole), default=CourseRole.STUDENT)
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="raise_on_sql")
    course: Mapped[Course] = relationship(lazy="raise_on_sql")

    __table_args__ = (
        UniqueConstraint("course_id", "user_id"),
        Index("ix_course_member_course_role", "course_id", "role"),
    )


class Module(Base):
    __tablename__ = "course_module"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(255))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    visible_from: Mapped[datetime | None] = mapped_column(default=None)

    course: Mapped[Course] = relationship(back_populates="modules", lazy="raise_on_sql")
    items: Mapped[list[Item]] = relationship(
        back_populates="module",
        lazy="raise_on_sql",
        order_by="Item.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (Index("ix_course_module_course_position", "course_id", "position"),)


class Assignment(Base):
    """Settings of one assignment item. `rubric` is a list of criteria:
    [{"name": str, "levels": [{"label": str, "points": number}]}]; with a rubric the maximum is the
    sum of each criterion's best level."""

    __tablename__ = "course_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    due_at: Mapped[datetime | None] = mapped_column(default=None)
    cutoff_at: Mapped[datetime | None] = mapped_column(default=None)
    max_points: Mapped[Decimal] = mapped_column(POINTS, default=Decimal("10"))
    rubric: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    allow_text: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_files: Mapped[bool] = mapped_column(Boolean, default=True)
    allowed_extensions: Mapped[str] = mapped_column(String(255), default="pdf,doc,docx,odt,txt,jpg,jpeg,png")
    max_file_mb: Mapped[int] = mapped_column(Integer, default=10)
    max_files: Mapped[int] = mapped_column(Integer, default=5)
    resubmission: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (
        CheckConstraint("max_points > 0", name="max_points_positive"),
        CheckConstraint("max_file_mb > 0 AND max_files > 0", name="file_limits_positive"),
        CheckConstraint(
            "cutoff_at IS NULL OR due_at IS NULL OR cutoff_at >= due_at", name="cutoff_after_due"
        ),
    )

    @property
    def extensions(self) -> frozenset[str]:
        return frozenset(
            e.strip().lower().lstrip(".") for e in self.allowed_extensions.split(",") if e.strip()
        )


class Item(Base):
    """One thing in a module. Which columns matter depends on `kind`: `body` (page), `url` (link),
    `file_id` (file), `assignment_id` (assignment), `quiz_id` (quiz)."""

    __tablename__ = "course_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("course_module.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[ItemKind] = mapped_column(str_enum(ItemKind))
    title: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(1000), default="")
    file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_file.id", ondelete="SET NULL"), default=None
    )
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_assignment.id", ondelete="CASCADE"), default=None, unique=True
    )
    quiz_id: Mapped[int | None] = mapped_column(
        ForeignKey("quiz.id", ondelete="CASCADE"), default=None, index=True
    )
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    visible_from: Mapped[datetime | None] = mapped_column(default=None)
    completion: Mapped[CompletionRule] = mapped_column(str_enum(CompletionRule), default=CompletionRule.NONE)
    completion_points: Mapped[Decimal | None] = mapped_column(POINTS, default=None)
    prerequisite_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_item.id", ondelete="SET NULL"), default=None
    )
    weight: Mapped[Decimal] = mapped_column(POINTS, default=Decimal("1"))

    module: Mapped[Module] = relationship(back_populates="items", lazy="raise_on_sql")
    assignment: Mapped[Assignment | None] = relationship(lazy="raise_on_sql")
    file: Mapped[StoredFile | None] = relationship(lazy="raise_on_sql")

    __table_args__ = (
        Index("ix_course_item_module_position", "module_id", "position"),
        Index("ix_course_item_course", "course_id"),
        CheckConstraint("weight >= 0", name="weight_not_negative"),
    )

    @property
    def graded(self) -> bool:
        return self.kind in (ItemKind.ASSIGNMENT, ItemKind.QUIZ)


class CourseAsset(Base):
    """An image or file uploaded for a page's Markdown; served to the course's members only."""

    __tablename__ = "course_asset"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id", ondelete="CASCADE"))

    file: Mapped[StoredFile] = relationship(lazy="joined")


class Submission(Base):
    """A student's current hand-in for an assignment (resubmitting replaces it, `version` counts)."""

    __tablename__ = "course_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("course_assignment.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    points: Mapped[Decimal | None] = mapped_column(POINTS, default=None)
    rubric_levels: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    feedback: Mapped[str] = mapped_column(Text, default="")
    graded_at: Mapped[datetime | None] = mapped_column(default=None)
    grader_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), default=None)

    user: Mapped[User] = relationship(lazy="raise_on_sql", foreign_keys=[user_id])
    files: Mapped[list[SubmissionFile]] = relationship(
        lazy="raise_on_sql", cascade="all, delete-orphan", passive_deletes=True, order_by="SubmissionFile.id"
    )

    __table_args__ = (
        UniqueConstraint("assignment_id", "user_id"),
        Index("ix_course_submission_assignment_submitted", "assignment_id", "submitted_at"),
        CheckConstraint("points IS NULL OR points >= 0", name="points_not_negative"),
    )


class SubmissionFile(Base):
    __tablename__ = "course_submission_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("course_submission.id", ondelete="CASCADE"), index=True
    )
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id", ondelete="CASCADE"))

    file: Mapped[StoredFile] = relationship(lazy="joined")


class ItemView(Base):
    """The first time a student opened an item (the "viewed" completion condition)."""

    __tablename__ = "course_item_view"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("course_item.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    viewed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("item_id", "user_id"),)


class GradeOverride(Base):
    """A tutor's grade typed into the gradebook; it wins over the computed one and is marked."""

    __tablename__ = "course_grade_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("course_item.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    points: Mapped[Decimal] = mapped_column(POINTS)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), default=None)
    set_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("item_id", "user_id"),
        CheckConstraint("points >= 0", name="points_not_negative"),
    )
