"""Tables of forums: forums, topics, posts with their earlier texts, attachments, reports and what each
person has read.

Posts are numbered within their topic (unique), so two replies at once keep an order and a page of
a topic is a range of numbers. Counters and the last post are kept on the topic and the forum by the
services that post, with atomic updates.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts import User
from app.extensions import Base, str_enum
from app.timeutil import utcnow
from app.uploads import StoredFile


def topic_version_key(topic_id: int) -> str:
    """The cache version (app/cache_versions.py) of what a topic's pages show: the services that add,
    edit or hide its posts or lock it bump it; the rendered posts are kept under it."""
    return f"forum_topic:{topic_id}"


class ForumScope(enum.StrEnum):
    NETWORK = "network"
    ASSOCIATION = "association"
    COURSE = "course"
    CONTEST = "contest"
    STAGE = "stage"  # a contest's stage: scope_id is the stage's id
    DIVISION = "division"  # a contest's division


class ForumKind(enum.StrEnum):
    DISCUSSION = "discussion"
    NEWS = "news"  # only the place's staff open topics; everyone in the place is subscribed
    QA = "qa"  # a student sees others' answers only after posting their own


class Forum(Base):
    __tablename__ = "forum"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[ForumScope] = mapped_column(str_enum(ForumScope))
    scope_id: Mapped[int] = mapped_column(Integer, default=0)  # 0 for the network
    # Which of the place's forums this is ("general", "news", or a name the staff chose): one each.
    slot: Mapped[str] = mapped_column(String(64), default="general")
    kind: Mapped[ForumKind] = mapped_column(str_enum(ForumKind), default=ForumKind.DISCUSSION)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    topics_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    posts_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_post_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (UniqueConstraint("scope", "scope_id", "slot"),)


class Topic(Base):
    __tablename__ = "forum_topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # highest post number
    posts_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # visible posts
    hidden_at: Mapped[datetime | None] = mapped_column(default=None)

    author: Mapped[User | None] = relationship(lazy="raise_on_sql")

    __table_args__ = (
        Index("ix_forum_topic_forum_order", "forum_id", "pinned", "last_post_at"),
        # Unread counts look only at a forum's recently active topics (community.forums.reading).
        Index("ix_forum_topic_forum_recent", "forum_id", "last_post_at"),
    )


class Post(Base):
    __tablename__ = "forum_post"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("forum_topic.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1 is the topic's opening post
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("forum_post.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text, default="")  # rendered and sanitised when saved
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(default=None)
    hidden_at: Mapped[datetime | None] = mapped_column(default=None)
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship(lazy="raise_on_sql", foreign_keys=[author_id])

    __table_args__ = (UniqueConstraint("topic_id", "number"),)


class PostRevision(Base):
    """An earlier text of an edited post, kept when the author changes it."""

    __tablename__ = "forum_post_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_post.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PostAttachment(Base):
    __tablename__ = "forum_post_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_post.id", ondelete="CASCADE"), index=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id", ondelete="RESTRICT"))

    stored: Mapped[StoredFile] = relationship(lazy="joined")


class PostReport(Base):
    __tablename__ = "forum_post_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_post.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    __table_args__ = (UniqueConstraint("post_id", "reporter_id"),)


class TopicRead(Base):
    """How far a person has read a topic: posts numbered above it are unread."""

    __tablename__ = "forum_topic_read"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("forum_topic.id", ondelete="CASCADE"), primary_key=True)
    last_read_number: Mapped[int] = mapped_column(Integer, default=0)


class ForumRead(Base):
    """ "Mark all read" in a forum: everything posted before `read_before` counts as read."""

    __tablename__ = "forum_read"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"), primary_key=True)
    read_before: Mapped[datetime] = mapped_column(default=utcnow)
