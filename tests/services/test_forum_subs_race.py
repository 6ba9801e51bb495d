"""Subscriptions at once, on real connections in threads (SQLite here; PostgreSQL with
TEST_DATABASE_URL): two digest jobs at once send each person's digest once; two clicks on a
subscription at once leave one row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from app.accounts import User
from app.extensions import db
from app.timeutil import utcnow
from community.subscriptions import digest, subscriptions
from community.subscriptions.models import Subscription
from tests.concurrency import at_once as _at_once
from tests.concurrency import skip_memory_database as _skip_memory_database
from tests.factories import forum_subs as f
from tests.factories.accounts import teacher


def test_two_digest_jobs_at_once_send_each_digest_once(app: Flask) -> None:
    _skip_memory_database()
    now = utcnow()
    forum = f.network_forum()
    author = teacher()
    readers = [teacher() for _n in range(12)]
    for reader in readers:
        f.subscribe(reader, "forum", forum.id, "digest")
    f.open_topic(forum, author, "Тема дня", "Текст для сводки.", now - timedelta(hours=1))
    emails = [reader.email for reader in readers]
    db.session.commit()
    db.session.close()
    outcomes = _at_once(app, [lambda: digest.send_digests(now), lambda: digest.send_digests(now)])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    sent = Counter(letter.to_address for letter in f.all_letters())
    assert sent == Counter(emails), sent


def test_two_clicks_at_once_leave_one_subscription(app: Flask) -> None:
    _skip_memory_database()
    forum = f.network_forum()
    reader = teacher()
    forum_id, user_id = forum.id, reader.id
    db.session.commit()
    db.session.close()

    def click(mode: str) -> Callable[[], object]:
        def call() -> object:
            user = db.session.get(User, user_id)
            assert user is not None
            target = subscriptions.find_target(user, "forum", forum_id)
            return str(subscriptions.subscribe(user, target, mode, now=utcnow()).mode)

        return call

    outcomes = _at_once(app, [click("each"), click("digest"), click("each")])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    rows = db.session.scalar(select(func.count()).select_from(Subscription))
    assert rows == 1
    assert str(db.session.scalar(select(Subscription.mode))) in {"each", "digest"}
