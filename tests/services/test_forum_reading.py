"""Read marks: a new post after reading is unread, «mark all read» per forum and per place, old posts
count as read, marks never move back (also at once, on real connections), unread counts for lists and
the header in a fixed number of queries whatever the number of topics or forums."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.timeutil import utcnow
from community.forums import reading
from community.forums.models import ForumRead, TopicRead
from community.subscriptions.models import DeliveryMode, Subscription, SubscriptionTarget
from tests.factories.accounts import teacher
from tests.factories.forums import forum, post, topic

pytestmark = pytest.mark.usefixtures("app")


def _mark(user_id: int, topic_id: int) -> int | None:
    return db.session.scalar(
        select(TopicRead.last_read_number).where(TopicRead.user_id == user_id, TopicRead.topic_id == topic_id)
    )


def test_a_new_post_after_reading_is_unread_from_that_post() -> None:
    reader, author = teacher(), teacher()
    place = forum()
    subject = topic(place, author, texts=("Первый", "Второй", "Третий"))
    now = utcnow()
    assert reading.unread_in_topics(reader.id, [subject.id], now=now) == {
        subject.id: reading.TopicUnread(1, 3)
    }
    reading.read_up_to(reader.id, subject.id, 3)
    db.session.commit()
    assert reading.unread_in_topics(reader.id, [subject.id], now=now) == {}
    post(subject, author, "Четвёртый")
    db.session.commit()
    assert reading.unread_in_topics(reader.id, [subject.id], now=utcnow()) == {
        subject.id: reading.TopicUnread(4, 1)
    }
    assert reading.unread_topics_by_forum(reader.id, [place.id], now=utcnow()) == {place.id: 1}


def test_reading_an_earlier_page_never_moves_the_mark_back() -> None:
    reader, author = teacher(), teacher()
    subject = topic(forum(), author, texts=tuple(f"Сообщение {i}" for i in range(1, 41)))
    assert reading.read_up_to(reader.id, subject.id, 40) is True
    assert reading.read_up_to(reader.id, subject.id, 20) is False
    assert reading.read_up_to(reader.id, subject.id, 0) is False
    db.session.commit()
    assert _mark(reader.id, subject.id) == 40


def test_mark_all_read_in_a_forum_and_in_a_place() -> None:
    reader, author = teacher(), teacher()
    first, second = forum(), forum()
    old = utcnow() - timedelta(hours=2)
    topic(first, author, texts=("Раз", "Два"), at=old)
    late = topic(second, author, texts=("Три",), at=old)
    now = utcnow()
    assert reading.unread_topics_by_forum(reader.id, [first.id, second.id], now=now) == {
        first.id: 1,
        second.id: 1,
    }
    assert reading.mark_forums_read(reader, [first], now=now) == 1
    assert reading.unread_topics_by_forum(reader.id, [first.id, second.id], now=now) == {second.id: 1}
    reading.mark_forums_read(reader, [first, second], now=now)
    assert reading.unread_topics_by_forum(reader.id, [first.id, second.id], now=now) == {}
    later = now + timedelta(minutes=5)
    post(late, author, "После отметки", at=later)
    db.session.commit()
    assert reading.unread_in_topics(reader.id, [late.id], now=later) == {late.id: reading.TopicUnread(2, 1)}
    # A slower request with an earlier time leaves the later mark.
    reading.mark_forums_read(reader, [second], now=now - timedelta(hours=1))
    assert db.session.scalar(select(ForumRead.read_before).where(ForumRead.forum_id == second.id)) == now


def test_posts_older_than_the_window_count_as_read_and_hidden_ones_are_not_first() -> None:
    reader, author = teacher(), teacher()
    place = forum()
    topic(place, author, texts=("Давно",), at=utcnow() - timedelta(days=reading.UNREAD_DAYS + 1))
    fresh = topic(place, author, texts=("Вопрос",), at=utcnow() - timedelta(hours=1))
    post(fresh, author, "Скрытый ответ", hidden=True)
    post(fresh, author, "Видимый ответ")
    db.session.commit()
    reading.read_up_to(reader.id, fresh.id, 1)
    db.session.commit()
    assert reading.unread_topics_by_forum(reader.id, [place.id], now=utcnow()) == {place.id: 1}
    assert reading.unread_in_topics(reader.id, [fresh.id], now=utcnow()) == {
        fresh.id: reading.TopicUnread(3, 1)
    }


def test_hidden_topics_never_count() -> None:
    reader, author = teacher(), teacher()
    place = forum()
    topic(place, author, hidden=True)
    db.session.commit()
    assert reading.unread_topics_by_forum(reader.id, [place.id], now=utcnow()) == {}


def test_mark_topic_read_reads_to_its_last_post() -> None:
    reader, author = teacher(), teacher()
    subject = topic(forum(), author, texts=("А", "Б", "В"))
    db.session.commit()
    assert reading.mark_topic_read(reader, subject) is True
    assert _mark(reader.id, subject.id) == 3
    assert reading.mark_topic_read(reader, subject) is False


def _follow(
    user_id: int, target: SubscriptionTarget, target_id: int, mode: DeliveryMode = DeliveryMode.EACH
) -> None:
    db.session.add(Subscription(user_id=user_id, target=target, target_id=target_id, mode=mode))


def test_header_counts_followed_forums_and_topics_with_unread_posts() -> None:
    reader, author = teacher(), teacher()
    followed, quiet, switched_off, other = forum(), forum(), forum(), forum()
    topic(followed, author)
    topic(followed, author, title="Вторая тема")
    topic(switched_off, author)
    watched = topic(other, author, title="Тема, за которой слежу")
    topic(quiet, author, at=utcnow() - timedelta(days=reading.UNREAD_DAYS + 2))
    _follow(reader.id, SubscriptionTarget.FORUM, followed.id)
    _follow(reader.id, SubscriptionTarget.FORUM, quiet.id, DeliveryMode.DIGEST)
    _follow(reader.id, SubscriptionTarget.FORUM, switched_off.id, DeliveryMode.OFF)
    _follow(reader.id, SubscriptionTarget.TOPIC, watched.id)
    db.session.commit()
    assert reading.followed_with_unread(reader.id, now=utcnow()) == 2  # the forum (once) and the topic
    reading.mark_topic_read(reader, watched)
    assert reading.followed_with_unread(reader.id, now=utcnow()) == 1
    reading.mark_forums_read(reader, [followed], now=utcnow())
    assert reading.followed_with_unread(reader.id, now=utcnow()) == 0


def _world(forums: int, topics_each: int) -> tuple[int, list[int], list[int]]:
    reader, author = teacher(), teacher()
    places = [forum() for _ in range(forums)]
    made = [topic(place, author, title=f"Тема {i}").id for place in places for i in range(topics_each)]
    for place in places:
        _follow(reader.id, SubscriptionTarget.FORUM, place.id)
    db.session.commit()
    return reader.id, [place.id for place in places], made


@pytest.mark.parametrize("size", [(1, 1), (6, 8)])
def test_unread_counts_take_fixed_queries_whatever_the_size(size: tuple[int, int], count_queries) -> None:  # type: ignore[no-untyped-def]
    reader_id, forum_ids, made = _world(*size)
    now = utcnow()
    with count_queries() as counter:
        by_topic = reading.unread_in_topics(reader_id, made, now=now)
        by_forum = reading.unread_topics_by_forum(reader_id, forum_ids, now=now)
        header = reading.followed_with_unread(reader_id, now=now)
    assert counter.count == 3
    assert len(by_topic) == len(made) and sum(by_forum.values()) == len(made) and header == len(forum_ids)


def test_two_readers_of_one_mark_at_once_leave_the_higher_number(app: Flask) -> None:
    if db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file database or a server")
    reader, author = teacher(), teacher()
    subject = topic(forum(), author, texts=tuple(f"Сообщение {i}" for i in range(1, 61)))
    reader_id, topic_id = reader.id, subject.id
    db.session.commit()  # nothing held open while the threads write
    numbers = [20, 60, 40, 10, 50, 30]
    barrier = threading.Barrier(len(numbers))
    errors: list[BaseException] = []

    def read(number: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                reading.read_up_to(reader_id, topic_id, number)
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=read, args=(n,)) for n in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.expire_all()
    assert _mark(reader_id, topic_id) == 60
    assert db.session.query(TopicRead).count() == 1
