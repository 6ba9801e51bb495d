"""Community API: direct messages — the caller's conversations, a conversation's messages (reading
them marks them read), writing to a person or in a conversation, blocking and reporting.

Refusals: 403 "you cannot write to this person" (the rules keep them apart, or they blocked the
caller: the same words), 422 for an empty or oversized text or oneself, 409 for a second report,
404 for a conversation or message the caller is not part of.
"""

from __future__ import annotations

from typing import Any

from pydantic import StrictStr

from app.accounts import User
from app.api.core import ApiError, Id, Strict, api_user, endpoint, not_found, page_params, paginated
from app.extensions import db
from app.permissions.messaging import can_view_conversation, can_write_to
from app.timeutil import utcnow
from community.messaging import blocks, conversations, reports
from community.messaging.conversations import InboxRow
from community.messaging.models import Conversation, DirectMessage
from community.messaging.refusals import CANNOT_WRITE
from community.messaging.rules import other_member

TAG = "messages"


class FirstMessageIn(Strict):
    to: Id
    text: StrictStr


class MessageIn(Strict):
    text: StrictStr


class ReportIn(Strict):
    reason: StrictStr = ""


def message_json(message: DirectMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "conversation_id": message.conversation_id,
        "sender_id": message.sender_id,
        "text": message.text,
        "html": message.html,
        "created_at": message.created_at.isoformat(),
        "read_at": message.read_at.isoformat() if message.read_at else None,
    }


def conversation_json(row: InboxRow) -> dict[str, Any]:
    return {
        "id": row.conversation.id,
        "with": {"id": row.other.id, "name": row.other.full_name},
        "last_message_at": row.conversation.last_message_at.isoformat(),
        "last_text": row.last_text,
        "unread": row.unread,
    }


def _conversation(conversation_id: int, user: User) -> Conversation:
    found = db.session.get(Conversation, conversation_id)
    if found is None or not can_view_conversation(user, found):
        raise not_found()
    return found


def _send(user: User, recipient_id: int, text: str) -> Any:
    recipient = db.session.get(User, recipient_id)
    if recipient is None or not recipient.active:
        raise not_found()
    if recipient.id != user.id and not can_write_to(user, recipient):
        raise ApiError(403, str(CANNOT_WRITE))
    return message_json(conversations.send_message(user, recipient, text, now=utcnow()))


@endpoint(
    "/conversations",
    summary="The caller's conversations, latest first, with the other person and the unread count",
    tag=TAG,
    query={"page": "integer", "per_page": "integer"},
)
def list_conversations() -> Any:
    page, per_page = page_params(default_per_page=30)
    return paginated(conversations.inbox(api_user().id, page=page, per_page=per_page), conversation_json)


@endpoint(
    "/messages",
    "POST",
    summary="Write to a person (their conversation with the caller is started or continued)",
    tag=TAG,
    body=FirstMessageIn,
    status=201,
)
def send_first(body: FirstMessageIn) -> Any:
    return _send(api_user(), body.to, body.text)


@endpoint(
    "/conversations/<int:conversation_id>/messages",
    summary="A conversation's messages, latest page first (each page oldest first); marks them read",
    tag=TAG,
    query={"page": "integer", "per_page": "integer"},
)
def list_messages(conversation_id: int) -> Any:
    user = api_user()
    found = _conversation(conversation_id, user)
    page, per_page = page_params(default_per_page=50)
    listed = paginated(conversations.messages_page(found, page=page, per_page=per_page), message_json)
    conversations.mark_read_after_response(found, user, now=utcnow())
    return listed


@endpoint(
    "/conversations/<int:conversation_id>/messages",
    "POST",
    summary="Write in a conversation",
    tag=TAG,
    body=MessageIn,
    status=201,
)
def send_in_conversation(conversation_id: int, body: MessageIn) -> Any:
    user = api_user()
    found = _conversation(conversation_id, user)
    return _send(user, other_member(found.low_user_id, found.high_user_id, user.id), body.text)


@endpoint("/users/<int:user_id>/block", "POST", summary="Block a person from writing to the caller", tag=TAG)
def block_user(user_id: int) -> Any:
    user = api_user()
    other = db.session.get(User, user_id)
    if other is None:
        raise not_found()
    blocks.block(user, other, now=utcnow())
    return {"blocked": True}


@endpoint("/users/<int:user_id>/block", "DELETE", summary="Unblock a person", tag=TAG)
def unblock_user(user_id: int) -> Any:
    user = api_user()
    other = db.session.get(User, user_id)
    if other is None:
        raise not_found()
    blocks.unblock(user, other)
    return {"blocked": False}


@endpoint(
    "/messages/<int:message_id>/report",
    "POST",
    summary="Report a message received to the moderators (once per message)",
    tag=TAG,
    body=ReportIn,
    status=201,
)
def report_message(message_id: int, body: ReportIn) -> Any:
    user = api_user()
    message = db.session.get(DirectMessage, message_id)
    if message is None:
        raise not_found()
    _conversation(message.conversation_id, user)
    report = reports.report_message(message, user, body.reason, now=utcnow())
    return {"id": report.id, "message_id": message.id, "created_at": report.created_at.isoformat()}
