"""Comments under a material: posting and replying (one level), the edit window, reports and hiding,
the visible-comments counter and the author's notification."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts import User
from app.audit import AuditEntry
from app.domain_errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.notifications import Notification
from app.timeutil import utcnow
from community.library import comment_moderation, comments
from community.library.models import CommentReport, Material, MaterialComment, MaterialStatus
from tests.factories.accounts import methodist, teacher
from tests.factories.community import published_material


def _count(material_id: int) -> int:
    material = db.session.get(Material, material_id)
    assert material is not None
    db.session.refresh(material)
    return material.comments_count


def test_a_comment_is_rendered_sanitised_counted_and_told_to_the_author(app) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    reader = teacher(full_name="Анна Петрова")
    comment = comments.post_comment(
        material, reader, "  **Спасибо!** <script>alert(1)</script>  ", now=utcnow()
    )
    assert comment.text == "**Спасибо!** <script>alert(1)</script>"
    assert "<strong>Спасибо!</strong>" in comment.html and "<script>" not in comment.html
    assert comment.parent_id is None
    assert _count(material.id) == 1
    note = db.session.scalar(select(Notification).where(Notification.user_id == material.author_id))
    assert note is not None and "Анна Петрова" in note.text and f"#comment-{comment.id}" in note.link
    assert db.session.scalar(select(AuditEntry.action)) == "library.comment_posted"


def test_the_author_commenting_is_not_told_of_their_own_comment(app) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    author = material.author_id
    comments.post_comment(material, db.session.get(User, author), "Дополнение", now=utcnow())
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_a_reply_to_a_reply_joins_the_thread_and_tells_its_starter(app) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    first, second, third = teacher(), teacher(), teacher()
    top = comments.post_comment(material, first, "Вопрос", now=utcnow())
    reply = comments.post_comment(material, second, "Ответ", parent_id=top.id, now=utcnow())
    deeper = comments.post_comment(material, third, "Ответ на ответ", parent_id=reply.id, now=utcnow())
    assert reply.parent_id == top.id and deeper.parent_id == top.id
    assert _count(material.id) == 3
    told = set(db.session.scalars(select(Notification.user_id)))
    assert told == {material.author_id, first.id}


@pytest.mark.parametrize("text", ["", "   ", "я" * 5001])
def test_empty_or_oversized_comment_is_refused_and_nothing_written(app, text: str) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    with pytest.raises(Invalid) as refused:
        comments.post_comment(material, teacher(), text, now=utcnow())
    assert "text" in refused.value.fields
    assert db.session.scalar(select(func.count()).select_from(MaterialComment)) == 0
    assert _count(material.id) == 0


def test_reply_to_an_unknown_parent_or_another_materials_comment_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    material, other = published_material(), published_material()
    foreign = comments.post_comment(other, teacher(), "Там", now=utcnow())
    for parent_id in (foreign.id, 999_999):
        with pytest.raises(Invalid) as refused:
            comments.post_comment(material, teacher(), "Сюда", parent_id=parent_id, now=utcnow())
        assert "parent_id" in refused.value.fields
    assert _count(material.id) == 0


def test_an_unpublished_material_takes_no_comments(app) -> None:  # type: ignore[no-untyped-def]
    material = published_material(status=MaterialStatus.PENDING)
    with pytest.raises(Conflict):
        comments.post_comment(material, teacher(), "Рано", now=utcnow())


def test_edit_within_the_window_keeps_the_earlier_text_in_the_audit(app) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    reader = teacher()
    posted = utcnow()
    comment = comments.post_comment(material, reader, "Опечатка", now=posted)
    comments.edit_comment(comment, reader, "Исправлено *здесь*", now=posted + timedelta(minutes=29))
    assert comment.text == "Исправлено *здесь*" and "<em>здесь</em>" in comment.html
    assert comment.edited_at == posted + timedelta(minutes=29)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "library.comment_edited"))
    assert entry is not None and entry.details["previous_text"] == "Опечатка"


def test_edit_after_the_window_or_by_another_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    reader = teacher()
    posted = utcnow()
    comment = comments.post_comment(material, reader, "Было", now=posted)
    with pytest.raises(Conflict) as refused:
        comments.edit_comment(comment, reader, "Стало", now=posted + timedelta(minutes=31))
    assert "text" in refused.value.fields
    with pytest.raises(Forbidden):
        comments.edit_comment(comment, teacher(), "Чужое", now=posted)
    with pytest.raises(Invalid):
        comments.edit_comment(comment, reader, "  ", now=posted)
    db.session.refresh(comment)
    assert comment.text == "Было" and comment.edited_at is None


def test_one_report_per_person_per_comment(app) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    writer, reader = teacher(), teacher()
    comment = comments.post_comment(material, writer, "Реклама", now=utcnow())
    comment_moderation.report_comment(comment, reader, "спам", now=utcnow())
    with pytest.raises(Conflict):
        comment_moderation.report_comment(comment, reader, "ещё раз", now=utcnow())
    with pytest.raises(Forbidden):
        comment_moderation.report_comment(comment, writer, "", now=utcnow())
    comment_moderation.report_comment(comment, teacher(), "", now=utcnow())
    assert db.session.scalar(select(func.count()).select_from(CommentReport)) == 2
    assert comment_moderation.open_report_counts([comment.id]) == {comment.id: 2}


def test_hiding_needs_a_reason_drops_the_count_once_and_resolves_reports(app) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    moderator = methodist()
    comment = comments.post_comment(material, teacher(), "Грубость", now=utcnow())
    comments.post_comment(material, teacher(), "Нормальный", now=utcnow())
    comment_moderation.report_comment(comment, teacher(), "", now=utcnow())
    with pytest.raises(Invalid) as refused:
        comment_moderation.hide_comment(comment, moderator, "  ", now=utcnow())
    assert "reason" in refused.value.fields
    assert _count(material.id) == 2
    comment_moderation.hide_comment(comment, moderator, "Оскорбление", now=utcnow())
    assert comment.hidden_at is not None and comment.hidden_reason == "Оскорбление"
    assert _count(material.id) == 1
    with pytest.raises(Conflict):
        comment_moderation.hide_comment(comment, moderator, "Снова", now=utcnow())
    assert _count(material.id) == 1
    assert comment_moderation.open_report_counts([comment.id]) == {}
    with pytest.raises(Conflict):
        comments.edit_comment(comment, db.session.get(User, comment.author_id), "x", now=utcnow())
