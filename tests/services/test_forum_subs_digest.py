"""The daily digest job: full texts grouped by forum and topic, hidden and own posts left out, only
forums one may still read, once a day however often the clock runs, notifications wanted in the
digest, and a fixed number of statements per batch of people."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select, update

from app.extensions import db
from app.mail import build_message
from app.notifications import Notification, NotificationPreference
from app.timeutil import utcnow
from community.forums import places
from community.forums.models import ForumScope, Post
from community.subscriptions import digest
from community.subscriptions.models import DigestState
from courses.models import CourseMember
from tests.factories import forum_subs as f
from tests.factories.accounts import teacher
from tests.factories.community import AssociationFactory, add_member


def test_the_digest_has_the_full_texts_grouped_by_forum_and_topic(app) -> None:
    start = utcnow() - timedelta(hours=3)
    forum = f.network_forum()
    reader, author = teacher(full_name="Читатель"), teacher(full_name="Мария Иванова")
    f.subscribe(reader, "forum", forum.id, "digest")
    first, _p = f.open_topic(
        forum, author, "Проектная неделя", "План проектной недели: " + "подробно " * 50, start
    )
    f.reply(first, reader, "Мой собственный ответ.", start + timedelta(minutes=5))
    hidden = f.reply(first, author, "Этот пост скрыт модератором.", start + timedelta(minutes=10))
    db.session.execute(
        update(Post).where(Post.id == hidden.id).values(hidden_at=start + timedelta(minutes=11))
    )
    second, _p = f.open_topic(
        forum, author, "ВПР по математике", "Сроки ВПР утверждены.", start + timedelta(minutes=20)
    )
    db.session.commit()
    assert f.letters_to(reader.email) == []  # a digest reader gets no letter per post

    assert digest.send_digests(utcnow()) == ["1 digests for 1 people"]
    letters = f.letters_to(reader.email)
    assert len(letters) == 1
    body = letters[0].body
    assert "План проектной недели: " + "подробно " * 49 in body  # the full text, not a teaser
    assert "Сроки ВПР утверждены." in body
    assert "Мой собственный ответ." not in body
    assert "Этот пост скрыт модератором." not in body
    assert body.index("Проектная неделя") < body.index("ВПР по математике")
    assert "Мария Иванова" in body and "(2)" in letters[0].subject
    message = build_message(letters[0], "Вместе <noreply@vmeste.local>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/forums/unsubscribe/" in message["List-Unsubscribe"]


def test_running_the_job_twice_sends_each_digest_once_and_again_a_day_later(app) -> None:
    now = utcnow()
    forum = f.network_forum()
    reader, author = teacher(), teacher()
    f.subscribe(reader, "forum", forum.id, "digest")
    topic, _p = f.open_topic(forum, author, "Тема", "Первое сообщение.", now - timedelta(hours=2))
    assert digest.send_digests(now) == ["1 digests for 1 people"]
    assert digest.send_digests(now) == []
    assert digest.send_digests(now + timedelta(hours=23)) == []  # at most once a day
    assert len(f.letters_to(reader.email)) == 1
    f.reply(topic, author, "Второе сообщение.", now + timedelta(hours=1))
    assert digest.send_digests(now + timedelta(hours=24)) == ["1 digests for 1 people"]
    letters = f.letters_to(reader.email)
    assert len(letters) == 2
    assert "Второе сообщение." in letters[1].body and "Первое сообщение." not in letters[1].body
    state = db.session.get(DigestState, reader.id)
    assert state is not None and state.covered_until == now + timedelta(hours=24)


def test_a_day_without_new_posts_sends_nothing_but_moves_on(app) -> None:
    now = utcnow()
    forum = f.network_forum()
    reader = teacher()
    f.subscribe(reader, "forum", forum.id, "digest")
    assert digest.send_digests(now) == ["0 digests for 1 people"]
    assert f.letters_to(reader.email) == []


def test_course_news_in_the_digest_of_a_student_who_chose_it_and_not_after_leaving(app) -> None:
    now = utcnow()
    c = f.news_course(students=2)
    keen, leaving = c.students
    f.subscribe(keen, "forum", c.news.id, "digest")
    f.subscribe(leaving, "forum", c.news.id, "digest")
    db.session.execute(delete(CourseMember).where(CourseMember.user_id == leaving.id))
    db.session.commit()
    f.open_topic(
        c.news, c.author, "Итоговая работа", "Итоговая работа — до 20 мая.", now - timedelta(hours=1)
    )
    assert f.all_letters() == []  # both chose the digest; nobody takes every post
    digest.send_digests(now)
    assert "Итоговая работа — до 20 мая." in f.letters_to(keen.email)[0].body
    assert f.letters_to(leaving.email) == []


def test_a_topic_turned_off_stays_out_of_its_forums_digest(app) -> None:
    now = utcnow()
    forum = f.network_forum()
    reader, author = teacher(), teacher()
    f.subscribe(reader, "forum", forum.id, "digest")
    noisy, _p = f.open_topic(forum, author, "Флуд", "Шумная тема.", now - timedelta(hours=2))
    f.open_topic(forum, author, "Важное", "Важная тема.", now - timedelta(hours=1))
    f.subscribe(reader, "topic", noisy.id, "off")
    digest.send_digests(now)
    body = f.letters_to(reader.email)[0].body
    assert "Важная тема." in body and "Шумная тема." not in body


def test_notifications_wanted_in_the_digest_come_with_it(app) -> None:
    now = utcnow()
    reader = teacher()
    db.session.add(NotificationPreference(user_id=reader.id, kind="reply", in_app=True, in_digest=True))
    db.session.add(
        Notification(
            user_id=reader.id,
            kind="reply",
            text="Вам ответили в теме «Дроби».",
            link="/forums/topics/7",
            created_at=now - timedelta(hours=1),
        )
    )
    db.session.commit()
    assert digest.send_digests(now) == ["1 digests for 1 people"]
    body = f.letters_to(reader.email)[0].body
    assert "Вам ответили в теме «Дроби»." in body and "http://localhost/forums/topics/7" in body


def test_a_batch_runs_the_same_statements_for_few_or_many_people(app, count_queries) -> None:
    now = utcnow()
    forums = [f.network_forum(), f.news_course(students=0).general]
    author = teacher()
    f.open_topic(forums[0], author, "Сетевая тема", "Текст сетевой темы.", now - timedelta(hours=2))
    counts = []
    for size in (3, 30):
        people = [teacher() for _n in range(size)]
        for person in people:
            f.subscribe(person, "forum", forums[0].id, "digest")
        db.session.execute(delete(DigestState))
        db.session.commit()
        ids = sorted(person.id for person in people)
        with count_queries() as counter:
            assert digest.send_batch(ids, now) == (size, size)
        counts.append(
            sum(
                1
                for s in counter.statements
                if not s.startswith(("UPDATE outgoing_mail", "SELECT outgoing_mail."))
            )
        )
    assert counts[0] == counts[1]
    assert counts[1] <= 14
    assert db.session.scalar(select(DigestState.covered_until).limit(1)) == now


def test_an_association_digest_covers_its_forum(app) -> None:
    now = utcnow()
    association = AssociationFactory(district="")
    forum = places.add_default_forums(ForumScope.ASSOCIATION, association.id)[0]
    reader, author, outsider = teacher(), teacher(), teacher()
    add_member(association, reader)
    add_member(association, author)
    db.session.commit()
    f.subscribe(reader, "association", association.id, "digest")
    f.open_topic(forum, author, "Заседание МО", "Повестка заседания МО в четверг.", now - timedelta(hours=1))
    f.open_topic(f.network_forum(), author, "Чужая тема", "Не из объединения.", now - timedelta(hours=1))
    digest.send_digests(now)
    body = f.letters_to(reader.email)[0].body
    assert "Повестка заседания МО в четверг." in body and "Не из объединения." not in body
    assert association.name in body and f.letters_to(outsider.email) == []
