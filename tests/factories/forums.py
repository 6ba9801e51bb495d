"""Forum rows for tests that need many of them fast (reading, search, counts): a forum, a topic with
its posts, one more post — written directly, with numbers, counters and last-post times consistent
as the posting services keep them, and each post indexed for search (`index_post`). Hidden posts
keep their numbers and are left out of the visible counters, as moderation does."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from markupsafe import escape

from app.accounts import User
from app.cache_versions import bump
from app.extensions import db
from app.timeutil import utcnow
from community.forums.models import Forum, ForumKind, ForumScope, Post, Topic, topic_version_key
from community.forums.search import index_post

_slots = itertools.count(1)


def forum(
    scope: ForumScope = ForumScope.NETWORK,
    scope_id: int = 0,
    kind: ForumKind = ForumKind.DISCUSSION,
    title: str = "Форум учителей",
) -> Forum:
    """A forum of the place in a slot of its own (never the place's default forums)."""
    row = Forum(scope=scope, scope_id=scope_id, slot=f"f-{next(_slots)}", kind=kind, title=title)
    db.session.add(row)
    db.session.flush()
    return row


def topic(
    forum_: Forum,
    author: User,
    title: str = "Как объяснить дроби",
    texts: tuple[str, ...] = ("Поделитесь опытом.",),
    *,
    at: datetime | None = None,
    hidden: bool = False,
) -> Topic:
    """A topic whose posts (numbered from 1, a minute apart, from `at`) are `texts`, all by `author`."""
    start = at or utcnow() - timedelta(minutes=len(texts))
    row = Topic(forum_id=forum_.id, author_id=author.id, title=title, created_at=start, last_post_at=start)
    if hidden:
        row.hidden_at = start
    db.session.add(row)
    db.session.flush()
    forum_.topics_count = (forum_.topics_count or 0) + 1
    for i, text in enumerate(texts):
        post(row, author, text, at=start + timedelta(minutes=i))
    return row


def post(
    topic_: Topic,
    author: User,
    text: str = "Согласна с коллегой.",
    *,
    at: datetime | None = None,
    hidden: bool = False,
) -> Post:
    """The topic's next post (its number taken from the topic), counted in the topic and its forum."""
    when = at or utcnow()
    topic_.last_number = (topic_.last_number or 0) + 1
    row = Post(topic_id=topic_.id, number=topic_.last_number, author_id=author.id, text=text, created_at=when)
    row.html = f"<p>{escape(text)}</p>"
    if hidden:
        row.hidden_at, row.hidden_reason = when, "Нарушение правил"
    else:
        topic_.posts_count = (topic_.posts_count or 0) + 1
    topic_.last_post_at = max(topic_.last_post_at or when, when)
    db.session.add(row)
    db.session.flush()
    bump(topic_version_key(topic_.id))  # as the posting service does: the topic's pages show it
    forum_ = db.session.get(Forum, topic_.forum_id)
    if forum_ is not None:
        forum_.posts_count = (forum_.posts_count or 0) + (0 if hidden else 1)
        forum_.last_post_at = max(forum_.last_post_at or when, when)
    index_post(row)
    return row
