"""Forum pages: the forum's topics, a topic's posts, opening a topic, replying with a quote, editing,
and each refusal (unreadable 404, unwritable 403, locked 409, window closed 409, empty 422); the
forum page's query count does not grow with the forum."""

from __future__ import annotations

import io
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from app.accounts import User
from app.extensions import db
from app.timeutil import utcnow
from community.forums import moderation, posts, topics
from community.forums.models import Forum, ForumKind, Post, PostAttachment, Topic
from tests.conftest import login
from tests.factories.accounts import teacher
from tests.factories.forum_posting import course_forum, forum, member, topic


def _html(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def test_a_member_opens_a_topic_and_a_colleague_replies_with_a_quote(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    place, made, _author = course_forum()
    anna, boris = member(made, user=teacher(full_name="Анна Петрова")), member(made)
    login(client, anna)
    assert client.get(f"/forums/{place.id}").status_code == 200
    response = client.post(
        f"/forums/{place.id}/topics/new",
        data={
            "title": "Дроби",
            "text": "Как **объяснить**?",
            "files": (io.BytesIO(b"%PDF-1.4 x"), "план.pdf"),
        },
        content_type="multipart/form-data",
    )
    opened = db.session.scalar(select(Topic))
    assert response.status_code == 302 and response.location.endswith(f"/forums/topics/{opened.id}")
    page = _html(client.get(f"/forums/topics/{opened.id}"))
    assert "<strong>объяснить</strong>" in page and "план.pdf" in page and "Анна Петрова" in page
    first = db.session.scalar(select(Post))
    client.post("/auth/logout")
    login(client, boris)
    form = _html(client.get(f"/forums/topics/{opened.id}/reply?quote={first.id}"))
    assert "&gt; **Анна Петрова пишет в сообщении №1:**" in form
    quoted = "> **Анна Петрова пишет в сообщении №1:**\n> Как **объяснить**?\n\nЧерез пиццу."
    response = client.post(
        f"/forums/topics/{opened.id}/reply", data={"text": quoted, "reply_to": str(first.id)}
    )
    assert response.status_code == 302 and response.location.endswith("#post-2")
    page = _html(client.get(f"/forums/topics/{opened.id}"))
    assert "<blockquote>" in page and "Через пиццу." in page and "№1" in page
    listing = _html(client.get(f"/forums/{place.id}"))
    assert "Дроби" in listing and f'href="/forums/course/{made.id}"' in _html(
        client.get(f"/forums/{place.id}")
    )


def test_an_outsider_gets_404_and_a_reader_of_news_gets_403(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    news, made, author = course_forum(ForumKind.NEWS)
    opened, first = topic(news, author, "Старт курса", "Курс начинается в понедельник.")
    login(client, teacher())  # not in the course
    for path in (f"/forums/{news.id}", f"/forums/topics/{opened.id}", f"/forums/posts/{first.id}"):
        assert client.get(path).status_code == 404
    assert client.post(f"/forums/topics/{opened.id}/reply", data={"text": "Я тоже"}).status_code == 404
    client.post("/auth/logout")
    login(client, member(made))  # a student reads the news, does not write
    assert client.get(f"/forums/topics/{opened.id}").status_code == 200
    assert client.get(f"/forums/{news.id}/topics/new").status_code == 403
    assert client.post(f"/forums/{news.id}/topics/new", data={"title": "Т", "text": "Т"}).status_code == 403
    assert client.post(f"/forums/topics/{opened.id}/reply", data={"text": "Вопрос"}).status_code == 403
    assert client.post(f"/forums/topics/{opened.id}/lock").status_code == 403
    assert client.post(f"/forums/posts/{first.id}/hide", data={"reason": "x"}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1


def test_bad_input_is_shown_by_its_field_with_422(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    place = forum()
    anna = teacher()
    opened, _first = topic(place, anna)
    login(client, anna)
    response = client.post(f"/forums/{place.id}/topics/new", data={"title": "", "text": ""})
    assert response.status_code == 422 and "Дайте теме название." in _html(response)
    response = client.post(f"/forums/topics/{opened.id}/reply", data={"text": "я" * 20_001})
    assert response.status_code == 422 and "не больше 20000" in _html(response).lower().replace("\xa0", "")
    response = client.post(
        f"/forums/topics/{opened.id}/reply",
        data={"text": "Файл", "files": (io.BytesIO(b"MZ"), "setup.exe")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "exe" in _html(response)
    response = client.post(f"/forums/topics/{opened.id}/reply", data={"text": "Ответ", "reply_to": "abc"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1


def test_locked_topic_and_closed_edit_window_are_409(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    place = forum()
    anna = teacher()
    opened, first = topic(place, anna)
    topics.set_locked(opened, anna, True)
    login(client, anna)
    assert client.post(f"/forums/topics/{opened.id}/reply", data={"text": "Ещё"}).status_code == 409
    assert "Тема закрыта" in _html(client.get(f"/forums/topics/{opened.id}"))
    topics.set_locked(opened, anna, False)
    response = client.post(f"/forums/posts/{first.id}/edit", data={"text": "Правка"})
    assert response.status_code == 302
    first.created_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    response = client.post(f"/forums/posts/{first.id}/edit", data={"text": "Поздняя правка"})
    assert response.status_code == 409 and "30 минут" in _html(response)
    client.post("/auth/logout")
    login(client, teacher())
    assert client.get(f"/forums/posts/{first.id}/edit").status_code == 403


def test_the_edit_window_follows_the_setting(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    opened, first = topic(forum(), anna := teacher())
    first.created_at = utcnow() - timedelta(minutes=3)
    db.session.commit()
    app.config["FORUM_EDIT_MINUTES"] = 2
    try:
        login(client, anna)
        assert client.post(f"/forums/posts/{first.id}/edit", data={"text": "Правка"}).status_code == 409
    finally:
        app.config["FORUM_EDIT_MINUTES"] = 30


def test_qa_answers_stay_hidden_until_the_readers_own(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    qa, made, author = course_forum(ForumKind.QA)
    question, _opening = topic(qa, author, "Задача недели", "Найдите площадь треугольника.")
    first, second = member(made), member(made)
    answer = posts.reply(question, first, "Двенадцать квадратных сантиметров", now=utcnow())
    login(client, second)
    page = _html(client.get(f"/forums/topics/{question.id}"))
    assert "Найдите площадь" in page and "Двенадцать" not in page and "data-withheld" in page
    assert client.get(f"/forums/posts/{answer.id}").status_code == 404
    assert client.get(f"/forums/topics/{question.id}/reply?quote={answer.id}").status_code == 200
    client.post(f"/forums/topics/{question.id}/reply", data={"text": "Двенадцать"})
    assert "Двенадцать квадратных" in _html(client.get(f"/forums/topics/{question.id}"))


def test_forum_page_queries_do_not_grow_with_the_forum(app, client: FlaskClient, count_queries) -> None:  # type: ignore[no-untyped-def]
    """(The topic page's count: tests/web/test_forum_topic_speed.py.)"""
    place, made, author = course_forum()
    reader = member(made)
    topic(place, author)
    forum_id, author_id = place.id, author.id
    login(client, reader)
    with count_queries(cold=True) as counter:
        assert client.get(f"/forums/{forum_id}").status_code == 200
    forum_page = counter.count
    for n in range(40):
        place, author = db.session.get(Forum, forum_id), db.session.get(User, author_id)
        topics.open_topic(place, author, f"Тема {n}", "Текст", now=utcnow())
    with count_queries(cold=True) as counter:
        assert client.get(f"/forums/{forum_id}").status_code == 200
    assert counter.count == forum_page


def test_attachments_download_for_readers_only_and_not_from_a_hidden_post(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    place, made, author = course_forum()
    writer = member(made)
    opened, _first = topic(place, author)
    plan = FileStorage(stream=io.BytesIO(b"%PDF-1.4 plan"), filename="план.pdf")
    shared = posts.reply(opened, writer, "План", now=utcnow(), files=[plan])
    attachment_id = db.session.scalar(select(PostAttachment.id))
    login(client, member(made))
    response = client.get(f"/forums/files/{attachment_id}")
    assert response.status_code == 200 and response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data == b"%PDF-1.4 plan"
    moderation.hide_post(shared, opened, author, "Не тот файл", now=utcnow())
    assert client.get(f"/forums/files/{attachment_id}").status_code == 404
    client.post("/auth/logout")
    login(client, teacher())  # outside the course
    assert client.get(f"/forums/files/{attachment_id}").status_code == 404
    client.post("/auth/logout")
    login(client, writer)
    assert client.get(f"/forums/files/{attachment_id}").status_code == 200
