"""A letter per post for every-post subscribers: course news reaches every enrolled person (enrolled
later too, never one who left), topic over forum over association, the author and those who blocked
them left out, the recipient's language, the unsubscribe link and List-Unsubscribe headers, and a
fixed number of statements whatever the number of subscribers."""

from __future__ import annotations

from sqlalchemy import delete

from app.extensions import db
from app.mail import build_message
from community.forums import places
from community.forums.models import ForumScope
from community.messaging.models import UserBlock
from courses.models import CourseMember
from tests.factories import forum_subs as f
from tests.factories.accounts import student, teacher
from tests.factories.community import AssociationFactory, add_member
from tests.factories.courses import enrolled


def test_a_course_news_post_reaches_every_enrolled_person(app) -> None:
    c = f.news_course(students=3)
    tutor = enrolled(c.course, teacher(full_name="Тьютор Курса"), "tutor")
    db.session.commit()
    f.open_topic(c.news, c.author, "Начало курса", "Первое занятие — в понедельник в 15:00.")
    to = sorted(letter.to_address for letter in f.all_letters())
    assert to == sorted([s.email for s in c.students] + [tutor.email])  # never the author
    letter = f.letters_to(c.students[0].email)[0]
    assert "Первое занятие — в понедельник в 15:00." in letter.body
    assert "/forums/topics/" in letter.body and "#post-1" in letter.body


def test_people_enrolled_later_get_the_news_and_those_who_left_do_not(app) -> None:
    c = f.news_course(students=2)
    late = enrolled(c.course, student(full_name="Поздний Ученик"), "student")
    gone = c.students[0]
    db.session.execute(delete(CourseMember).where(CourseMember.user_id == gone.id))
    db.session.commit()
    f.open_topic(c.news, c.author, "Перенос занятия", "Занятие переносится на среду.")
    to = {letter.to_address for letter in f.all_letters()}
    assert late.email in to and c.students[1].email in to
    assert gone.email not in to


def test_a_student_who_chose_the_digest_gets_no_letter_per_post(app) -> None:
    c = f.news_course(students=2)
    f.subscribe(c.students[0], "forum", c.news.id, "digest")
    f.open_topic(c.news, c.author, "Новость", "Текст новости.")
    to = {letter.to_address for letter in f.all_letters()}
    assert to == {c.students[1].email}


def test_topic_overrides_forum_and_forum_overrides_association(app) -> None:
    association = AssociationFactory(district="")
    forum = places.add_default_forums(ForumScope.ASSOCIATION, association.id)[0]
    reader, quiet, author = teacher(), teacher(), teacher()
    for person in (reader, quiet, author):
        add_member(association, person)
    db.session.commit()
    f.subscribe(reader, "association", association.id, "each")
    f.subscribe(quiet, "association", association.id, "each")
    f.subscribe(quiet, "forum", forum.id, "off")
    topic, _post = f.open_topic(forum, author, "Олимпиада", "Кто везёт команду?")
    assert {letter.to_address for letter in f.all_letters()} == {reader.email}
    f.subscribe(reader, "topic", topic.id, "off")
    f.subscribe(quiet, "topic", topic.id, "each")
    f.reply(topic, author, "Напишите до пятницы.")
    later = f.all_letters()[1:]
    assert [letter.to_address for letter in later] == [quiet.email]
    assert "Напишите до пятницы." in later[0].body


def test_people_who_blocked_the_author_and_inactive_accounts_get_nothing(app) -> None:
    forum = f.network_forum()
    author, blocker, inactive, reader = teacher(), teacher(), teacher(), teacher()
    for person in (blocker, inactive, reader):
        f.subscribe(person, "forum", forum.id, "each")
    db.session.add(UserBlock(blocker_id=blocker.id, blocked_id=author.id))
    inactive.active = False
    db.session.commit()
    f.open_topic(forum, author, "Вопрос", "Текст вопроса.")
    assert {letter.to_address for letter in f.all_letters()} == {reader.email}


def test_the_letter_is_in_the_recipients_language_with_one_click_headers(app) -> None:
    forum = f.network_forum()
    author = teacher(full_name="Анна Петрова")
    russian, english = teacher(locale="ru"), teacher(locale="en")
    for person in (russian, english):
        f.subscribe(person, "forum", forum.id, "each")
    f.open_topic(forum, author, "Вебинар", "Запись вебинара доступна.")
    ru_letter = f.letters_to(russian.email)[0]
    en_letter = f.letters_to(english.email)[0]
    assert "Анна Петрова пишет в теме «Вебинар»" in ru_letter.body
    assert "Анна Петрова wrote in the topic “Вебинар”" in en_letter.body
    message = build_message(ru_letter, "Вместе <noreply@vmeste.local>")
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/forums/unsubscribe/" in unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in ru_letter.body
    assert f.headers(ru_letter)["List-Unsubscribe"] != f.headers(en_letter)["List-Unsubscribe"]


def test_a_hidden_topic_sends_nothing_and_an_open_forum_without_subscribers_nothing(app) -> None:
    forum = f.network_forum()
    f.open_topic(forum, teacher(), "Тишина", "Никто не подписан.")
    assert f.all_letters() == []


def test_statements_do_not_grow_with_the_subscribers(app, count_queries) -> None:
    forum = f.network_forum()
    author = teacher()
    for _n in range(5):
        f.subscribe(teacher(), "forum", forum.id, "each")
    topic, _post = f.open_topic(forum, author, "Начало", "Первое сообщение.")
    with count_queries() as few:
        f.reply(topic, author, "Второе сообщение.")
    for _n in range(60):
        f.subscribe(teacher(), "forum", forum.id, "each")
    with count_queries() as many:
        f.reply(topic, author, "Третье сообщение.")
    assert len(f.all_letters()) == 5 + 5 + 65
    inserts = [s for s in many.statements if s.lower().startswith("insert into outgoing_mail")]
    assert len(inserts) == 1  # one multi-row INSERT, not 65
    assert _posting(many.statements) == _posting(few.statements)


def _posting(statements: list[str]) -> int:
    """The statements of the posting's transaction (the file outbox's delivery after the commit, a
    development convenience, claims each letter on its own)."""
    delivery = ("UPDATE outgoing_mail", "SELECT outgoing_mail.")
    return sum(1 for statement in statements if not statement.startswith(delivery))
