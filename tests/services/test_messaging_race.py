"""Two first messages between the same two people at once (each writing to the other, on real
connections in threads): one conversation, both messages in it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts import User
from app.extensions import db
from app.timeutil import utcnow
from community.messaging import conversations
from community.messaging.models import Conversation, DirectMessage
from tests.concurrency import at_once as _at_once
from tests.factories.accounts import teacher


def _write(sender_id: int, recipient_id: int, text: str) -> Callable[[], object]:
    def call() -> object:
        sender, recipient = db.session.get(User, sender_id), db.session.get(User, recipient_id)
        assert sender is not None and recipient is not None
        return conversations.send_message(sender, recipient, text, now=utcnow()).conversation_id

    return call


def test_two_first_messages_at_once_make_one_conversation(app: Flask) -> None:
    if db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file database or a server")
    a, b = teacher(), teacher()
    a_id, b_id = a.id, b.id
    db.session.commit()
    db.session.close()
    outcomes = _at_once(app, [_write(a_id, b_id, "Здравствуйте!"), _write(b_id, a_id, "Добрый день!")])
    assert all(isinstance(outcome, int) for outcome in outcomes), outcomes
    assert len(set(outcomes)) == 1
    assert db.session.scalar(select(func.count()).select_from(Conversation)) == 1
    assert db.session.scalar(select(func.count()).select_from(DirectMessage)) == 2
