"""Forums: opening a topic (its title and first post), a forum's topics as its page lists them, and the
moderators' pin and lock.

Opening a topic writes the topic with its first post numbered 1 and counts both in the forum with
one atomic UPDATE; pinning and locking are conditional UPDATEs, so two moderators pressing the same
button at once change the topic once and the second hears that it already was.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.domain_errors import Conflict
from app.extensions import db, rows_changed
from app.i18n import _
from app.pagination import Page, paginate
from community.forums import attachments
from community.forums import posting_rules as rules
from community.forums.messages import refusal
from community.forums.models import Forum, Post, Topic, topic_version_key
from community.forums.posts import add_post


def open_topic(
    forum: Forum, actor: User, title: Any, text: Any, *, now: datetime, files: Sequence[Any] = ()
) -> tuple[Topic, Post]:
    """A new topic with its opening post (the caller has checked that the actor may start one)."""
    try:
        cleaned_title = rules.topic_title(title)
        cleaned_text = rules.post_text(text)
    except rules.RuleError as error:
        raise refusal(error) from None
    checked = attachments.check_files(attachments.present(files))
    topic = Topic(
        forum_id=forum.id,
        author_id=actor.id,
        title=cleaned_title,
        created_at=now,
        last_post_at=now,
        last_number=1,
        posts_count=1,
    )
    db.session.add(topic)
    db.session.flush()
    rows_changed(
        update(Forum)
        .where(Forum.id == forum.id)
        .values(topics_count=Forum.topics_count + 1)
        .execution_options(synchronize_session=False)
    )
    post = add_post(topic, actor, cleaned_text, number=1, now=now, checked=checked)
    audit.record(
        "forum.topic_opened",
        actor=actor,
        scope_type="forum",
        scope_id=forum.id,
        object_type="forum_topic",
        object_id=topic.id,
    )
    db.session.commit()
    return topic, post


def set_pinned(topic: Topic, actor: User, pinned: bool) -> Topic:
    """Pin a topic above the others or unpin it (the caller has checked the actor moderates)."""
    if not _toggle(topic, Topic.pinned, pinned):
        raise Conflict(_("The topic is already pinned.") if pinned else _("The topic is not pinned."))
    _record("forum.topic_pinned" if pinned else "forum.topic_unpinned", topic, actor)
    return topic


def set_locked(topic: Topic, actor: User, locked: bool) -> Topic:
    """Lock a topic (no new replies, no edits) or open it again."""
    if not _toggle(topic, Topic.locked, locked):
        raise Conflict(_("The topic is already locked.") if locked else _("The topic is not locked."))
    _record("forum.topic_locked" if locked else "forum.topic_unlocked", topic, actor)
    return topic


def forum_topics(forum: Forum, page: int, per_page: int) -> Page[Topic]:
    """The forum's topics: pinned first, then by their last post, newest first (two queries; the
    index ix_forum_topic_forum_order serves the order)."""
    query = (
        select(Topic)
        .where(Topic.forum_id == forum.id, Topic.hidden_at.is_(None))
        .options(joinedload(Topic.author))
        .order_by(Topic.pinned.desc(), Topic.last_post_at.desc(), Topic.id.desc())
    )
    return paginate(query, page, per_page)


def _toggle(topic: Topic, column: Any, value: bool) -> bool:
    changed = rows_changed(
        update(Topic)
        .where(Topic.id == topic.id, column.is_(not value))
        .values({column.key: value})
        .execution_options(synchronize_session=False)
    )
    if not changed:
        db.session.rollback()
    else:
        bump(topic_version_key(topic.id))  # a locked topic's posts lose their «Edit» links
    return bool(changed)


def _record(action: str, topic: Topic, actor: User) -> None:
    audit.record(
        action,
        actor=actor,
        scope_type="forum",
        scope_id=topic.forum_id,
        object_type="forum_topic",
        object_id=topic.id,
    )
    db.session.commit()
    db.session.refresh(topic)
