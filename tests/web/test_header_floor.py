"""The floor every signed-in page pays: the user, this login, the bell, the unread messages and the
jury link in one statement, whatever the data; and the header's counters follow the data."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.notifications import notify
from app.timeutil import utcnow
from community.messaging import conversations
from community.messaging.models import DirectMessage
from community.notices.inbox import mark_read
from contest_engine.jury.models import StageJuror
from tests.conftest import login
from tests.factories.accounts import student, teacher
from tests.factories.jury import jury_stage

EMPTY_PAGE = "/auth/password"


def _badge(html: str, link_id: str) -> str:
    link = html.split(f'id="{link_id}">', 1)[1].split("</a>", 1)[0]
    return link.split('text-bg-warning">', 1)[1].split("<", 1)[0] if "text-bg-warning" in link else ""


def _statements(client: FlaskClient, count_queries: Any, path: str = EMPTY_PAGE) -> list[str]:
    with count_queries(cold=True) as counter:
        response = client.get(path)
    assert response.status_code == 200
    return counter.statements


def test_the_empty_signed_in_page_costs_one_statement_whatever_the_data(
    client: FlaskClient, count_queries: Any
) -> None:
    me = teacher()
    me_id = me.id
    login(client, me)
    assert len(_statements(client, count_queries)) == 1
    others = [teacher() for _ in range(3)]
    for n in range(30):
        notify(me_id, f"Новость {n}")
        conversations.send_message(others[n % 3], me, f"Сообщение {n}", now=utcnow())
    db.session.commit()
    assert len(_statements(client, count_queries)) == 1
    html = client.get(EMPTY_PAGE).get_data(as_text=True)
    assert _badge(html, "notifications-link") == "30" and _badge(html, "messages-link") == "30"


def test_the_bell_rings_when_a_notification_arrives_and_stops_when_read(client: FlaskClient) -> None:
    me = student()
    me_id = me.id
    login(client, me)
    assert _badge(client.get("/dashboard").get_data(as_text=True), "notifications-link") == ""
    notify(me_id, "Работа проверена")
    db.session.commit()
    assert _badge(client.get("/dashboard").get_data(as_text=True), "notifications-link") == "1"
    notify(me_id, "Новый курс")
    db.session.commit()
    assert _badge(client.get(EMPTY_PAGE).get_data(as_text=True), "notifications-link") == "2"
    mark_read(me_id, None, now=utcnow())
    assert _badge(client.get(EMPTY_PAGE).get_data(as_text=True), "notifications-link") == ""


def test_marking_all_read_on_the_page_clears_the_bell_on_the_next_page(client: FlaskClient) -> None:
    me = teacher()
    notify(me.id, "Приглашение в жюри")
    db.session.commit()
    login(client, me)
    response = client.post("/notifications", follow_redirects=True)
    assert response.status_code == 200
    assert _badge(response.get_data(as_text=True), "notifications-link") == ""


def test_the_jury_link_follows_a_seat_on_a_stage_jury(client: FlaskClient, count_queries: Any) -> None:
    stage_id = jury_stage(entries=0, jurors=0).stage.id
    me = teacher()
    me_id = me.id
    login(client, me)
    assert 'href="/jury/"' not in client.get(EMPTY_PAGE).get_data(as_text=True)
    before = len(_statements(client, count_queries))
    db.session.add(StageJuror(stage_id=stage_id, user_id=me_id))
    db.session.commit()
    assert 'href="/jury/"' in client.get(EMPTY_PAGE).get_data(as_text=True)
    assert len(_statements(client, count_queries)) == before == 1


def test_another_login_of_the_same_person_is_not_mixed_up(client: FlaskClient, app: Any) -> None:
    """The facts are kept per request and per person: a second browser sees its own person's bell."""
    me, other = teacher(), teacher()
    notify(me.id, "Только мне")
    db.session.commit()
    login(client, me)
    second = app.test_client()
    login(second, other)
    assert _badge(client.get(EMPTY_PAGE).get_data(as_text=True), "notifications-link") == "1"
    assert _badge(second.get(EMPTY_PAGE).get_data(as_text=True), "notifications-link") == ""


def test_opening_a_conversation_reads_it_after_the_page_and_its_header_says_so(
    client: FlaskClient, app: Any
) -> None:
    me, friend, stranger = teacher(), teacher(), teacher()
    for n in range(3):
        message = conversations.send_message(friend, me, f"Вопрос {n}", now=utcnow())
    conversations.send_message(stranger, me, "Другое", now=utcnow())
    conversation_id = message.conversation_id
    login(client, me)
    app.config["GET_WRITE_GUARD"] = "raise"  # the page itself must not write
    try:
        html = client.get(f"/messages/{conversation_id}").get_data(as_text=True)
    finally:
        app.config["GET_WRITE_GUARD"] = ""
    assert "Вопрос 2" in html and _badge(html, "messages-link") == "1"
    unread = db.session.scalar(
        select(func.count()).where(
            DirectMessage.conversation_id == conversation_id, DirectMessage.read_at.is_(None)
        )
    )
    assert unread == 0
    assert _badge(client.get(EMPTY_PAGE).get_data(as_text=True), "messages-link") == "1"
