"""Direct messages: writing, the inbox and read marks, each refusal (oneself, empty, oversized,
blocked, reporting twice or one's own message), blocks and reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.domain_errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.timeutil import utcnow
from community.messaging import blocks, conversations, reports
from community.messaging.models import Conversation, DirectMessage, MessageReport
from tests.factories.accounts import teacher

pytestmark = pytest.mark.usefixtures("app")


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_messages_go_to_one_conversation_and_the_inbox_counts_unread() -> None:
    a, b, c = teacher(full_name="Анна"), teacher(full_name="Борис"), teacher(full_name="Вера")
    now = utcnow()
    conversations.send_message(a, b, "Здравствуйте!", now=now)
    conversations.send_message(b, a, "Добрый день", now=now + timedelta(minutes=1))
    conversations.send_message(a, b, "Как **дела**?", now=now + timedelta(minutes=2))
    conversations.send_message(c, b, "Вопрос про олимпиаду", now=now + timedelta(minutes=3))
    assert _count(Conversation) == 2
    inbox = conversations.inbox(b.id, page=1, per_page=10)
    assert [(row.other.full_name, row.unread, row.last_text) for row in inbox.items] == [
        ("Вера", 1, "Вопрос про олимпиаду"),
        ("Анна", 2, "Как **дела**?"),
    ]
    found = inbox.items[1].conversation
    page = conversations.messages_page(found, page=1, per_page=2)
    assert [m.text for m in page.items] == ["Добрый день", "Как **дела**?"] and page.total == 3
    assert "<strong>дела</strong>" in page.items[1].html
    assert conversations.mark_read(found, b, now=now) == 2
    assert conversations.mark_read(found, b, now=now) == 0
    assert [row.unread for row in conversations.inbox(b.id, page=1, per_page=10).items] == [1, 0]
    assert conversations.inbox(a.id, page=1, per_page=10).items[0].unread == 1


@pytest.mark.parametrize(("text", "field"), [("", "text"), ("  ", "text"), ("я" * 5001, "text")])
def test_an_empty_or_oversized_message_is_refused_and_nothing_written(text: str, field: str) -> None:
    with pytest.raises(Invalid) as error:
        conversations.send_message(teacher(), teacher(), text, now=utcnow())
    assert field in error.value.fields
    assert _count(Conversation) == 0 and _count(DirectMessage) == 0


def test_writing_to_oneself_is_refused() -> None:
    me = teacher()
    with pytest.raises(Invalid) as error:
        conversations.send_message(me, me, "Заметка себе", now=utcnow())
    assert error.value.fields == {"to": "Нельзя написать самому себе."}


def test_a_blocked_sender_cannot_write_and_is_told_nothing_more() -> None:
    a, b = teacher(), teacher()
    conversations.send_message(a, b, "Купите мой курс", now=utcnow())
    assert blocks.block(b, a, now=utcnow()) is True
    assert blocks.block(b, a, now=utcnow()) is False  # twice changes nothing
    with pytest.raises(Forbidden) as error:
        conversations.send_message(a, b, "Ещё раз", now=utcnow())
    assert error.value.message == "Вы не можете написать этому человеку."
    with pytest.raises(Conflict):
        conversations.send_message(b, a, "А я напишу", now=utcnow())  # unblock first
    assert [person.id for person in blocks.blocked_people(b.id)] == [a.id]
    assert blocks.unblock(b, a) is True and blocks.unblock(b, a) is False
    conversations.send_message(a, b, "Извините", now=utcnow())
    assert _count(DirectMessage) == 2


def test_the_recipient_reports_a_message_once() -> None:
    a, b = teacher(), teacher()
    message = conversations.send_message(a, b, "Грубость", now=utcnow())
    with pytest.raises(Forbidden):
        reports.report_message(message, a, "", now=utcnow())  # one's own message
    with pytest.raises(Forbidden):
        reports.report_message(message, teacher(), "", now=utcnow())  # a stranger
    with pytest.raises(Invalid):
        reports.report_message(message, b, "я" * 1001, now=utcnow())
    report = reports.report_message(message, b, "Оскорбление", now=utcnow())
    with pytest.raises(Conflict):
        reports.report_message(message, b, "Ещё раз", now=utcnow())
    assert _count(MessageReport) == 1
    listed = reports.open_reports(page=1, per_page=10)
    assert [(r.report.id, r.sender.id, r.reporter.id) for r in listed.items] == [(report.id, a.id, b.id)]
    moderator = teacher()
    reports.resolve_report(report, moderator, now=utcnow())
    with pytest.raises(Conflict):
        reports.resolve_report(report, moderator, now=utcnow())
    assert reports.open_reports(page=1, per_page=10).total == 0
