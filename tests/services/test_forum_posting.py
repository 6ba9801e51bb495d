"""Posting: opening a topic and replying (numbers, counters, rendered HTML, quoting, the hooks), the
refusals (empty, oversized, locked, a post one may not see), editing within the window with the
earlier text kept, pinning and locking."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.domain_errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.timeutil import utcnow
from community.forums import posts, topics
from community.forums.models import Forum, ForumKind, Post, PostRevision, Topic
from tests.factories.accounts import methodist, teacher
from tests.factories.forum_posting import forum, topic


def _counts(forum_id: int, topic_id: int) -> tuple[int, int, int, int]:
    db.session.expire_all()
    f, t = db.session.get(Forum, forum_id), db.session.get(Topic, topic_id)
    assert f is not None and t is not None
    return f.topics_count, f.posts_count, t.posts_count, t.last_number


def test_a_topic_and_its_replies_are_numbered_and_counted(app) -> None:  # type: ignore[no-untyped-def]
    place, anna, boris = forum(), teacher(), teacher()
    opened, first = topic(place, anna, "  Дроби в 5 классе ", "**Как** объяснить?")
    assert (opened.title, first.number, opened.author_id) == ("Дроби в 5 классе", 1, anna.id)
    assert first.html == "<p><strong>Как</strong> объяснить?</p>"
    second = posts.reply(opened, boris, "Через пиццу.", now=utcnow())
    third = posts.reply(opened, anna, "Спасибо!", now=utcnow(), reply_to_id=second.id)
    assert (second.number, third.number, third.reply_to_id) == (2, 3, second.id)
    assert _counts(place.id, opened.id) == (1, 3, 3, 3)
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["forum.topic_opened", "forum.post_created", "forum.post_created"]


def test_each_new_post_calls_the_subscription_and_notice_hooks_before_the_commit(app) -> None:  # type: ignore[no-untyped-def]
    place, anna = forum(), teacher()
    with (
        mock.patch("community.subscriptions.delivery.post_created") as delivery,
        mock.patch("community.forums.notices.post_created") as notices,
    ):
        opened, first = topic(place, anna)
        reply = posts.reply(opened, teacher(), "Ответ", now=utcnow())
    assert [c.args[0].id for c in delivery.call_args_list] == [first.id, reply.id]
    assert [c.args[0].id for c in notices.call_args_list] == [first.id, reply.id]
    assert notices.call_args.args[1].id == opened.id and notices.call_args.args[2].id == place.id


def test_a_failing_hook_leaves_no_post(app) -> None:  # type: ignore[no-untyped-def]
    place, anna = forum(), teacher()
    opened, _first = topic(place, anna)
    with (
        mock.patch("community.forums.notices.post_created", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        posts.reply(opened, teacher(), "Ответ", now=utcnow())
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1
    assert _counts(place.id, opened.id) == (1, 1, 1, 1)


@pytest.mark.parametrize(("text", "message"), [("   ", "Write the post first."), ("я" * 20_001, "Too long")])
def test_empty_or_oversized_posts_are_refused_by_the_text_field(app, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    place, anna = forum(), teacher()
    with pytest.raises(Invalid) as refused:
        topics.open_topic(place, anna, "Тема", text, now=utcnow())
    assert "text" in refused.value.fields
    with pytest.raises(Invalid) as refused:
        topics.open_topic(place, anna, "", "Текст", now=utcnow())
    assert "title" in refused.value.fields
    opened, _first = topic(place, anna)
    with pytest.raises(Invalid) as refused:
        posts.reply(opened, anna, text, now=utcnow())
    assert "text" in refused.value.fields
    assert _counts(place.id, opened.id) == (1, 1, 1, 1)


def test_markdown_is_sanitised_when_saved(app) -> None:  # type: ignore[no-untyped-def]
    opened, first = topic(forum(), teacher(), "XSS", "<script>alert(1)</script>[ссылка](javascript:alert(2))")
    assert "<script" not in first.html and "javascript:" not in first.html


def test_a_locked_topic_takes_no_reply_but_its_moderators(app) -> None:  # type: ignore[no-untyped-def]
    place, anna, moderator = forum(), teacher(), methodist()
    opened, _first = topic(place, anna)
    topics.set_locked(opened, moderator, True)
    with pytest.raises(Conflict):
        posts.reply(opened, teacher(), "Ещё вопрос", now=utcnow())
    with pytest.raises(Conflict):
        topics.set_locked(opened, moderator, True)
    closing = posts.reply(opened, moderator, "Тема закрыта.", now=utcnow(), moderator=True)
    assert closing.number == 2
    topics.set_locked(opened, moderator, False)
    assert posts.reply(opened, teacher(), "Снова открыто", now=utcnow()).number == 3


def test_a_topic_locked_after_the_page_was_read_refuses_the_reply(app) -> None:  # type: ignore[no-untyped-def]
    place, anna = forum(), teacher()
    opened, _first = topic(place, anna)
    assert opened.locked is False  # this request's copy, read before the lock
    session = db.session()
    session.expire_on_commit = False  # end the read transaction but keep what was read
    session.commit()
    session.expire_on_commit = True
    with db.engine.begin() as other_request:  # a moderator locks it meanwhile
        other_request.execute(Topic.__table__.update().where(Topic.id == opened.id).values(locked=True))
    with pytest.raises(Conflict):
        posts.reply(opened, teacher(), "Поздно", now=utcnow())
    assert _counts(place.id, opened.id)[1:] == (1, 1, 1)


def test_pinning_twice_is_refused_and_pinned_topics_come_first(app) -> None:  # type: ignore[no-untyped-def]
    place, anna, moderator = forum(), teacher(), methodist()
    now = utcnow()
    old, _a = topics.open_topic(place, anna, "Старая", "Текст", now=now - timedelta(days=2))
    new, _b = topics.open_topic(place, anna, "Новая", "Текст", now=now)
    assert [t.title for t in topics.forum_topics(place, 1, 20).items] == ["Новая", "Старая"]
    topics.set_pinned(old, moderator, True)
    with pytest.raises(Conflict):
        topics.set_pinned(old, moderator, True)
    assert [t.title for t in topics.forum_topics(place, 1, 20).items] == ["Старая", "Новая"]
    topics.set_pinned(old, moderator, False)
    with pytest.raises(Conflict):
        topics.set_pinned(old, moderator, False)


def test_reply_to_must_be_a_visible_post_of_the_same_topic(app) -> None:  # type: ignore[no-untyped-def]
    place, anna = forum(), teacher()
    one, _first = topic(place, anna)
    _other, elsewhere = topic(place, anna, "Другая тема")
    with pytest.raises(Invalid) as refused:
        posts.reply(one, anna, "Ответ", now=utcnow(), reply_to_id=elsewhere.id)
    assert "reply_to" in refused.value.fields
    with pytest.raises(Invalid):
        posts.reply(one, anna, "Ответ", now=utcnow(), reply_to_id=999_999)


def test_quoting_puts_the_post_above_the_reply(app) -> None:  # type: ignore[no-untyped-def]
    opened, first = topic(forum(), teacher(full_name="Анна Петрова"), text="> старое\nДроби — это доли.")
    answer = posts.reply(
        opened, teacher(), "Согласен.", now=utcnow(), reply_to_id=first.id, quote_author="Анна Петрова"
    )
    assert answer.text == "> **Анна Петрова пишет в сообщении №1:**\n> Дроби — это доли.\n\nСогласен."
    assert "<blockquote>" in answer.html and "Согласен." in answer.html


def test_editing_within_the_window_keeps_the_earlier_text(app) -> None:  # type: ignore[no-untyped-def]
    place, anna = forum(), teacher()
    opened, first = topic(place, anna, text="Первый вариант")
    later = first.created_at + timedelta(minutes=29)
    posts.edit_post(first, opened, anna, "Второй *вариант*", now=later)
    assert (first.text, first.html, first.edited_at) == (
        "Второй *вариант*",
        "<p>Второй <em>вариант</em></p>",
        later,
    )
    assert db.session.scalars(select(PostRevision.text)).all() == ["Первый вариант"]
    with pytest.raises(Forbidden):
        posts.edit_post(first, opened, teacher(), "Чужая правка", now=later)
    with pytest.raises(Invalid):
        posts.edit_post(first, opened, anna, "", now=later)


def test_editing_after_the_window_is_a_conflict(app) -> None:  # type: ignore[no-untyped-def]
    opened, first = topic(forum(), anna := teacher(), text="Текст")
    with pytest.raises(Conflict) as refused:
        posts.edit_post(first, opened, anna, "Поздно", now=first.created_at + timedelta(minutes=31))
    assert "30" in refused.value.message
    posts.edit_post(
        first, opened, anna, "С окном в час", now=first.created_at + timedelta(minutes=31), minutes=60
    )
    assert db.session.scalar(select(func.count()).select_from(PostRevision)) == 1


def test_a_hidden_topic_takes_no_reply(app) -> None:  # type: ignore[no-untyped-def]
    opened, _first = topic(forum(), teacher())
    opened.hidden_at = utcnow()
    db.session.commit()
    with pytest.raises(NotFound):
        posts.reply(opened, teacher(), "Ответ", now=utcnow())


def test_a_qa_answer_is_not_quotable_before_ones_own(app) -> None:  # type: ignore[no-untyped-def]
    place = forum(kind=ForumKind.QA)
    asker, first_student, second_student = methodist(), teacher(), teacher()
    question, opening = topic(place, asker, "Вопрос", "Сколько будет 2+2?")
    answer = posts.reply(question, first_student, "4", now=utcnow())
    with pytest.raises(Invalid):
        posts.reply(question, second_student, "Я тоже", now=utcnow(), reply_to_id=answer.id)
    assert posts.quotable(question, opening.id, second_student, False) is not None
    assert posts.quotable(question, answer.id, second_student, False) is None
    assert posts.quotable(question, answer.id, asker, True) is not None
    mine = posts.reply(question, second_student, "Четыре", now=utcnow())
    assert posts.quotable(question, answer.id, second_student, False) is not None
    assert mine.number == 3
