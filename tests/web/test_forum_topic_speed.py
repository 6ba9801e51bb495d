"""The topic page at speed: its posts kept rendered (app/forums/topic_posts.py) and still right after
every change — a new post, an edited one, a hidden one, a locked topic, a renamed author — with each
reader's own links; the read mark written after the page, never by a page already read; and a
statement count that does not grow with the topic, whether the posts are kept or built."""

from __future__ import annotations

import re
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select

from app.account_services import update_profile
from app.accounts import User
from app.extensions import db
from app.timeutil import utcnow
from community.forums import moderation, posts, topics
from community.forums.models import Post, Topic, TopicRead
from tests.conftest import login
from tests.factories.accounts import teacher
from tests.factories.forum_posting import course_forum, forum, member, topic


def _html(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_statements_do_not_grow_with_the_topic_kept_or_built(app, client: FlaskClient, count_queries) -> None:  # type: ignore[no-untyped-def]
    place, made, author = course_forum()
    writers = [member(made) for _ in range(3)]
    opened, _first = topic(place, author)
    topic_id, writer_ids = opened.id, [w.id for w in writers]
    login(client, writers[0])

    def visit(path: str = f"/forums/topics/{topic_id}") -> list[str]:
        with count_queries(cold=True) as counter:
            assert client.get(path).status_code == 200
        return counter.statements

    built, kept = visit(), visit()
    assert len(_writes(built)) == 1 and not _writes(kept)  # the read mark, once
    assert len(built) <= 14 and len(kept) <= 10  # kept: no count, no page of posts, no files
    for n in range(60):
        found, writer = db.session.get(Topic, topic_id), db.session.get(User, writer_ids[n % 3])
        posts.reply(found, writer, f"Ответ {n}", now=utcnow())
    assert len(visit()) == len(built)  # the reply moved the topic's version: built again
    assert len(visit()) == len(kept)
    assert len(visit(f"/forums/topics/{topic_id}?page=2")) == len(built)
    assert len(visit(f"/forums/topics/{topic_id}?page=2")) == len(kept)


def test_a_new_post_an_edit_and_a_hidden_post_show_at_once(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    place, made, author = course_forum()
    reader, writer = member(made), member(made)
    opened, first = topic(place, author, text="Первый вариант текста")
    topic_id = opened.id
    login(client, reader)
    assert "Первый вариант" in _html(client, f"/forums/topics/{topic_id}")
    reply = posts.reply(db.session.get(Topic, topic_id), writer, "Новая мысль коллеги", now=utcnow())
    page = _html(client, f"/forums/topics/{topic_id}")
    assert "Новая мысль коллеги" in page and 'id="post-2"' in page
    posts.edit_post(
        db.session.get(Post, reply.id),
        db.session.get(Topic, topic_id),
        writer,
        "Исправленная мысль",
        now=utcnow(),
    )
    page = _html(client, f"/forums/topics/{topic_id}")
    assert "Исправленная мысль" in page and "Новая мысль" not in page and "data-edited" in page
    moderation.hide_post(
        db.session.get(Post, reply.id), db.session.get(Topic, topic_id), author, "Не по теме", now=utcnow()
    )
    page = _html(client, f"/forums/topics/{topic_id}")
    assert "Исправленная мысль" not in page and "data-hidden" in page and "Первый вариант" in page


def test_each_reader_gets_their_own_links_on_the_kept_posts(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    place, made, author = course_forum()
    anna, boris = member(made), member(made)
    opened, _first = topic(place, author)
    mine = posts.reply(db.session.get(Topic, opened.id), anna, "Мой ответ", now=utcnow())
    topic_id, mine_id = opened.id, mine.id
    login(client, boris)
    page = _html(client, f"/forums/topics/{topic_id}")  # kept from here on
    assert f"/forums/posts/{mine_id}/edit" not in page and f"/forums/posts/{mine_id}/report" in page
    client.post("/auth/logout")
    login(client, anna)
    page = _html(client, f"/forums/topics/{topic_id}")
    assert f"/forums/posts/{mine_id}/edit" in page and f"/forums/posts/{mine_id}/report" not in page
    app.config["FORUM_EDIT_MINUTES"] = 0  # the window has closed: no edit link, nothing rebuilt
    try:
        db.session.execute(
            Post.__table__.update()
            .where(Post.__table__.c.id == mine_id)
            .values(created_at=utcnow() - timedelta(minutes=5))
        )
        db.session.commit()
        page = _html(client, f"/forums/topics/{topic_id}")
        assert f"/forums/posts/{mine_id}/edit" not in page
    finally:
        app.config["FORUM_EDIT_MINUTES"] = 30


def test_locking_removes_reply_and_edit_links(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    place, made, author = course_forum()
    anna = member(made)
    opened, _first = topic(place, author)
    mine = posts.reply(db.session.get(Topic, opened.id), anna, "Мой ответ", now=utcnow())
    topic_id, mine_id = opened.id, mine.id
    login(client, anna)
    page = _html(client, f"/forums/topics/{topic_id}")
    assert f"/forums/posts/{mine_id}/edit" in page and "data-quote" in page
    topics.set_locked(db.session.get(Topic, topic_id), db.session.get(User, author.id), True)
    page = _html(client, f"/forums/topics/{topic_id}")
    assert f"/forums/posts/{mine_id}/edit" not in page and "data-quote" not in page and "data-locked" in page


def test_an_author_sees_their_own_hidden_post_and_others_do_not(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    place, made, author = course_forum()
    anna, boris = member(made), member(made)
    opened, _first = topic(place, author)
    mine = posts.reply(db.session.get(Topic, opened.id), anna, "Резкий ответ", now=utcnow())
    moderation.hide_post(mine, db.session.get(Topic, opened.id), author, "Грубость", now=utcnow())
    topic_id = opened.id
    login(client, boris)
    assert "Резкий ответ" not in _html(client, f"/forums/topics/{topic_id}")
    client.post("/auth/logout")
    login(client, anna)
    page = _html(client, f"/forums/topics/{topic_id}")
    assert "Резкий ответ" in page and "Грубость" in page


def test_a_renamed_author_is_shown_by_the_new_name(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    place = forum()
    author, reader = teacher(full_name="Анна Старая"), teacher()
    opened, _first = topic(place, author)
    topic_id = opened.id
    login(client, reader)
    assert "Анна Старая" in _html(client, f"/forums/topics/{topic_id}")
    renamed = db.session.get(User, author.id)
    update_profile(
        renamed,
        full_name="Анна Новая",
        institution_id=renamed.institution_id,
        timezone=renamed.timezone,
        locale=renamed.locale,
    )
    page = _html(client, f"/forums/topics/{topic_id}")
    assert "Анна Новая" in page and "Анна Старая" not in page


def test_the_read_mark_is_written_after_the_page_and_only_when_it_moves(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    place = forum()
    author, reader = teacher(), teacher()
    opened, _first = topic(place, author)
    for n in range(3):
        posts.reply(db.session.get(Topic, opened.id), author, f"Ответ {n}", now=utcnow())
    topic_id, reader_id = opened.id, reader.id
    login(client, reader)
    _html(client, f"/forums/topics/{topic_id}")
    mark = select(TopicRead.last_read_number).where(
        TopicRead.user_id == reader_id, TopicRead.topic_id == topic_id
    )
    assert db.session.scalar(mark) == 4
    posts.reply(db.session.get(Topic, topic_id), author, "Ещё ответ", now=utcnow())
    _html(client, f"/forums/topics/{topic_id}")
    assert db.session.scalar(mark) == 5


def test_the_kept_reply_form_carries_this_readers_token(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    place = forum()
    author, reader = teacher(), teacher()
    opened, _first = topic(place, author)
    topic_id = opened.id
    login(client, reader)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        _html(client, f"/forums/topics/{topic_id}")  # the form kept here
        page = _html(client, f"/forums/topics/{topic_id}")
        found = re.search(r'id="reply"[\s\S]*?name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert found is not None and "placeholder" not in found.group(1)
        response = client.post(
            f"/forums/topics/{topic_id}/reply", data={"text": "Ответ с формы", "csrf_token": found.group(1)}
        )
        assert response.status_code == 302
        refused = client.post(f"/forums/topics/{topic_id}/reply", data={"text": "Без ключа"})
        assert refused.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert "Ответ с формы" in _html(client, f"/forums/topics/{topic_id}")
