"""Subscriptions: what a person follows, for their subscriptions page, the API and the subscribe
control of a forum, topic or association page — their rows plus the news of every course they are
in (forced: listed whether or not they ever chose a mode). A fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.accounts import User
from app.extensions import db
from community.associations.models import Association
from community.forums.models import Forum, ForumKind, Topic
from community.subscriptions import rules
from community.subscriptions.access import place_access
from community.subscriptions.models import Subscription, SubscriptionTarget
from community.subscriptions.subscriptions import Target, is_member


@dataclass(frozen=True)
class Entry:
    target: str
    target_id: int
    title: str
    forum: Forum | None  # the forum (a topic's forum); None for an association
    mode: str
    forced: bool


def my_subscriptions(user: User) -> list[Entry]:
    """Course news first, then the person's other subscriptions, oldest first (five queries)."""
    rows = list(
        db.session.scalars(
            select(Subscription)
            .where(Subscription.user_id == user.id)
            .order_by(Subscription.created_at, Subscription.id)
        )
    )
    chosen = {(str(row.target), row.target_id): row for row in rows}
    news = list(db.session.scalars(place_access().news_forums(user.id).order_by(Forum.id)))
    wanted = {row.target_id for row in rows if row.target == SubscriptionTarget.FORUM}
    forums = (
        {f.id: f for f in db.session.scalars(select(Forum).where(Forum.id.in_(wanted)))} if wanted else {}
    )
    topic_ids = {row.target_id for row in rows if row.target == SubscriptionTarget.TOPIC}
    topics = {
        topic.id: (topic, forum)
        for topic, forum in db.session.execute(
            select(Topic, Forum).join(Forum, Forum.id == Topic.forum_id).where(Topic.id.in_(topic_ids))
        )
    }
    association_ids = {row.target_id for row in rows if row.target == SubscriptionTarget.ASSOCIATION}
    names: dict[int, str] = {
        row[0]: row[1]
        for row in db.session.execute(
            select(Association.id, Association.name).where(Association.id.in_(association_ids))
        )
    }
    entries = []
    for forum in news:
        row = chosen.get(("forum", forum.id))
        mode = str(row.mode) if row is not None and str(row.mode) != rules.OFF else rules.FORCED_DEFAULT
        entries.append(Entry("forum", forum.id, forum.title, forum, mode, True))
    listed = {forum.id for forum in news}
    for row in rows:
        entry = _entry(row, forums, topics, names, listed)
        if entry is not None:
            entries.append(entry)
    return entries


def state(user: User, target: str, target_id: int, forum: Forum | None = None) -> tuple[str, bool]:
    """(mode, forced) of one target for the person's subscribe control: a course's news is forced
    for its people (each by default)."""
    row = db.session.scalar(
        select(Subscription).where(
            Subscription.user_id == user.id,
            Subscription.target == SubscriptionTarget(target),
            Subscription.target_id == target_id,
        )
    )
    forced = row.forced if row is not None else False
    if row is None and forum is not None and forum.kind == ForumKind.NEWS and target != "association":
        forced = is_member(forum, user.id)
    mode = str(row.mode) if row is not None else rules.OFF
    if forced and mode == rules.OFF:
        mode = rules.FORCED_DEFAULT
    return mode, forced


def _entry(
    row: Subscription,
    forums: dict[int, Forum],
    topics: dict[int, tuple[Topic, Forum]],
    names: dict[int, str],
    listed: set[int],
) -> Entry | None:
    mode = str(row.mode)
    if row.target == SubscriptionTarget.FORUM:
        forum = forums.get(row.target_id)
        if forum is None or forum.id in listed:
            return None
        return Entry("forum", forum.id, forum.title, forum, mode, row.forced)
    if row.target == SubscriptionTarget.TOPIC:
        found = topics.get(row.target_id)
        if found is None or found[0].hidden_at is not None:
            return None
        return Entry("topic", row.target_id, found[0].title, found[1], mode, row.forced)
    name = names.get(row.target_id)
    return None if name is None else Entry("association", row.target_id, name, None, mode, False)


def title_of(target: Target) -> str:
    """The forum's or topic's title, or the association's name."""
    if target.kind == "topic":
        topic = db.session.get(Topic, target.id)
        return topic.title if topic is not None else ""
    if target.kind == "association":
        association = db.session.get(Association, target.id)
        return association.name if association is not None else ""
    return target.forum.title
