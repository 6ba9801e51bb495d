"""Rows the messaging pages load, or a 404 for ones the viewer may not know exist."""

from __future__ import annotations

from typing import Any

from flask import abort

from app.accounts import User
from app.extensions import db
from app.permissions.messaging import can_view_conversation
from community.messaging.models import Conversation, DirectMessage, MessageReport


def person_or_404(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or not person.active:
        abort(404)
    return person


def conversation_or_404(conversation_id: int, viewer: Any) -> Conversation:
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None or not can_view_conversation(viewer, conversation):
        abort(404)
    return conversation


def message_or_404(message_id: int, viewer: Any) -> tuple[DirectMessage, Conversation]:
    message = db.session.get(DirectMessage, message_id)
    if message is None:
        abort(404)
    return message, conversation_or_404(message.conversation_id, viewer)


def report_or_404(report_id: int) -> MessageReport:
    report = db.session.get(MessageReport, report_id)
    if report is None:
        abort(404)
    return report
