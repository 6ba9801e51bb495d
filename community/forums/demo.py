"""Demo forums for `flask demo`: the network's general forum and each demo association's forum with
topics and replies in the teachers' words (community/forums/demo_data.py), written through the
forums' own services so counters, numbering, search and read marks are what a real network has.

Runs after the library's part, which makes the associations; finds them by name. Idempotent: a
topic already in its forum (by title) is left as it is, with its replies.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.demo import demo_user
from app.extensions import db
from app.timeutil import utcnow
from community.associations import membership
from community.associations.models import Association
from community.forums import demo_data, places
from community.forums.models import Forum, ForumScope, Topic
from community.forums.posts import reply
from community.forums.topics import open_topic, set_pinned
from community.library import demo_data as library_data


def load_forums() -> list[str]:
    """The network forum and the associations' forums; the lines `flask demo` prints."""
    lines = []
    network = places.network_forum()
    added = write_topics(network, demo_data.TOPICS["network"])
    _pin(network)
    lines.append(f"Forums: network forum, {added} new topics")
    for key, (name, *_rest) in library_data.ASSOCIATIONS.items():
        association = db.session.scalar(select(Association).where(Association.name == name))
        if association is None:
            lines.append(f"Forums: association «{name}» is missing (load the library's part first)")
            continue
        _join(association, demo_data.JOINING.get(key, ()))
        forum = _association_forum(association.id)
        added = write_topics(forum, demo_data.TOPICS.get(key, ()))
        lines.append(f"Forums: «{name}», {added} new topics")
    return lines


def write_topics(forum: Forum, topics: tuple[demo_data.DemoTopic, ...]) -> int:
    """Open each topic missing from the forum and add its replies, dated in the past; returns how
    many topics were opened."""
    existing = set(db.session.scalars(select(Topic.title).where(Topic.forum_id == forum.id)))
    added = 0
    for email, title, text, days_ago, replies in topics:
        if title in existing:
            continue
        when = utcnow() - timedelta(days=days_ago)
        topic, first = open_topic(forum, demo_user(email), title, text, now=when)
        numbers = {1: first.id}
        for author_email, reply_text, hours, quoted in replies:
            when = _not_after_now(when + timedelta(hours=hours))
            author = demo_user(author_email)
            quoted_post = numbers.get(quoted)
            post = reply(
                topic,
                author,
                reply_text,
                now=when,
                reply_to_id=quoted_post,
                quote_author=_author_name(topic, quoted) if quoted_post else None,
            )
            numbers[post.number] = post.id
        added += 1
    return added


def _association_forum(association_id: int) -> Forum:
    forums = places.ensure_place_forums(ForumScope.ASSOCIATION, association_id)
    return next(forum for forum in forums if forum.slot == places.GENERAL)


def _join(association: Association, emails: tuple[str, ...]) -> None:
    """Colleagues of other schools join the network-wide association (once)."""
    for email in emails:
        person = demo_user(email)
        if membership.membership(association.id, person.id) is None:
            membership.join(association, person, now=utcnow())


def _pin(forum: Forum) -> None:
    topic = db.session.scalar(
        select(Topic).where(
            Topic.forum_id == forum.id, Topic.title == demo_data.PINNED, Topic.pinned.is_(False)
        )
    )
    if topic is not None:
        set_pinned(topic, demo_user(demo_data.METHODIST), True)


def _author_name(topic: Topic, number: int) -> str:
    """The quoted post's author as readers see them (the demo forums show names)."""
    for email, title, _text, _days, replies in _all_topics():
        if title == topic.title:
            authors = [email, *(r[0] for r in replies)]
            return demo_user(authors[number - 1]).full_name
    return ""


def _all_topics() -> list[demo_data.DemoTopic]:
    return [topic for topics in demo_data.TOPICS.values() for topic in topics]


def _not_after_now(when: datetime) -> datetime:
    return min(when, utcnow() - timedelta(minutes=5))
