"""Direct message pages: the inbox (fixed queries whatever its size), a conversation (send, read
marks, a stranger's 404), writing to a person (the pupil's and the blocked sender's 403 with the same
words), block, report, and the moderators' page of reports."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.timeutil import utcnow
from community.messaging import blocks, conversations
from community.messaging.models import DirectMessage, MessageReport
from community.portfolio.portfolio import save_settings
from tests.conftest import login
from tests.factories.accounts import methodist, student, teacher
from tests.factories.courses import course, enrolled

REFUSAL = "Вы не можете написать этому человеку."


def _switch(client: FlaskClient, user: Any) -> None:
    client.post("/auth/logout")
    login(client, user)


def _inbox_queries(client: FlaskClient, count_queries: Any) -> int:
    with count_queries(cold=True) as counter:
        response = client.get("/messages/")
        assert response.status_code == 200
    return counter.count


def test_the_inbox_runs_a_fixed_number_of_queries(client: FlaskClient, count_queries: Any) -> None:
    me = teacher()
    for n in range(2):
        conversations.send_message(teacher(full_name=f"Коллега {n}"), me, f"Письмо {n}", now=utcnow())
    login(client, me)
    small = _inbox_queries(client, count_queries)
    for n in range(25):
        other = teacher(full_name=f"Ещё коллега {n}")
        conversations.send_message(other, me, "Здравствуйте", now=utcnow())
        conversations.send_message(me, other, "Добрый день", now=utcnow())
    blocks.block(me, teacher(), now=utcnow())
    assert _inbox_queries(client, count_queries) == small
    html = client.get("/messages/").get_data(as_text=True)
    assert "Ещё коллега 24" in html and 'id="messages-link"' in html


def test_the_header_counts_notifications_and_messages_in_one_query(
    client: FlaskClient, count_queries: Any
) -> None:
    me = teacher()
    login(client, me)
    with count_queries(cold=True) as before:
        client.get("/dashboard")
    for n in range(12):
        conversations.send_message(teacher(), me, f"Сообщение {n}", now=utcnow())
    with count_queries(cold=True) as after:
        html = client.get("/dashboard").get_data(as_text=True)
    assert after.count == before.count
    link = html.split('id="messages-link">', 1)[1].split("</a>", 1)[0]
    assert '<span class="badge text-bg-warning">12</span>' in link


def test_a_conversation_sends_marks_read_and_refuses_an_empty_message(client: FlaskClient) -> None:
    me, other = teacher(), teacher(full_name="Пётр Иванов")
    message = conversations.send_message(other, me, "Пришлите план урока", now=utcnow())
    conversation_id = message.conversation_id
    login(client, me)
    html = client.get(f"/messages/{conversation_id}").get_data(as_text=True)
    assert "Пришлите план урока" in html and "Пётр Иванов" in html
    assert db.session.get(DirectMessage, message.id).read_at is not None  # type: ignore[union-attr]
    empty = client.post(f"/messages/{conversation_id}", data={"text": "  "})
    assert empty.status_code == 422 and "Сначала напишите сообщение." in empty.get_data(as_text=True)
    sent = client.post(f"/messages/{conversation_id}", data={"text": "Высылаю"})
    assert sent.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(DirectMessage)) == 2
    _switch(client, teacher())
    assert client.get(f"/messages/{conversation_id}").status_code == 404


def test_a_pupil_writes_to_their_teacher_but_not_to_a_stranger(client: FlaskClient) -> None:
    author, stranger = teacher(full_name="Учитель Курса"), teacher()
    pupil = enrolled(course(author), student())
    login(client, pupil)
    refused = client.get(f"/messages/with/{stranger.id}")
    assert refused.status_code == 403 and REFUSAL in refused.get_data(as_text=True)
    assert client.post(f"/messages/with/{stranger.id}", data={"text": "Привет"}).status_code == 403
    assert client.get(f"/messages/with/{author.id}").status_code == 200
    sent = client.post(f"/messages/with/{author.id}", data={"text": "Не получается задание 3"})
    assert sent.status_code == 302 and "/messages/" in sent.headers["Location"]
    assert client.get(f"/messages/with/{author.id}").status_code == 302  # the conversation now
    assert client.get("/messages/with/999999").status_code == 404


def test_a_blocked_sender_gets_the_same_refusal(client: FlaskClient) -> None:
    me, pest = teacher(), teacher()
    blocks.block(me, pest, now=utcnow())
    login(client, pest)
    refused = client.post(f"/messages/with/{me.id}", data={"text": "Ответьте"})
    assert refused.status_code == 403 and REFUSAL in refused.get_data(as_text=True)


def test_block_unblock_and_report_from_the_conversation(client: FlaskClient) -> None:
    me, other = teacher(), teacher(full_name="Назойливый Коллега")
    message = conversations.send_message(other, me, "Реклама", now=utcnow())
    login(client, me)
    assert client.post(f"/messages/report/{message.id}", data={"reason": "спам"}).status_code == 302
    again = client.post(f"/messages/report/{message.id}", data={"reason": "спам"}, follow_redirects=True)
    assert "Вы уже пожаловались на это сообщение." in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(MessageReport)) == 1
    assert client.post(f"/messages/people/{other.id}/block").status_code == 302
    assert "Назойливый Коллега" in client.get("/messages/").get_data(as_text=True)
    page = client.get(f"/messages/{message.conversation_id}").get_data(as_text=True)
    assert "Вы заблокировали этого человека" in page
    assert client.post(f"/messages/people/{other.id}/unblock").status_code == 302
    assert not blocks.blocked_people(me.id)


def test_only_moderators_see_and_resolve_reports(client: FlaskClient) -> None:
    a, b = teacher(), teacher()
    message = conversations.send_message(a, b, "Грубость", now=utcnow())
    login(client, b)
    client.post(f"/messages/report/{message.id}", data={"reason": "оскорбление"})
    assert client.get("/messages/reports").status_code == 403
    report_id = db.session.scalar(select(MessageReport.id))
    assert client.post(f"/messages/reports/{report_id}/resolve").status_code == 403
    _switch(client, methodist())
    html = client.get("/messages/reports").get_data(as_text=True)
    assert "Грубость" in html and "оскорбление" in html
    assert client.post(f"/messages/reports/{report_id}/resolve").status_code == 302
    assert "Открытых жалоб нет." in client.get("/messages/reports").get_data(as_text=True)
    _switch(client, student())
    assert client.get("/messages/reports").status_code == 403


def test_a_public_portfolio_offers_to_write_where_one_may(client: FlaskClient) -> None:
    owner = teacher(full_name="Ольга Викторовна")
    save_settings(owner, actor=owner, is_public=True, sections={"courses"}, now=utcnow())
    login(client, teacher())
    html = client.get(f"/portfolio/{owner.id}").get_data(as_text=True)
    assert f'data-write-message href="/messages/with/{owner.id}"' in html
    _switch(client, owner)
    assert "data-write-message" not in client.get(f"/portfolio/{owner.id}").get_data(as_text=True)
    _switch(client, student())
    assert "data-write-message" not in client.get(f"/portfolio/{owner.id}").get_data(as_text=True)
