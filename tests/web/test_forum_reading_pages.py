"""The forum search page and the read-mark buttons: what each person finds (only forums they may read,
never hidden posts, participants' names hidden from a blind stage's jurors), refusals by the field,
404 for places one may not read, CSRF on the buttons, and the page in fixed queries."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from community.forums.models import ForumRead, ForumScope, TopicRead
from tests.conftest import login
from tests.factories.accounts import teacher
from tests.factories.courses import course, enrolled
from tests.factories.forum_places import place_world
from tests.factories.forums import forum, post, topic


def _two_courses() -> dict[str, object]:
    author, other_author, reader = teacher(), teacher(), teacher()
    mine, theirs = course(author), course(other_author)
    enrolled(mine, reader)
    in_mine = forum(ForumScope.COURSE, mine.id, title="Форум моего курса")
    in_theirs = forum(ForumScope.COURSE, theirs.id, title="Чужой форум")
    shown = topic(in_mine, author, title="Домашнее задание", texts=("Задачи на дроби к пятнице",))
    post(shown, author, "Скрытый ответ про дроби", hidden=True)
    topic(in_theirs, other_author, title="Чужая тема", texts=("Дроби в чужом курсе",))
    db.session.commit()
    return {
        "reader": reader,
        "mine": in_mine,
        "theirs": in_theirs,
        "course": mine,
        "other": theirs,
        "topic": shown,
    }


def _hits(html: str) -> int:
    return html.count("data-hit=")


def test_search_finds_word_forms_only_in_readable_forums_and_never_hidden_posts(client: FlaskClient) -> None:
    world = _two_courses()
    login(client, world["reader"])
    response = client.get("/forums/search", query_string={"q": "дробями"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _hits(html) == 1 and "<mark>дроби</mark>" in html and "Форум моего курса" in html
    assert "Чужой форум" not in html and "Скрытый ответ" not in html


def test_search_in_one_forum_or_place_and_404_where_one_may_not_read(client: FlaskClient) -> None:
    world = _two_courses()
    login(client, world["reader"])
    mine, theirs = world["mine"].id, world["theirs"].id  # type: ignore[attr-defined]
    assert _hits(client.get(f"/forums/search?q=дроби&scope=forum-{mine}").get_data(as_text=True)) == 1
    own_course = world["course"].id  # type: ignore[attr-defined]
    assert _hits(client.get(f"/forums/search?q=дроби&scope=course-{own_course}").get_data(as_text=True)) == 1
    assert client.get(f"/forums/search?q=дроби&scope=forum-{theirs}").status_code == 404
    other_course = world["other"].id  # type: ignore[attr-defined]
    assert client.get(f"/forums/search?q=дроби&scope=course-{other_course}").status_code == 404
    assert client.get("/forums/search?q=дроби&scope=forum-999999").status_code == 404


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"q": "д" * 201}, "q"),
        ({"q": "дроби", "scope": "galaxy-1"}, "scope"),
        ({"scope": "forum-99999999999"}, "scope"),
    ],
)
def test_bad_search_input_is_refused_by_its_field(
    client: FlaskClient, args: dict[str, str], field: str
) -> None:
    login(client, teacher())
    db.session.commit()
    response = client.get("/forums/search", query_string=args)
    assert response.status_code == 422
    assert f'data-error="{field}"' in response.get_data(as_text=True)


def test_a_query_of_stop_words_says_so_and_the_empty_page_shows_the_form(client: FlaskClient) -> None:
    login(client, teacher())
    db.session.commit()
    assert "data-nothing-to-find" in client.get("/forums/search?q=и+в+на").get_data(as_text=True)
    empty = client.get("/forums/search").get_data(as_text=True)
    assert 'name="q"' in empty and "data-total" not in empty


def test_anonymous_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    assert client.get("/forums/search?q=дроби").status_code == 302
    assert client.post("/forums/read").status_code == 302


def test_a_blind_stage_juror_finds_posts_without_participants_names(client: FlaskClient) -> None:
    world = place_world()
    contest_forum = world.forums["contest"]
    topic(
        contest_forum,
        world.people["participant"],
        title="Вопрос участницы",
        texts=("Когда финал олимпиады?",),
    )
    db.session.commit()
    login(client, world.people["juror"])
    assert world.contest is not None
    html = client.get(f"/forums/search?q=финал&scope=contest-{world.contest.id}").get_data(as_text=True)
    assert _hits(html) == 1 and "Тайная" not in html
    assert f"№{world.participations['participant'].id}" in html


def test_mark_forum_topic_place_and_all_read(client: FlaskClient) -> None:
    world = _two_courses()
    reader = world["reader"]
    login(client, reader)
    mine, theirs, subject = world["mine"].id, world["theirs"].id, world["topic"].id  # type: ignore[attr-defined]
    reader_id = reader.id  # type: ignore[attr-defined]
    assert client.post(f"/forums/{mine}/read").status_code == 302
    assert db.session.scalar(select(ForumRead.forum_id).where(ForumRead.user_id == reader_id)) == mine
    assert client.post(f"/forums/topics/{subject}/read").status_code == 302
    assert db.session.scalar(select(TopicRead.last_read_number).where(TopicRead.user_id == reader_id)) == 2
    assert client.post(f"/forums/course/{world['course'].id}/read").status_code == 302  # type: ignore[attr-defined]
    assert client.post("/forums/read").status_code == 302
    marked = set(db.session.scalars(select(ForumRead.forum_id).where(ForumRead.user_id == reader_id)))
    assert mine in marked and theirs not in marked


def test_marking_what_one_may_not_read_is_a_404(client: FlaskClient) -> None:
    world = _two_courses()
    login(client, world["reader"])
    theirs = world["theirs"]
    other_topic = topic(theirs, teacher(), title="Ещё одна чужая тема")  # type: ignore[arg-type]
    db.session.commit()
    assert client.post(f"/forums/{theirs.id}/read").status_code == 404  # type: ignore[attr-defined]
    assert client.post(f"/forums/topics/{other_topic.id}/read").status_code == 404
    assert client.post(f"/forums/course/{world['other'].id}/read").status_code == 404  # type: ignore[attr-defined]
    assert client.post("/forums/course/999999/read").status_code == 404
    assert db.session.scalar(select(ForumRead.forum_id)) is None


def test_the_buttons_need_the_csrf_token(app: Flask, client: FlaskClient) -> None:
    world = _two_courses()
    login(client, world["reader"])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(f"/forums/{world['mine'].id}/read").status_code == 400  # type: ignore[attr-defined]
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert db.session.scalar(select(ForumRead.forum_id)) is None


def test_the_search_page_runs_the_same_queries_for_two_results_or_twenty(
    client: FlaskClient, count_queries
) -> None:  # type: ignore[no-untyped-def]
    world = _two_courses()
    author = teacher()
    login(client, world["reader"])

    def counted() -> tuple[int, int]:
        client.get("/forums/search?q=дроби")
        with count_queries() as counter:
            response = client.get("/forums/search?q=дроби")
        assert response.status_code == 200
        return _hits(response.get_data(as_text=True)), counter.count

    topic(world["mine"], author, title="Тема", texts=("Снова дроби",))  # type: ignore[arg-type]
    db.session.commit()
    few, few_queries = counted()
    for i in range(18):
        topic(world["mine"], teacher(), title=f"Тема {i}", texts=(f"Снова дроби {i}",))  # type: ignore[arg-type]
    db.session.commit()
    many, many_queries = counted()
    assert (few, many) == (2, 20)
    assert many_queries == few_queries


def test_reading_a_topic_page_marks_it_and_the_lists_show_what_is_new(client: FlaskClient) -> None:
    world = _two_courses()
    reader, subject, mine = world["reader"], world["topic"], world["mine"]
    reader_id, topic_id, forum_id = reader.id, subject.id, mine.id  # type: ignore[attr-defined]
    course_id = world["course"].id  # type: ignore[attr-defined]
    login(client, reader)
    forum_page = client.get(f"/forums/{forum_id}").get_data(as_text=True)
    # From the first unread post to the last (the hidden one keeps its place in the count).
    assert 'data-unread-posts="2"' in forum_page and "data-reading-bar" in forum_page
    assert 'data-unread-topics="1"' in client.get(f"/forums/course/{course_id}").get_data(as_text=True)
    assert client.get(f"/forums/topics/{topic_id}").status_code == 200
    # Read up to the highest number the page showed (the hidden post keeps its place on it).
    assert db.session.scalar(select(TopicRead.last_read_number).where(TopicRead.user_id == reader_id)) == 2
    post(subject, teacher(), "Новый ответ про дроби")  # type: ignore[arg-type]
    db.session.commit()
    assert 'data-unread-posts="1"' in client.get(f"/forums/{forum_id}").get_data(as_text=True)
    assert "#post-3" in client.get(f"/forums/{forum_id}").get_data(as_text=True)
    client.get(f"/forums/topics/{topic_id}")
    assert "data-unread-posts" not in client.get(f"/forums/{forum_id}").get_data(as_text=True)
    assert "data-unread-topics" not in client.get(f"/forums/course/{course_id}").get_data(as_text=True)
