"""Notifications from the forums: replies, @mentions (only people who may read the forum), a hidden
post; each by the person's per-kind settings (no row when the bell is off, a letter when e-mail is on)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.notifications import Notification
from app.timeutil import utcnow
from community.forums import moderation, posts
from community.forums.models import ForumScope
from community.notices import preferences
from community.notices.kinds import Choice, Kind
from tests.factories.accounts import methodist, teacher
from tests.factories.forum_posting import course_forum, forum, member, topic

pytestmark = pytest.mark.usefixtures("app")


def _notes(user_id: int, kind: Kind | None = None) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user_id)
    if kind is not None:
        query = query.where(Notification.kind == kind.value)
    return list(db.session.scalars(query.order_by(Notification.id)))


def test_a_reply_tells_the_author_of_the_post_replied_to() -> None:
    place = forum(ForumScope.NETWORK)
    starter, first_replier, second = (
        teacher(),
        teacher(full_name="Анна Петрова"),
        teacher(full_name="Олег Ким"),
    )
    opened, opening = topic(place, starter, title="Дроби в 5 классе")
    answer = posts.reply(opened, first_replier, "Я начинаю с пиццы.", now=utcnow())
    agreed = posts.reply(opened, second, "Согласен с Анной.", now=utcnow(), reply_to_id=answer.id)
    to_starter, to_replier = _notes(starter.id, Kind.REPLY), _notes(first_replier.id, Kind.REPLY)
    assert [n.text for n in to_starter] == [
        "Анна Петрова ответил(а) на ваше сообщение в теме «Дроби в 5 классе»."
    ]
    assert [n.text for n in to_replier] == [
        "Олег Ким ответил(а) на ваше сообщение в теме «Дроби в 5 классе»."
    ]
    assert to_replier[0].link == f"/forums/posts/{agreed.id}"
    assert _notes(second.id) == []  # never of one's own post
    assert opening.number == 1


def test_a_mention_tells_only_people_who_may_read_the_forum() -> None:
    place, made, author = course_forum()
    pupil = member(made, user=None)
    pupil.email = "pupil.kolya@school5.ru"
    outsider = teacher(email="outsider.t@school9.ru")
    opened, opening = topic(place, author, text="Коля, @pupil.kolya, и @outsider.t — посмотрите.")
    assert [n.kind for n in _notes(pupil.id, Kind.MENTION)] == ["mention"]
    assert _notes(outsider.id, Kind.MENTION) == []
    assert f'<a class="mention" href="/messages/with/{pupil.id}">@pupil.kolya</a>' in opening.html
    assert "@outsider.t" in opening.html and f"/messages/with/{outsider.id}" not in opening.html
    assert opened.id


def test_a_handle_two_readers_share_names_nobody_and_a_reply_mention_tells_once() -> None:
    place = forum(ForumScope.NETWORK)
    twin_a, twin_b = teacher(email="smirnova@school1.ru"), teacher(email="smirnova@school2.ru")
    starter = teacher(email="starter@school3.ru")
    opened, _opening = topic(place, starter, text="@smirnova, подскажите")
    assert _notes(twin_a.id) == [] and _notes(twin_b.id) == []
    posts.reply(opened, teacher(), "Ответ для @starter", now=utcnow())
    kinds = [n.kind for n in _notes(starter.id)]
    assert kinds == ["reply"]  # the reply and the mention are one notification


def test_the_bell_off_writes_no_row_and_email_on_sends_a_letter(outbox: Any) -> None:
    place = forum(ForumScope.NETWORK)
    quiet, mailed = teacher(email="quiet@school1.ru"), teacher(email="mailed@school1.ru", locale="ru")
    preferences.save_choices(quiet, {Kind.MENTION: Choice(in_app=False, by_email=False, in_digest=False)})
    preferences.save_choices(mailed, {Kind.MENTION: Choice(in_app=True, by_email=True, in_digest=False)})
    before = len(outbox())
    opened, _opening = topic(
        place, teacher(full_name="Вера Лаптева"), title="Олимпиада", text="@quiet @mailed"
    )
    db.session.commit()
    assert _notes(quiet.id) == []
    assert len(_notes(mailed.id, Kind.MENTION)) == 1
    letters = outbox()[before:]
    assert [letter["To"] for letter in letters] == ["mailed@school1.ru"]
    body = letters[0].get_body(("plain",)).get_content()
    assert "Вера Лаптева упомянул(а) вас в теме «Олимпиада»." in body
    assert f"/forums/posts/{_opening.id}" in body


def test_digest_only_keeps_a_read_row_for_the_digest() -> None:
    place = forum(ForumScope.NETWORK)
    person = teacher(email="digest.only@school1.ru")
    preferences.save_choices(person, {Kind.MENTION: Choice(in_app=False, by_email=False, in_digest=True)})
    topic(place, teacher(), text="@digest.only")
    (note,) = _notes(person.id)
    assert note.read_at is not None  # the bell does not ring for it


def test_hiding_a_post_tells_its_author_with_the_reason() -> None:
    place = forum(ForumScope.NETWORK)
    writer = teacher()
    opened, _opening = topic(place, teacher())
    post = posts.reply(opened, writer, "Реклама курсов", now=utcnow())
    moderation.hide_post(post, opened, methodist(), "Реклама", now=utcnow())
    (note,) = _notes(writer.id, Kind.MODERATION)
    assert "Реклама" in note.text and note.link == f"/forums/posts/{post.id}"


def test_an_edit_keeps_mentions_linked_and_tells_only_the_newly_mentioned() -> None:
    place = forum(ForumScope.NETWORK)
    first, second, writer = teacher(email="first@school1.ru"), teacher(email="second@school1.ru"), teacher()
    opened, _opening = topic(place, teacher())
    post = posts.reply(opened, writer, "Спасибо, @first", now=utcnow())
    posts.edit_post(post, opened, writer, "Спасибо, @first и @second", now=utcnow())
    assert len(_notes(first.id, Kind.MENTION)) == 1 and len(_notes(second.id, Kind.MENTION)) == 1
    db.session.refresh(post)
    assert f'href="/messages/with/{first.id}">@first</a>' in post.html
    assert f'href="/messages/with/{second.id}">@second</a>' in post.html
