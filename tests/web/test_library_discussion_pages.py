"""The discussion on the web: comment and reply forms, edit, report, hide, stars and bookmarks, each
refusal by its field and each role; the discussion part's text and its fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template_string
from flask_login import login_user
from sqlalchemy import func, select

from app.accounts import User
from app.extensions import db
from app.library.discussion import discussion_context
from app.timeutil import utcnow
from community.library import comment_moderation, comments, ratings
from community.library.models import (
    Material,
    MaterialBookmark,
    MaterialComment,
    MaterialRating,
    MaterialStatus,
)
from tests.conftest import login
from tests.factories.accounts import methodist, student, teacher
from tests.factories.community import published_material

INCLUDE = '{% include "library/_discussion.html" %}'


def _as(client, user: User) -> None:  # type: ignore[no-untyped-def]
    """Sign in as another person (the previous one signs out first)."""
    client.post("/auth/logout")
    login(client, user)


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_colleague_comments_and_replies(client) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    _as(client, teacher())
    response = client.post(
        f"/library/materials/{material.id}/comments", data={"text": "Спасибо, **полезно**"}
    )
    comment = db.session.scalar(select(MaterialComment))
    assert response.status_code == 302 and comment is not None
    assert response.location.endswith(f"/library/materials/{material.id}#comment-{comment.id}")
    reply = client.post(
        f"/library/materials/{material.id}/comments", data={"text": "И мне", "parent_id": str(comment.id)}
    )
    assert reply.status_code == 302
    assert (
        db.session.scalar(select(MaterialComment.parent_id).where(MaterialComment.id != comment.id))
        == comment.id
    )


def test_bad_comments_come_back_with_the_message_by_the_field(client) -> None:  # type: ignore[no-untyped-def]
    material, other = published_material(), published_material()
    _as(client, teacher())
    path = f"/library/materials/{material.id}/comments"
    empty = client.post(path, data={"text": "  "})
    assert empty.status_code == 422 and "Сначала напишите комментарий." in empty.get_data(as_text=True)
    long = client.post(path, data={"text": "я" * 5001})
    assert long.status_code == 422 and "не больше 5000 символов" in long.get_data(as_text=True)
    foreign = comments.post_comment(other, teacher(), "Там", now=utcnow())
    for parent in (str(foreign.id), "999999", "abc"):
        refused = client.post(path, data={"text": "Сюда", "parent_id": parent})
        assert refused.status_code == 422, parent
        assert "не относится к этому материалу" in refused.get_data(as_text=True)
    assert _count(MaterialComment) == 1


def test_comment_refusals_by_role(client) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    pending = published_material(status=MaterialStatus.PENDING)
    anonymous = client.post(f"/library/materials/{material.id}/comments", data={"text": "Аноним"})
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.location
    _as(client, student())
    assert client.post(f"/library/materials/{material.id}/comments", data={"text": "x"}).status_code == 403
    _as(client, teacher())
    assert client.post(f"/library/materials/{pending.id}/comments", data={"text": "x"}).status_code == 404
    assert _count(MaterialComment) == 0


def test_edit_within_the_window_then_409(client) -> None:  # type: ignore[no-untyped-def]
    material, writer = published_material(), teacher()
    comment = comments.post_comment(material, writer, "Было", now=utcnow())
    _as(client, teacher())
    assert client.get(f"/library/comments/{comment.id}/edit").status_code == 403
    _as(client, writer)
    page = client.get(f"/library/comments/{comment.id}/edit")
    assert page.status_code == 200 and "Было" in page.get_data(as_text=True)
    assert client.post(f"/library/comments/{comment.id}/edit", data={"text": "Стало"}).status_code == 302
    comment.created_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    late = client.post(f"/library/comments/{comment.id}/edit", data={"text": "Поздно"})
    assert late.status_code == 409 and "в течение 30 минут" in late.get_data(as_text=True)
    db.session.refresh(comment)
    assert comment.text == "Стало"


def test_report_once_and_a_moderator_hides(client) -> None:  # type: ignore[no-untyped-def]
    material, writer, reader = published_material(), teacher(), teacher()
    comment = comments.post_comment(material, writer, "Реклама", now=utcnow())
    _as(client, writer)
    assert client.post(f"/library/comments/{comment.id}/report", data={}).status_code == 403
    _as(client, reader)
    assert client.post(f"/library/comments/{comment.id}/report", data={"reason": "спам"}).status_code == 302
    again = client.post(f"/library/comments/{comment.id}/report", data={"reason": "спам"})
    assert again.status_code == 422 and "Вы уже пожаловались" in again.get_data(as_text=True)
    assert client.post(f"/library/comments/{comment.id}/hide", data={"reason": "x"}).status_code == 403
    _as(client, methodist())
    no_reason = client.post(f"/library/comments/{comment.id}/hide", data={"reason": ""})
    assert no_reason.status_code == 422
    assert client.post(f"/library/comments/{comment.id}/hide", data={"reason": "Реклама"}).status_code == 302
    db.session.refresh(comment)
    assert comment.hidden_reason == "Реклама"


def test_stars_by_form_and_refusals(client) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    _as(client, db.session.get(User, material.author_id))
    assert client.post(f"/library/materials/{material.id}/rating", data={"stars": "5"}).status_code == 403
    _as(client, student())
    assert client.post(f"/library/materials/{material.id}/rating", data={"stars": "5"}).status_code == 403
    _as(client, teacher())
    for bad in ("0", "6", "пять", ""):
        refused = client.post(f"/library/materials/{material.id}/rating", data={"stars": bad})
        assert refused.status_code == 422 and "Выберите от 1 до 5 звёзд." in refused.get_data(as_text=True)
    assert client.post(f"/library/materials/{material.id}/rating", data={"stars": "4"}).status_code == 302
    assert db.session.scalar(select(MaterialRating.stars)) == 4


def test_bookmark_toggle_and_my_bookmarks(client) -> None:  # type: ignore[no-untyped-def]
    material = published_material(title="Сценарий праздника «Осенний бал»")
    assert client.get("/library/bookmarks").status_code == 302
    _as(client, teacher())
    assert client.post(f"/library/materials/{material.id}/bookmark", data={"on": "1"}).status_code == 302
    page = client.get("/library/bookmarks")
    assert page.status_code == 200 and "Осенний бал" in page.get_data(as_text=True)
    removed = client.post(f"/library/materials/{material.id}/bookmark", data={"on": "0", "back": "bookmarks"})
    assert removed.location.endswith("/library/bookmarks") and _count(MaterialBookmark) == 0
    assert "Осенний бал" not in client.get("/library/bookmarks").get_data(as_text=True)
    _as(client, student())
    assert client.post(f"/library/materials/{material.id}/bookmark", data={"on": "1"}).status_code == 403


def test_the_discussion_part_shows_the_rating_and_hides_hidden_comments(app) -> None:  # type: ignore[no-untyped-def]
    material, reader, moderator = published_material(), teacher(), methodist()
    for user, stars in ((teacher(), 5), (teacher(), 4), (teacher(), 5)):
        ratings.rate_material(material, user, stars, now=utcnow())
    bad = comments.post_comment(material, teacher(), "Оскорбительный текст", now=utcnow())
    comments.post_comment(material, teacher(), "Хороший отзыв", now=utcnow())
    comment_moderation.hide_comment(bad, moderator, "Грубость", now=utcnow())
    material = db.session.get_one(Material, material.id)
    with app.test_request_context("/"):
        login_user(reader)
        html = render_template_string(INCLUDE, discussion=discussion_context(material, reader))
        assert "4,67 из 5 (3 оценки)" in html and "1 комментарий" in html
        assert "Комментарий скрыт модератором" in html and "Оскорбительный" not in html
        assert "Хороший отзыв" in html and 'name="stars" value="5"' in html
        seen_by_moderator = render_template_string(
            INCLUDE, discussion=discussion_context(material, moderator)
        )
        assert "Оскорбительный" in seen_by_moderator and "Скрыт модератором: Грубость" in seen_by_moderator
    with app.test_request_context("/"):
        anonymous = render_template_string(INCLUDE, discussion=discussion_context(material, None))
        assert "Войдите, чтобы комментировать и оценивать." in anonymous and 'name="stars"' not in anonymous


def test_discussion_context_runs_a_fixed_number_of_queries(app, count_queries) -> None:  # type: ignore[no-untyped-def]
    material, moderator = published_material(), methodist()
    material_id, moderator_id = material.id, moderator.id

    def measure() -> int:
        with app.test_request_context("/"):
            with count_queries(cold=True) as counter:
                row, viewer = (
                    db.session.get_one(Material, material_id),
                    db.session.get_one(User, moderator_id),
                )
                render_template_string(INCLUDE, discussion=discussion_context(row, viewer))
            return counter.count

    def add_thread(replies: int) -> None:
        row = db.session.get_one(Material, material_id)
        top = comments.post_comment(row, teacher(), "Тема", now=utcnow())
        for _ in range(replies):
            comments.post_comment(row, teacher(), "Ответ", parent_id=top.id, now=utcnow())

    add_thread(1)
    small = measure()
    for _ in range(25):
        add_thread(2)
    assert measure() == small
    assert small <= 9
