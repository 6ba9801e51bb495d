"""Forums: what each person has read — unread marks per topic, «mark all read» per forum and per place,
unread counts for the forum and topic lists, and the header's count of followed forums and topics
with something new.

A post is unread for a person when all three hold:
- its number is above their TopicRead.last_read_number for the topic (reading a page of the topic
  moves the mark up to the highest number shown: one upsert that never moves it down, so two pages
  read at once in two tabs leave the higher mark, whatever order they commit in);
- it was written after their ForumRead.read_before for the forum («mark all read»);
- it is younger than UNREAD_DAYS: older posts count as read for everyone, so a newcomer does not find
  the network's whole history unread, and every count looks only at recent activity.

The lists' counts take one query per list whatever the number of topics or forums; the header's is
one statement over the person's subscriptions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, union_all
from sqlalchemy.dialects import postgresql, sqlite

from app.accounts import User
from app.extensions import db
from community.forums.models import Forum, ForumRead, ForumScope, Post, Topic, TopicRead
from community.subscriptions.models import DeliveryMode, Subscription, SubscriptionTarget

UNREAD_DAYS = 30


def _upsert(model: Any) -> Any:
    """INSERT … ON CONFLICT for the session's database (both speak it the same way), on the table
    itself: the ORM's bulk path would not report the rows changed."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model.__table__)


def read_up_to(user_id: int, topic_id: int, number: int) -> bool:
    """Record that the person has seen the topic's posts up to `number` (the caller commits).
    One statement: a new row, or a higher mark; a lower number changes nothing. True if it moved."""
    if number < 1:
        return False
    statement = _upsert(TopicRead).values(user_id=user_id, topic_id=topic_id, last_read_number=number)
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "topic_id"],
        set_={"last_read_number": statement.excluded.last_read_number},
        where=TopicRead.__table__.c.last_read_number < statement.excluded.last_read_number,
    )
    # RETURNING says whether a row was written (psycopg reports no rowcount for an upsert).
    return db.session.execute(statement.returning(TopicRead.__table__.c.topic_id)).first() is not None


def mark_of(user_id: int, topic_id: int) -> int:
    """The person's read mark in the topic (0 before they open it): one lookup by the primary key, so
    that a page already read needs no write at all."""
    found = db.session.scalar(
        select(TopicRead.last_read_number).where(TopicRead.user_id == user_id, TopicRead.topic_id == topic_id)
    )
    return int(found or 0)


def mark_topic_read(user: User, topic: Topic) -> bool:
    """«Mark as read» on a topic: everything in it up to its last post (commits)."""
    moved = read_up_to(user.id, topic.id, topic.last_number)
    db.session.commit()
    return moved


def mark_forums_read(user: User, forums: Iterable[Forum], *, now: datetime) -> int:
    """«Mark all read» in these forums (one forum's button, or every forum of a place the person may
    read): posts written before `now` count as read. One statement; a mark never moves back (a
    slower request with an earlier `now` leaves the later mark). Commits; returns the forums marked."""
    ids = sorted({forum.id for forum in forums})
    if not ids:
        return 0
    statement = _upsert(ForumRead).values(
        [{"user_id": user.id, "forum_id": i, "read_before": now} for i in ids]
    )
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "forum_id"],
        set_={"read_before": statement.excluded.read_before},
        where=ForumRead.__table__.c.read_before < statement.excluded.read_before,
    )
    db.session.execute(statement)
    db.session.commit()
    return len(ids)


def _window(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def _topic_has_unread(user_id: int, now: datetime, days: int) -> Any:
    """The condition on Topic (joined to the person's TopicRead and ForumRead, outer) that it has a
    post the person has not read: its last post is recent, after «mark all read», and numbered above
    their mark. Hidden topics never count."""
    return and_(
        Topic.hidden_at.is_(None),
        Topic.last_post_at > _window(now, days),
        or_(ForumRead.read_before.is_(None), Topic.last_post_at > ForumRead.read_before),
        Topic.last_number > func.coalesce(TopicRead.last_read_number, 0),
    )


def _with_marks(query: Any, user_id: int) -> Any:
    return query.outerjoin(
        TopicRead, and_(TopicRead.topic_id == Topic.id, TopicRead.user_id == user_id)
    ).outerjoin(ForumRead, and_(ForumRead.forum_id == Topic.forum_id, ForumRead.user_id == user_id))


@dataclass(frozen=True)
class TopicUnread:
    first_number: int  # the first unread post: the topic's link opens its page
    count: int  # posts from the first unread one to the last (hidden ones included: they keep places)


def unread_in_topics(
    user_id: int, topic_ids: Sequence[int], *, now: datetime, days: int = UNREAD_DAYS
) -> dict[int, TopicUnread]:
    """{topic id: what is unread} for the topics of a list page that have something unread (one query
    whatever the number of topics; the first unread post is found through the (topic, number) index)."""
    ids = list(topic_ids)
    if not ids:
        return {}
    since = func.coalesce(ForumRead.read_before, _window(now, days))
    first = (
        select(func.min(Post.number))
        .where(
            Post.topic_id == Topic.id,
            Post.number > func.coalesce(TopicRead.last_read_number, 0),
            Post.created_at > since,
            Post.created_at > _window(now, days),
            Post.hidden_at.is_(None),
        )
        .correlate(Topic, TopicRead, ForumRead)
        .scalar_subquery()
    )
    query = _with_marks(select(Topic.id, Topic.last_number, first).select_from(Topic), user_id)
    rows = db.session.execute(query.where(Topic.id.in_(ids), _topic_has_unread(user_id, now, days)))
    return {
        topic_id: TopicUnread(int(number), int(last) - int(number) + 1)
        for topic_id, last, number in rows
        if number is not None
    }


def unread_topics_by_forum(
    user_id: int, forum_ids: Sequence[int], *, now: datetime, days: int = UNREAD_DAYS
) -> dict[int, int]:
    """{forum id: how many of its topics have unread posts} for a forums list (one grouped query,
    looking only at topics with recent posts)."""
    if not forum_ids:
        return {}
    query = _with_marks(select(Topic.forum_id, func.count()).select_from(Topic), user_id)
    query = query.where(Topic.forum_id.in_(list(forum_ids)), _topic_has_unread(user_id, now, days))
    return {forum_id: int(count) for forum_id, count in db.session.execute(query.group_by(Topic.forum_id))}


def followed_with_unread(user_id: int, *, now: datetime, days: int = UNREAD_DAYS) -> int:
    """For the header: how many of the forums and topics the person follows (a subscription not
    switched off; an association's subscription follows its forums) have unread posts. One statement:
    the followed forums' recent last posts first, then one index probe per such forum or topic."""
    following = select(Subscription.target, Subscription.target_id).where(
        Subscription.user_id == user_id, Subscription.mode != DeliveryMode.OFF
    )
    forum_ids = following.where(Subscription.target == SubscriptionTarget.FORUM).with_only_columns(
        Subscription.target_id
    )
    association_ids = following.where(
        Subscription.target == SubscriptionTarget.ASSOCIATION
    ).with_only_columns(Subscription.target_id)
    topic_ids = following.where(Subscription.target == SubscriptionTarget.TOPIC).with_only_columns(
        Subscription.target_id
    )
    followed_forums = select(Forum.id).where(
        Forum.last_post_at > _window(now, days),
        or_(
            Forum.id.in_(forum_ids),
            and_(Forum.scope == ForumScope.ASSOCIATION, Forum.scope_id.in_(association_ids)),
        ),
    )
    unread = _with_marks(select(Topic.forum_id.label("key")).select_from(Topic), user_id).where(
        _topic_has_unread(user_id, now, days)
    )
    forums_part = unread.where(Topic.forum_id.in_(followed_forums)).distinct()
    topics_part = _with_marks(select((-Topic.id).label("key")).select_from(Topic), user_id).where(
        Topic.id.in_(topic_ids), _topic_has_unread(user_id, now, days)
    )
    both = union_all(forums_part, topics_part).subquery()
    return int(db.session.scalar(select(func.count()).select_from(both)) or 0)
