"""Forum search on the database the suite runs on (SQLite or PostgreSQL with TEST_DATABASE_URL):
Russian word forms, ё, titles, the index following edits and hiding, hidden posts and topics never
found, only the forums asked for, the Q&A rule, and pages in fixed queries."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from app.extensions import db
from app.timeutil import utcnow
from community.forums import moderation, posts, search, topics
from community.forums.models import ForumKind, Post
from tests.factories.accounts import student, teacher
from tests.factories.forums import forum, post, topic

pytestmark = pytest.mark.usefixtures("app")


def _found(q: str, forum_ids: list[int], viewer_id: int = 0, **kw: object) -> list[str]:
    db.session.commit()
    query = search.text_query(q)
    assert query is not None
    page = search.search_posts(query, forum_ids=forum_ids, viewer_id=viewer_id, per_page=50, **kw)  # type: ignore[arg-type]
    return [hit.post.text for hit in page.items]


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Как объяснить сложение дробей пятиклассникам?", "дробь"),
        ("Что такое дробь и зачем она нужна", "дробями"),
        ("Провела открытые уроки по геометрии", "урок"),
        ("Ёлочные игрушки на уроке технологии", "елочная"),
        ("Елочные игрушки на уроке технологии", "Ёлочный"),
        ("Presentations for English lessons", "presentation"),
    ],
)
def test_other_word_forms_are_found(text: str, query: str) -> None:
    author = teacher()
    place = forum()
    topic(place, author, title="Методическая копилка", texts=("Здравствуйте, коллеги.", text))
    topic(place, author, title="Химия", texts=("Лабораторная работа по химии",))
    assert _found(query, [place.id]) == [text]


def test_every_word_is_needed_and_stop_words_are_ignored() -> None:
    author = teacher()
    place = forum()
    topic(place, author, title="Вопрос", texts=("Сложение дробей на уроке", "Вычитание дробей в контрольной"))
    assert _found("урок и дроби!", [place.id]) == ["Сложение дробей на уроке"]
    assert _found("дроби химия", [place.id]) == []
    assert search.text_query("и в на") is None


def test_a_topic_is_found_by_its_title_through_its_opening_post() -> None:
    author = teacher()
    place = forum()
    topic(place, author, title="Олимпиада по астрономии", texts=("Кто готовит детей?", "Я готовлю."))
    assert _found("астрономическая олимпиада", [place.id]) == []
    assert _found("олимпиады астрономии", [place.id]) == ["Кто готовит детей?"]


def test_hidden_posts_and_hidden_topics_are_never_found() -> None:
    author = teacher()
    place = forum()
    shown = topic(place, author, title="Тема", texts=("Видимый ответ про дроби",))
    post(shown, author, "Скрытый ответ про дроби", hidden=True)
    topic(place, author, title="Скрытая тема", texts=("Дроби в скрытой теме",), hidden=True)
    assert _found("дроби", [place.id]) == ["Видимый ответ про дроби"]
    # Hidden after it was indexed: the query leaves it out even before the index is told...
    db.session.execute(update(Post).where(Post.text.startswith("Видимый")).values(hidden_at=utcnow()))
    assert _found("дроби", [place.id]) == []
    # ...and index_post forgets it.
    hidden = db.session.query(Post).filter(Post.text.startswith("Видимый")).one()
    search.index_post(hidden)
    db.session.execute(update(Post).where(Post.id == hidden.id).values(hidden_at=None))
    db.session.commit()
    db.session.expire_all()
    search.index_post(db.session.get(Post, hidden.id))  # type: ignore[arg-type]
    assert _found("дроби", [place.id]) == ["Видимый ответ про дроби"]


def test_an_edited_post_is_found_by_its_new_words_only() -> None:
    author = teacher()
    place = forum()
    subject = topic(place, author, title="Вопрос коллегам", texts=("Первый вариант про дроби",))
    first = db.session.query(Post).filter(Post.topic_id == subject.id).one()
    db.session.execute(update(Post).where(Post.id == first.id).values(text="Исправлено: про проценты"))
    db.session.expire_all()
    search.index_post(db.session.get(Post, first.id))  # type: ignore[arg-type]
    assert _found("дроби", [place.id]) == []
    assert _found("процентов", [place.id]) == ["Исправлено: про проценты"]


def test_only_the_forums_asked_for_are_searched() -> None:
    author = teacher()
    mine, other = forum(), forum()
    topic(mine, author, texts=("Дроби у нас",))
    topic(other, author, texts=("Дроби у них",))
    assert _found("дроби", [mine.id]) == ["Дроби у нас"]
    query = search.text_query("дроби")
    assert query is not None and search.search_posts(query, forum_ids=[], viewer_id=0).total == 0


def test_qa_answers_are_found_only_by_those_who_have_answered() -> None:
    staff, pupil, other = teacher(), student(), student()
    qa = forum(kind=ForumKind.QA)
    question = topic(qa, staff, title="Задача про дроби", texts=("Сократите дробь 6/8",))
    post(question, other, "Ответ: дробь 3/4")
    ids = [qa.id]
    assert _found("дробь", ids, pupil.id, qa_forum_ids=ids) == ["Сократите дробь 6/8"]
    post(question, pupil, "Моя дробь 3/4")
    found = _found("дробь", ids, pupil.id, qa_forum_ids=ids)
    assert sorted(found) == ["Моя дробь 3/4", "Ответ: дробь 3/4", "Сократите дробь 6/8"]
    assert len(_found("дробь", ids, staff.id)) == 3  # a moderator: no Q&A restriction asked


def test_results_are_paginated_in_fixed_queries(count_queries) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    place = forum()
    for i in range(3):
        topic(place, author, title=f"Тема {i}", texts=tuple(f"Дроби, сообщение {i}-{n}" for n in range(9)))
    place_id = place.id
    db.session.commit()
    query = search.text_query("дробей")
    assert query is not None
    with count_queries(cold=True) as counter:
        page = search.search_posts(query, forum_ids=[place_id], viewer_id=0, page=2, per_page=10)
        _ = [(hit.post.author.full_name, hit.topic.title, hit.forum.title) for hit in page.items]  # type: ignore[union-attr]
    assert page.total == 27 and len(page.items) == 10 and page.pages == 3
    assert counter.count == 2


def test_snippet_marks_the_words_found_and_keeps_the_text_plain() -> None:
    pieces = search.snippet("Вопрос: <b>как</b> складывать дроби?", {"дроб"})
    assert ("дроби", True) in pieces
    assert "".join(piece for piece, _ in pieces).startswith("Вопрос: <b>как</b>")
    long_text = " ".join(["слово"] * 100 + ["дробями"] + ["слово"] * 100)
    cut = search.snippet(long_text, {"дроб"})
    assert cut[0] == ("… ", False) and cut[-1] == (" …", False) and ("дробями", True) in cut


def test_the_posting_services_keep_the_index() -> None:
    author, moderator = teacher(), teacher()
    place = forum()
    opened, _first = topics.open_topic(place, author, "Проектная неделя", "Планируем проекты", now=utcnow())
    reply = posts.reply(opened, author, "Нужны идеи для проектов по экологии", now=utcnow())
    assert sorted(_found("проектах", [place.id])) == [
        "Нужны идеи для проектов по экологии",
        "Планируем проекты",
    ]
    posts.edit_post(reply, opened, author, "Нужны идеи по экологии", now=utcnow())
    assert _found("экология", [place.id]) == ["Нужны идеи по экологии"]
    assert _found("проекты", [place.id]) == ["Планируем проекты"]
    moderation.hide_post(reply, opened, moderator, "Не по теме", now=utcnow())
    assert _found("экология", [place.id]) == []
