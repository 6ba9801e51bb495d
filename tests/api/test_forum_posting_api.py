"""The posting API: POST /forums/{id}/topics, POST and GET /topics/{id}/posts, PATCH /posts/{id},
POST /posts/{id}/report, and the moderators' hide and pin/lock — with each refusal the issue names."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.timeutil import utcnow
from app.uploads import StoredFile
from community.forums import posts
from community.forums.models import ForumKind, Post, PostRevision
from tests.factories.accounts import admin, juror, methodist, organiser, student, teacher
from tests.factories.forum_posting import course_forum, forum, member, topic


def _posts() -> int:
    return db.session.scalar(select(func.count()).select_from(Post)) or 0


def test_open_a_topic_reply_read_and_edit(app, api) -> None:  # type: ignore[no-untyped-def]
    place, anna, boris = forum(), teacher(full_name="Анна Петрова"), teacher()
    response = api(anna).post(f"/forums/{place.id}/topics", {"title": "Дроби", "text": "Как *объяснить*?"})
    assert response.status_code == 201, response.json
    topic_id, first_id = response.json["id"], response.json["post_id"]
    reply = api(boris).post(
        f"/topics/{topic_id}/posts", {"text": "Через пиццу.", "reply_to": first_id, "quote": True}
    )
    assert reply.status_code == 201
    assert reply.json["number"] == 2 and reply.json["reply_to"] == first_id
    assert reply.json["text"].startswith("> **Анна Петрова пишет в сообщении №1:**\n> Как *объяснить*?")
    listed = api(anna).get(f"/topics/{topic_id}/posts?per_page=1&page=2")
    assert listed.status_code == 200
    assert (listed.json["total"], listed.json["page"], listed.json["per_page"]) == (2, 2, 1)
    assert [p["number"] for p in listed.json["items"]] == [2]
    assert listed.json["topic"]["posts_count"] == 2
    edited = api(anna).request("PATCH", f"/posts/{first_id}", {"text": "Как объяснить дроби?"})
    assert edited.status_code == 200 and edited.json["edited_at"] and edited.json["editable_until"]
    assert db.session.scalars(select(PostRevision.text)).all() == ["Как *объяснить*?"]


def test_multipart_reply_with_files_and_a_refused_file_leaves_nothing(app, api, client) -> None:  # type: ignore[no-untyped-def]
    place, anna = forum(), teacher()
    opened, _first = topic(place, anna)
    caller = api(anna)
    ok = caller.post(
        f"/topics/{opened.id}/posts",
        data={"text": "План", "files": (io.BytesIO(b"%PDF-1.4 plan"), "план.pdf")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 201 and ok.json["files"][0]["name"] == "план.pdf"
    assert client.get(ok.json["files"][0]["url"].replace("http://localhost", "")).status_code in (302, 401)
    refused = caller.post(
        f"/topics/{opened.id}/posts",
        data={"text": "Фото", "files": (io.BytesIO(b"<html>"), "фото.png")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422 and "files" in refused.json["error"]["fields"]
    big = caller.post(
        f"/topics/{opened.id}/posts",
        data={"text": "Архив", "files": (io.BytesIO(b"PK\x03\x04" + b"0" * (10 * 1024 * 1024)), "архив.zip")},
        content_type="multipart/form-data",
    )
    assert big.status_code == 422
    assert _posts() == 2 and db.session.scalar(select(func.count()).select_from(StoredFile)) == 1


def test_refusals_404_403_409_422(app, api) -> None:  # type: ignore[no-untyped-def]
    news, made, author = course_forum(ForumKind.NEWS)
    opened, first = topic(news, author)
    outsider, pupil = teacher(), member(made)
    assert api(outsider).post(f"/forums/{news.id}/topics", {"title": "Т", "text": "Т"}).status_code == 404
    assert api(outsider).post(f"/topics/{opened.id}/posts", {"text": "Т"}).status_code == 404
    assert api(outsider).get(f"/topics/{opened.id}/posts").status_code == 404
    assert api(outsider).post(f"/posts/{first.id}/report", {}).status_code == 404
    assert api().post(f"/topics/{opened.id}/posts", {"text": "Т"}).status_code == 401
    refused = api(pupil).post(f"/forums/{news.id}/topics", {"title": "Т", "text": "Т"})
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    assert api(pupil).post(f"/topics/{opened.id}/posts", {"text": "Вопрос"}).status_code == 403
    assert api(pupil).request("PATCH", f"/posts/{first.id}", {"text": "Чужое"}).status_code == 403
    assert api(pupil).post(f"/posts/{first.id}/hide", {"reason": "x"}).status_code == 403
    assert api(pupil).request("PATCH", f"/topics/{opened.id}", {"locked": True}).status_code == 403
    assert api(author).request("PATCH", f"/topics/{opened.id}", {"locked": True}).json["locked"] is True
    discussion = forum()
    talk, _opening = topic(discussion, author)
    writer = teacher()
    for body in ({"text": ""}, {"text": "я" * 20_001}, {}, {"text": 5}, {"text": "ок", "reply_to": 2**40}):
        response = api(writer).post(f"/topics/{talk.id}/posts", body)
        assert response.status_code == 422, body
        assert response.json["error"]["fields"]
    assert (
        api(writer).post(f"/topics/{talk.id}/posts", {"text": "ок", "reply_to": first.id}).status_code == 422
    )
    api(methodist()).request("PATCH", f"/topics/{talk.id}", {"locked": True})
    locked = api(writer).post(f"/topics/{talk.id}/posts", {"text": "Поздно"})
    assert locked.status_code == 409 and locked.json["error"]["code"] == "conflict"
    assert _posts() == 2


def test_edit_after_the_window_is_409(app, api) -> None:  # type: ignore[no-untyped-def]
    opened, first = topic(forum(), anna := teacher())
    first.created_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    response = api(anna).request("PATCH", f"/posts/{first.id}", {"text": "Поздно"})
    assert response.status_code == 409 and "text" in response.json["error"]["fields"]


def test_report_once_and_hide_hides_it_from_others(app, api) -> None:  # type: ignore[no-untyped-def]
    place, anna, boris, moderator = forum(), teacher(), teacher(), methodist()
    opened, _first = topic(place, anna)
    rude = posts.reply(opened, boris, "Грубость", now=utcnow())
    assert api(anna).post(f"/posts/{rude.id}/report", {"reason": "Грубо"}).status_code == 201
    assert api(anna).post(f"/posts/{rude.id}/report", {}).status_code == 409
    assert api(boris).post(f"/posts/{rude.id}/report", {}).status_code == 403
    assert api(moderator).post(f"/posts/{rude.id}/hide", {"reason": ""}).status_code == 422
    hidden = api(moderator).post(f"/posts/{rude.id}/hide", {"reason": "Грубость"})
    assert hidden.status_code == 200 and hidden.json["hidden"] is True
    assert api(moderator).post(f"/posts/{rude.id}/hide", {"reason": "Ещё"}).status_code == 409
    seen = {p["number"]: p for p in api(anna).get(f"/topics/{opened.id}/posts").json["items"]}
    assert seen[2]["hidden"] is True and seen[2]["text"] == "" and seen[2]["hidden_reason"] is None
    own = {p["number"]: p for p in api(boris).get(f"/topics/{opened.id}/posts").json["items"]}
    assert own[2]["text"] == "Грубость" and own[2]["hidden_reason"] == "Грубость"


def test_qa_posts_before_and_after_ones_own_answer(app, api) -> None:  # type: ignore[no-untyped-def]
    qa, made, author = course_forum(ForumKind.QA)
    question, _opening = topic(qa, author, "Задача", "Сколько будет 7×8?")
    first, second = member(made), member(made)
    api(first).post(f"/topics/{question.id}/posts", {"text": "56"})
    before = api(second).get(f"/topics/{question.id}/posts").json
    assert [p["number"] for p in before["items"]] == [1] and before["withheld"] == 1
    assert (
        api(second).post(f"/topics/{question.id}/posts", {"text": "Я тоже", "reply_to": 2}).status_code == 422
    )
    assert api(second).post(f"/topics/{question.id}/posts", {"text": "Пятьдесят шесть"}).status_code == 201
    after = api(second).get(f"/topics/{question.id}/posts").json
    assert [p["number"] for p in after["items"]] == [1, 2, 3] and after["withheld"] == 0


@pytest.mark.parametrize(
    ("who", "read", "reply", "lock"),
    [
        ("admin", 200, 201, 200),
        ("author", 200, 201, 200),
        ("tutor", 200, 201, 200),
        ("student", 200, 201, 403),
        ("outsider_teacher", 404, 404, 404),
        ("outsider_student", 404, 404, 404),
        ("methodist", 404, 404, 404),
        ("organiser", 404, 404, 404),
        ("juror", 404, 404, 404),
    ],
)
def test_each_role_in_a_course_forum(app, api, who: str, read: int, reply: int, lock: int) -> None:  # type: ignore[no-untyped-def]
    place, made, author = course_forum()
    people = {
        "admin": lambda: admin(),
        "author": lambda: author,
        "tutor": lambda: member(made, "tutor"),
        "student": lambda: member(made),
        "outsider_teacher": lambda: teacher(),
        "outsider_student": lambda: student(),
        "methodist": lambda: methodist(),
        "organiser": lambda: organiser(),
        "juror": lambda: juror(),
    }
    opened, _first = topic(place, author)
    caller = api(people[who]())
    assert caller.get(f"/topics/{opened.id}/posts").status_code == read
    assert caller.post(f"/topics/{opened.id}/posts", {"text": "Ответ"}).status_code == reply
    assert caller.request("PATCH", f"/topics/{opened.id}", {"pinned": True}).status_code == lock
