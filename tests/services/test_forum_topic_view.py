"""A topic's page as a reader sees it (the Q&A rule, editable marks, numbers replied to) and the files
a post carries (checked before anything is written: a refused post leaves no row and no file)."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from app.domain_errors import Invalid
from app.extensions import db
from app.timeutil import utcnow
from app.uploads import StoredFile
from community.forums import posting_rules, posts, topic_view, topics
from community.forums.models import ForumKind, Post, PostAttachment, Topic
from tests.factories.accounts import methodist, teacher
from tests.factories.forum_posting import forum, topic

PDF = b"%PDF-1.4 lesson plan"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20


def _file(name: str, data: bytes) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def _page(opened: Topic, viewer_id: int, moderator: bool = False, kind: ForumKind = ForumKind.QA):  # type: ignore[no-untyped-def]
    return topic_view.topic_page(
        opened, kind=kind, viewer_id=viewer_id, moderator=moderator, now=utcnow(), page=1, per_page=50
    )


def test_in_qa_a_student_sees_the_answers_only_after_their_own(app) -> None:  # type: ignore[no-untyped-def]
    place = forum(kind=ForumKind.QA)
    tutor, first, second = methodist(), teacher(), teacher()
    question, _opening = topic(place, tutor, "Вопрос недели", "Чем отличается ФГОС ООО от СОО?")
    posts.reply(question, first, "Уровнем образования.", now=utcnow())
    before = _page(question, second.id)
    assert [view.post.number for view in before.posts.items] == [1] and before.withheld == 1
    assert [view.post.number for view in _page(question, tutor.id, moderator=True).posts.items] == [1, 2]
    posts.reply(question, second, "Требованиями к результатам.", now=utcnow())
    after = _page(question, second.id)
    assert [view.post.number for view in after.posts.items] == [1, 2, 3] and after.withheld == 0
    # the rule is Q&A's alone
    assert len(_page(question, teacher().id, kind=ForumKind.DISCUSSION).posts.items) == 3


def test_editable_marks_and_replied_numbers(app) -> None:  # type: ignore[no-untyped-def]
    place, anna, boris = forum(), teacher(), teacher()
    opened, first = topic(place, anna)
    answer = posts.reply(opened, boris, "Ответ", now=utcnow(), reply_to_id=first.id)
    views = _page(opened, anna.id, kind=ForumKind.DISCUSSION).posts.items
    assert [(v.editable, v.reply_to_number) for v in views] == [(True, None), (False, 1)]
    later = topic_view.topic_page(
        opened,
        kind=ForumKind.DISCUSSION,
        viewer_id=boris.id,
        moderator=False,
        now=answer.created_at + timedelta(minutes=31),
        page=1,
        per_page=50,
    )
    assert [v.editable for v in later.posts.items] == [False, False]
    assert topic_view.page_of(50, 50) == 1 and topic_view.page_of(51, 50) == 2


def test_files_are_attached_and_listed_with_their_post(app) -> None:  # type: ignore[no-untyped-def]
    place, anna = forum(), teacher()
    opened, _first = topic(place, anna)
    reply = posts.reply(
        opened,
        teacher(),
        "План во вложении",
        now=utcnow(),
        files=[_file("План урока.pdf", PDF), _file("", b""), _file("фото.png", PNG)],
    )
    views = _page(opened, anna.id, kind=ForumKind.DISCUSSION).posts.items
    assert [f.stored.original_name for f in views[1].files] == ["План урока.pdf", "фото.png"]
    assert views[1].post.id == reply.id


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("вирус.exe", b"MZ", "не разрешены"),
        ("фото.png", b"<html><script>alert(1)</script>", "файлом PNG"),
        ("заметки.txt", b"<html><script>alert(1)</script></html>", "веб-страницу"),
        ("пусто.pdf", b"", "пуст"),
        ("огромный.pdf", b"%PDF" + b"0" * posting_rules.ATTACHMENT_MAX_BYTES, "больше 10.0 МБ"),
    ],
)
def test_a_refused_file_leaves_no_post_and_no_file(app: Flask, name: str, data: bytes, words: str) -> None:
    place, anna = forum(), teacher()
    opened, _first = topic(place, anna)
    with pytest.raises(Invalid) as refused:
        files = [_file("хороший.pdf", PDF), _file(name, data)]
        posts.reply(opened, anna, "С файлами", now=utcnow(), files=files)
    assert words in refused.value.fields["files"]
    with pytest.raises(Invalid):
        topics.open_topic(place, anna, "Тема с файлом", "Текст", now=utcnow(), files=[_file(name, data)])
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1
    assert db.session.scalar(select(func.count()).select_from(Topic)) == 1
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0
    assert db.session.scalar(select(func.count()).select_from(PostAttachment)) == 0
    uploads = Path(app.config["UPLOAD_DIR"])
    assert not [p for p in uploads.rglob("*") if p.is_file()] if uploads.exists() else True


def test_too_many_files_are_refused(app) -> None:  # type: ignore[no-untyped-def]
    opened, _first = topic(forum(), anna := teacher())
    files = [_file(f"{n}.pdf", PDF) for n in range(posting_rules.ATTACHMENTS_MAX + 1)]
    with pytest.raises(Invalid) as refused:
        posts.reply(opened, anna, "Много", now=utcnow(), files=files)
    assert "files" in refused.value.fields
