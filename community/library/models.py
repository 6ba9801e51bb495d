"""Tables of the methodical library.

A material is what the catalogue lists; its content (title, summary, files, links) lives in numbered
versions, so a new version of a published material keeps the old ones and is moderated on its own
while the published version stays visible. Kind, subjects, grades and association belong to the
material itself. Counters (ratings, comments, views, downloads) are kept on the material by the
services that change them, so the catalogue reads one row per material.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts import Institution, User
from app.extensions import Base, str_enum
from app.timeutil import utcnow
from app.uploads import StoredFile

# Cache versions (app/cache_versions.py) of what the catalogue shows of published materials: the
# cards (content, ratings, comment counts) and, moved on less often, the facet counts.
CATALOGUE_VERSION = "library"
FACETS_VERSION = "library:facets"


class MaterialKind(enum.StrEnum):
    LESSON_PLAN = "lesson_plan"
    PRESENTATION = "presentation"
    WORKSHEET = "worksheet"
    TEST = "test"
    EVENT_SCENARIO = "event_scenario"
    ARTICLE = "article"
    VIDEO = "video"
    OTHER = "other"


class MaterialStatus(enum.StrEnum):
    """The material as the catalogue sees it: published once any version has been published."""

    DRAFT = "draft"
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"


class VersionState(enum.StrEnum):
    DRAFT = "draft"
    PENDING = "pending"
    PUBLISHED = "published"  # the version everyone sees (one per material)
    REJECTED = "rejected"
    SUPERSEDED = "superseded"  # was published, replaced by a newer published version


class VisitKind(enum.StrEnum):
    VIEW = "view"
    DOWNLOAD = "download"


class Material(Base):
    __tablename__ = "material"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # The author's institution when the material was created: the record keeps its school and district.
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id", ondelete="SET NULL"))
    association_id: Mapped[int | None] = mapped_column(ForeignKey("association.id", ondelete="SET NULL"))
    kind: Mapped[MaterialKind] = mapped_column(str_enum(MaterialKind))
    status: Mapped[MaterialStatus] = mapped_column(str_enum(MaterialStatus), default=MaterialStatus.DRAFT)
    # What the catalogue shows: the published version's content, or the latest one before publication.
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_html: Mapped[str] = mapped_column(Text, default="")  # rendered and sanitised when saved
    # Title, summary and the files' text in one plain document: what full-text search indexes.
    search_text: Mapped[str] = mapped_column(Text, default="")
    published_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("material_version.id", ondelete="SET NULL", use_alter=True)
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    ratings_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    comments_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    views_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    downloads_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    bookmarks_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    author: Mapped[User] = relationship(lazy="raise_on_sql", foreign_keys=[author_id])
    institution: Mapped[Institution | None] = relationship(lazy="raise_on_sql")

    __table_args__ = (
        Index("ix_material_status_published", "status", "published_at"),
        Index("ix_material_association_status", "association_id", "status"),
        Index("ix_material_institution_status", "institution_id", "status"),
        Index("ix_material_kind_status", "kind", "status"),
        CheckConstraint("rating_sum >= 0 AND ratings_count >= 0", name="counts_not_negative"),
    )


class MaterialSubject(Base):
    __tablename__ = "material_subject"

    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"), primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (Index("ix_material_subject_subject", "subject_id", "material_id"),)


class MaterialGrade(Base):
    __tablename__ = "material_grade"

    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"), primary_key=True)
    grade: Mapped[int] = mapped_column(SmallInteger, primary_key=True)

    __table_args__ = (
        CheckConstraint("grade BETWEEN 1 AND 11", name="grade_range"),
        Index("ix_material_grade_grade", "grade", "material_id"),
    )


class MaterialVersion(Base):
    """One numbered state of a material's content; moderated on its own."""

    __tablename__ = "material_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[VersionState] = mapped_column(str_enum(VersionState), default=VersionState.DRAFT)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[str] = mapped_column(Text, default="[]")  # JSON: [{"url", "title"}]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    review_reason: Mapped[str] = mapped_column(Text, default="")

    files: Mapped[list[MaterialFile]] = relationship(
        lazy="raise_on_sql", order_by="MaterialFile.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("material_id", "number"),
        Index("ix_material_version_state_submitted", "state", "submitted_at"),
    )


class MaterialFile(Base):
    """A file of one version; a new version refers to the same stored file, never a copy."""

    __tablename__ = "material_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("material_version.id", ondelete="CASCADE"), index=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text_content: Mapped[str] = mapped_column(Text, default="")  # extracted from PDF/DOCX for search

    stored: Mapped[StoredFile] = relationship(lazy="joined")


class MaterialComment(Base):
    """A comment, or a reply to one (threaded one level: a reply's parent has no parent)."""

    __tablename__ = "material_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("material_comment.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(default=None)
    hidden_at: Mapped[datetime | None] = mapped_column(default=None)
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    author: Mapped[User] = relationship(lazy="raise_on_sql", foreign_keys=[author_id])

    __table_args__ = (Index("ix_material_comment_material_created", "material_id", "created_at"),)


class CommentReport(Base):
    __tablename__ = "material_comment_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("material_comment.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    __table_args__ = (UniqueConstraint("comment_id", "reporter_id"),)


class MaterialRating(Base):
    __tablename__ = "material_rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    stars: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("material_id", "user_id"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
    )


class MaterialBookmark(Base):
    """ "Useful for me": a colleague's bookmark."""

    __tablename__ = "material_bookmark"

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("material_id", "user_id"),)


class MaterialVisit(Base):
    """A view or download, counted once per user per day (the unique row is the count's guard)."""

    __tablename__ = "material_visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[VisitKind] = mapped_column(str_enum(VisitKind))

    __table_args__ = (UniqueConstraint("material_id", "user_id", "day", "kind"),)
