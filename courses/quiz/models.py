"""Quiz engine tables: question banks with nested categories, questions, quizzes with their slots,
attempts and the answer given in each attempt slot."""

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
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Base, str_enum
from app.timeutil import utcnow

POINTS = Numeric(12, 7)


class GradingMethod(enum.StrEnum):
    """Which of a student's attempts makes the quiz grade."""

    HIGHEST = "highest"
    AVERAGE = "average"
    FIRST = "first"
    LAST = "last"


class AttemptState(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    FINISHED = "finished"


class ReviewWhen(enum.StrEnum):
    """When a student may see the review of a finished attempt."""

    IMMEDIATELY = "immediately"
    AFTER_CLOSE = "after_close"
    NEVER = "never"


class QuestionBank(Base):
    """The questions of one course or contest (`owner_type`, `owner_id`)."""

    __tablename__ = "question_bank"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_type: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_question_bank_owner", "owner_type", "owner_id"),)


class QuestionCategory(Base):
    """A folder of questions; `parent_id` nests them. Random slots draw from one category."""

    __tablename__ = "question_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("question_bank.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_category.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))

    __table_args__ = (UniqueConstraint("bank_id", "parent_id", "name"),)


class Question(Base):
    """One question; `data` is the pure question (`questions.to_data`), edited in place.

    `hidden` keeps a question that attempts still reference out of the bank's list instead of
    deleting it; `version` grows with each edit so a regrade can say what it regraded against.
    """

    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("question_bank.id", ondelete="CASCADE"))
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_category.id", ondelete="SET NULL"), index=True
    )
    type: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(255))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_question_bank_hidden", "bank_id", "hidden", "id"),)


class Quiz(Base):
    """A quiz's settings; its questions are its slots."""

    __tablename__ = "quiz"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("question_bank.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime | None] = mapped_column()
    closes_at: Mapped[datetime | None] = mapped_column()
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    attempts_allowed: Mapped[int | None] = mapped_column(Integer)
    grading_method: Mapped[GradingMethod] = mapped_column(
        str_enum(GradingMethod), default=GradingMethod.HIGHEST
    )
    max_grade: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("10"))
    shuffle_questions: Mapped[bool] = mapped_column(Boolean, default=False)
    # On by default, as in Moodle: a right answer written first is not the first one shown.
    shuffle_answers: Mapped[bool] = mapped_column(Boolean, default=True)
    review_when: Mapped[ReviewWhen] = mapped_column(str_enum(ReviewWhen), default=ReviewWhen.IMMEDIATELY)
    review_score: Mapped[bool] = mapped_column(Boolean, default=True)
    review_answers: Mapped[bool] = mapped_column(Boolean, default=True)
    review_feedback: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    bank: Mapped[QuestionBank] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint("time_limit_minutes IS NULL OR time_limit_minutes > 0", name="time_limit"),
        CheckConstraint("attempts_allowed IS NULL OR attempts_allowed > 0", name="attempts_allowed"),
        CheckConstraint("max_grade > 0", name="max_grade"),
    )


class QuizSlot(Base):
    """A place in a quiz: a fixed question, or `random_count` questions drawn from a category."""

    __tablename__ = "quiz_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="RESTRICT"), index=True
    )
    category_id: Mapped[int | None] = mapped_column(ForeignKey("question_category.id", ondelete="RESTRICT"))
    random_count: Mapped[int] = mapped_column(Integer, default=1)
    mark: Mapped[Decimal | None] = mapped_column(POINTS)

    __table_args__ = (
        UniqueConstraint("quiz_id", "position"),
        CheckConstraint("(question_id IS NULL) <> (category_id IS NULL)", name="question_or_category"),
        CheckConstraint("random_count >= 1", name="random_count"),
    )


class QuizAttempt(Base):
    """One try at a quiz. The deadline is the server's; `score` is set once, when finishing."""

    __tablename__ = "quiz_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[AttemptState] = mapped_column(str_enum(AttemptState), default=AttemptState.IN_PROGRESS)
    seed: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column()
    deadline: Mapped[datetime | None] = mapped_column(index=True)
    last_saved_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    score: Mapped[Decimal | None] = mapped_column(POINTS)
    max_score: Mapped[Decimal] = mapped_column(POINTS, default=Decimal(0))
    needs_grading: Mapped[bool] = mapped_column(Boolean, default=False)

    quiz: Mapped[Quiz] = relationship(lazy="raise_on_sql")

    __table_args__ = (
        UniqueConstraint("quiz_id", "user_id", "number"),
        Index("ix_quiz_attempt_state_deadline", "state", "deadline"),
        # One attempt in progress per student and quiz, whatever two requests do at once.
        Index(
            "uq_quiz_attempt_in_progress",
            "quiz_id",
            "user_id",
            unique=True,
            sqlite_where=text("state = 'in_progress'"),
            postgresql_where=text("state = 'in_progress'"),
        ),
    )

    @property
    def finished(self) -> bool:
        return self.state == AttemptState.FINISHED


class QuizAnswer(Base):
    """The question drawn for one slot of an attempt and what the student answered.

    Rows are created when the attempt starts (so a reload shows the same questions), the answer is
    overwritten by each autosave, and `fraction`/`points` are written when the attempt finishes or
    a tutor grades or regrades it.
    """

    __tablename__ = "quiz_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id", ondelete="CASCADE"))
    slot: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="RESTRICT"), index=True)
    max_mark: Mapped[Decimal] = mapped_column(POINTS)
    answer: Mapped[Any | None] = mapped_column(JSON(none_as_null=True))
    saved_at: Mapped[datetime | None] = mapped_column()
    fraction: Mapped[str | None] = mapped_column(String(64))
    points: Mapped[Decimal | None] = mapped_column(POINTS)
    needs_grading: Mapped[bool] = mapped_column(Boolean, default=False)
    # The student's "come back to this one" mark, a toggle saved with the attempt.
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    feedback: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    graded_at: Mapped[datetime | None] = mapped_column()

    question: Mapped[Question] = relationship(lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("attempt_id", "slot"),)
