"""The subscriptions page and its mode selectors, the subscribe control's POST, and the one-click
unsubscribe page that letters link to (no session, no CSRF token: the signature is the proof)."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from flask_login import login_user
from sqlalchemy import select

from app.accounts import User
from app.extensions import db
from app.forums.subscription_links import sign
from app.timeutil import utcnow
from community.forums.models import Forum
from community.subscriptions import digest
from community.subscriptions.access import Scope
from community.subscriptions.models import DeliveryMode, Subscription
from tests.conftest import login
from tests.factories import forum_subs as f
from tests.factories.accounts import student, teacher
from tests.factories.community import AssociationFactory, add_member
from tests.factories.courses import enrolled


def _mode(user_id: int, target_id: int) -> str | None:
    db.session.expire_all()
    row = db.session.scalar(
        select(Subscription).where(Subscription.user_id == user_id, Subscription.target_id == target_id)
    )
    return None if row is None else str(row.mode)


def _path(url: str) -> str:
    return urlsplit(url).path


def test_the_page_lists_course_news_as_forced_and_other_subscriptions(client, app) -> None:  # type: ignore[no-untyped-def]
    c = f.news_course(students=1)
    pupil = c.students[0]
    forum = f.network_forum()
    f.subscribe(pupil, "forum", forum.id, "digest")
    login(client, pupil)
    page = client.get("/forums/subscriptions")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    news_row = html[html.index(f'data-entry="forum-{c.news.id}"') :]
    news_row = news_row[: news_row.index("</tr>")]
    assert 'value="off"' not in news_row and "новости курса" in news_row
    forum_row = html[html.index(f'data-entry="forum-{forum.id}"') :]
    forum_row = forum_row[: forum_row.index("</tr>")]
    assert 'value="off"' in forum_row and 'value="digest" selected' in forum_row


def test_the_control_changes_the_mode_and_goes_back(client, app) -> None:  # type: ignore[no-untyped-def]
    forum = f.network_forum()
    reader = teacher()
    login(client, reader)
    response = client.post(
        "/forums/subscriptions",
        data={"target": "forum", "target_id": forum.id, "mode": "each", "back": f"/forums/{forum.id}"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/forums/{forum.id}")
    assert _mode(reader.id, forum.id) == "each"


def test_the_control_refuses_bad_input_with_a_message(client, app) -> None:  # type: ignore[no-untyped-def]
    c = f.news_course(students=1)
    pupil = c.students[0]
    other = f.news_course(students=0)
    login(client, pupil)
    cases = [
        ({"target": "forum", "target_id": c.news.id, "mode": "off"}, "нельзя отключить"),
        ({"target": "forum", "target_id": other.general.id, "mode": "each"}, "Здесь не на что подписаться"),
        ({"target": "forum", "target_id": "abc", "mode": "each"}, "Выберите, на что подписаться"),
        ({"target": "forum", "target_id": "99999999999", "mode": "each"}, "Выберите, на что подписаться"),
        ({"target": "course", "target_id": c.news.id, "mode": "each"}, "Допустимые значения"),
        ({"target": "forum", "target_id": c.news.id, "mode": "weekly"}, "Допустимые значения"),
    ]
    for data, message in cases:
        response = client.post("/forums/subscriptions", data=data | {"back": "//evil.example/x"})
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/forums/subscriptions")  # never another host
        assert message in client.get("/forums/subscriptions").get_data(as_text=True), data
    assert db.session.query(Subscription).count() == 0


def test_signing_in_is_needed_for_the_page_and_the_control(client, app) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/forums/subscriptions").status_code == 302
    assert client.post("/forums/subscriptions", data={"target": "forum"}).status_code == 302


def test_the_digest_link_confirms_then_unsubscribes_without_signing_in(client, app) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    forum = f.network_forum()
    reader, author = teacher(), teacher()
    f.subscribe(reader, "forum", forum.id, "digest")
    f.open_topic(
        forum,
        author,
        "Методический час",
        "Полный текст приглашения на методический час.",
        now - timedelta(hours=1),
    )
    digest.send_digests(now)
    body = f.letters_to(reader.email)[0].body
    assert "Полный текст приглашения на методический час." in body
    link = re.search(r"Отписаться от этого форума: (\S+)", body)
    assert link is not None
    page = client.get(_path(link.group(1)))
    assert page.status_code == 200 and 'data-unsubscribe="confirm"' in page.get_data(as_text=True)
    assert _mode(reader.id, forum.id) == "digest"  # a GET changes nothing (link scanners open it)
    done = client.post(_path(link.group(1)))
    assert done.status_code == 200 and 'data-unsubscribe="off"' in done.get_data(as_text=True)
    assert _mode(reader.id, forum.id) == "off"


def test_one_click_post_without_session_or_csrf_token(client, app) -> None:  # type: ignore[no-untyped-def]
    forum = f.network_forum()
    reader = teacher()
    f.subscribe(reader, "forum", forum.id, "each")
    f.open_topic(forum, teacher(), "Тема", "Текст.")
    header = f.headers(f.letters_to(reader.email)[0])["List-Unsubscribe"]
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(
            _path(header.strip("<>")),
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 200
    assert _mode(reader.id, forum.id) == "off"


def test_a_forged_or_altered_token_is_refused(client, app) -> None:  # type: ignore[no-untyped-def]
    forum = f.network_forum()
    reader = teacher()
    f.subscribe(reader, "forum", forum.id, "each")
    good = sign(Scope(reader.id, "forum", forum.id))
    payload, _time, _signature = good.split(".")
    forged = f"{payload}.{_time}.AAAAAAAAAAAAAAAAAAAAAAAAAAA"
    for token in (forged, "nonsense", good[:-2]):
        assert client.get(f"/forums/unsubscribe/{token}").status_code == 400
        assert client.post(f"/forums/unsubscribe/{token}").status_code == 400
    assert _mode(reader.id, forum.id) == "each"


def test_unsubscribing_from_course_news_moves_it_to_the_digest(client, app) -> None:  # type: ignore[no-untyped-def]
    c = f.news_course(students=1)
    pupil = c.students[0]
    f.open_topic(c.news, c.author, "Новость", "Текст новости.")
    header = f.headers(f.letters_to(pupil.email)[0])["List-Unsubscribe"]
    response = client.post(_path(header.strip("<>")))
    assert 'data-unsubscribe="digest"' in response.get_data(as_text=True)
    assert _mode(pupil.id, c.news.id) == "digest"


def test_stopping_the_whole_digest(client, app) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    forum, other = f.network_forum(), f.news_course(students=0).general
    reader = teacher()
    f.subscribe(reader, "forum", forum.id, "digest")
    f.open_topic(forum, teacher(), "Тема", "Текст.", now - timedelta(hours=1))
    digest.send_digests(now)
    header = f.headers(f.letters_to(reader.email)[0])["List-Unsubscribe"]
    assert client.post(_path(header.strip("<>"))).status_code == 200
    assert _mode(reader.id, forum.id) == "off"
    assert db.session.query(Subscription).filter_by(mode=DeliveryMode.DIGEST).count() == 0
    assert other.id  # another place's forum is untouched


def test_the_page_runs_the_same_queries_for_few_or_many_subscriptions(client, app, count_queries) -> None:  # type: ignore[no-untyped-def]
    forum_id = f.network_forum().id
    reader_id, author_id = student().id, teacher().id
    db.session.commit()
    counts = []
    for courses, topics in ((1, 2), (3, 12)):
        reader, author = db.session.get(User, reader_id), db.session.get(User, author_id)
        forum = db.session.get(Forum, forum_id)
        for _n in range(courses):
            enrolled(f.news_course(students=0).course, reader, "student")
        for n in range(topics):
            topic, _p = f.open_topic(forum, author, f"Тема {n}", "Текст.")
            f.subscribe(reader, "topic", topic.id, "digest")
        f.subscribe(reader, "forum", forum_id, "each")
        db.session.commit()
        login(client, reader)
        with count_queries(cold=True) as counter:
            page = client.get("/forums/subscriptions")
        assert page.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_the_control_macro_reads_the_state_itself(client, app) -> None:  # type: ignore[no-untyped-def]
    c = f.news_course(students=1)
    pupil = c.students[0]
    forum = f.network_forum()
    f.subscribe(pupil, "forum", forum.id, "digest")
    login(client, pupil)
    template = app.jinja_env.from_string(
        '{% from "forums/_subscribe.html" import subscribe_control %}'
        "{{ subscribe_control('forum', news.id, news) }}|{{ subscribe_control('forum', forum.id, forum) }}"
    )
    with app.test_request_context("/forums/"):
        login_user(db.session.get(User, pupil.id))
        news_html, forum_html = template.render(news=c.news, forum=forum).split("|")
    assert 'value="off"' not in news_html and 'value="each" selected' in news_html
    assert 'value="off"' in forum_html and 'value="digest" selected' in forum_html


def test_forum_topic_and_association_pages_carry_the_control(client, app) -> None:  # type: ignore[no-untyped-def]
    association = AssociationFactory(district="")
    reader = teacher()
    add_member(association, reader)
    forum = f.network_forum()
    topic, _p = f.open_topic(forum, teacher(), "Тема", "Текст.")
    f.subscribe(reader, "topic", topic.id, "digest")
    login(client, reader)
    pages = {
        f"/forums/{forum.id}": f'data-subscription="forum-{forum.id}"',
        f"/forums/topics/{topic.id}": f'data-subscription="topic-{topic.id}"',
        f"/library/associations/{association.id}": f'data-subscription="association-{association.id}"',
    }
    for path, marker in pages.items():
        html = client.get(path).get_data(as_text=True)
        assert marker in html, path
    topic_html = client.get(f"/forums/topics/{topic.id}").get_data(as_text=True)
    assert 'value="digest" selected' in topic_html
