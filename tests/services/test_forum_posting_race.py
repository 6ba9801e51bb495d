"""Replies at once, on real connections in threads (SQLite here; PostgreSQL with TEST_DATABASE_URL):
each reply gets its own number, in the order the topic's row gave them, and every one is stored and
counted; two moderators hiding one post at once hide it once."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import select

from app.accounts import User
from app.audit import AuditEntry
from app.extensions import db
from app.timeutil import utcnow
from community.forums import moderation, posts
from community.forums.models import Forum, Post, Topic
from tests.concurrency import at_once as _at_once
from tests.concurrency import skip_memory_database as _skip_memory_database
from tests.factories.accounts import methodist, teacher
from tests.factories.forum_posting import forum, topic


def _reply(topic_id: int, user_id: int, text: str) -> Callable[[], object]:
    def call() -> object:
        found, user = db.session.get(Topic, topic_id), db.session.get(User, user_id)
        assert found is not None and user is not None
        return posts.reply(found, user, text, now=utcnow()).number

    return call


def test_replies_at_once_get_consecutive_numbers_and_all_are_stored(app: Flask) -> None:
    _skip_memory_database()
    place = forum()
    opened, _first = topic(place, teacher())
    writers = [teacher() for _ in range(6)]
    topic_id, forum_id, ids = opened.id, place.id, [w.id for w in writers]
    db.session.commit()
    db.session.close()
    outcomes = _at_once(app, [_reply(topic_id, user_id, f"Ответ {n}") for n, user_id in enumerate(ids)])
    assert sorted(outcomes) == [2, 3, 4, 5, 6, 7], outcomes  # type: ignore[type-var]
    rows = db.session.execute(select(Post.number, Post.author_id, Post.text).order_by(Post.number)).all()
    assert [number for number, _author, _text in rows] == list(range(1, 8))
    assert {author for _number, author, _text in rows[1:]} == set(ids)
    stored = db.session.get(Topic, topic_id)
    counted = db.session.get(Forum, forum_id)
    assert stored is not None and counted is not None
    assert (stored.last_number, stored.posts_count, counted.posts_count, counted.topics_count) == (7, 7, 7, 1)


def test_two_replies_keep_the_order_they_reached_the_topic(app: Flask) -> None:
    _skip_memory_database()
    opened, _first = topic(forum(), teacher())
    a, b = teacher(), teacher()
    topic_id, a_id, b_id = opened.id, a.id, b.id
    db.session.commit()
    db.session.close()
    outcomes = _at_once(app, [_reply(topic_id, a_id, "Первый"), _reply(topic_id, b_id, "Второй")])
    assert sorted(outcomes) == [2, 3]  # type: ignore[type-var]
    numbers = db.session.scalars(select(Post.number).order_by(Post.id)).all()
    assert numbers == [1, 2, 3]  # the row written first holds the lower number
    logged = db.session.scalars(
        select(AuditEntry.details).where(AuditEntry.action == "forum.post_created").order_by(AuditEntry.id)
    ).all()
    assert [entry["number"] for entry in logged] == [2, 3]  # the one committed first came first


def test_two_moderators_hiding_one_post_at_once_hide_it_once(app: Flask) -> None:
    _skip_memory_database()
    place = forum()
    opened, _first = topic(place, teacher())
    reply = posts.reply(opened, teacher(), "Спам", now=utcnow())
    first, second = methodist(), methodist()
    ids = reply.id, opened.id, place.id, first.id, second.id
    db.session.commit()
    db.session.close()

    def hide(user_id: int) -> Callable[[], object]:
        def call() -> object:
            post, found = db.session.get(Post, ids[0]), db.session.get(Topic, ids[1])
            user = db.session.get(User, user_id)
            assert post is not None and found is not None and user is not None
            return moderation.hide_post(post, found, user, "Реклама", now=utcnow()).id

        return call

    outcomes = _at_once(app, [hide(ids[3]), hide(ids[4])])
    assert sum(1 for o in outcomes if o == ids[0]) == 1, outcomes
    stored, counted = db.session.get(Topic, ids[1]), db.session.get(Forum, ids[2])
    assert stored is not None and counted is not None
    assert (stored.posts_count, counted.posts_count) == (1, 1)
