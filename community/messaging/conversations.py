"""Direct messages: write to a person (starting the pair's one conversation or continuing it), the
inbox of conversations with their unread counts, a conversation's messages and its read marks.

Whether the sender may write to the person at all (pupils only to their teachers, organisers and
jurors) is the web's permission, asked before this is called; blocks are checked here. The pair's
conversation is made race-safe: two first messages at once make one conversation (the unique pair
decides, the loser reads the winner's row).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from app import audit
from app.accounts import User
from app.after_response import after_response
from app.domain_errors import Conflict, Forbidden
from app.extensions import db, rows_changed
from app.i18n import _
from app.markdown import render_markdown_uncached
from app.pagination import Page, paginate
from community.messaging import rules
from community.messaging.models import Conversation, DirectMessage, UserBlock
from community.messaging.refusals import CANNOT_WRITE, refusal


@dataclass(frozen=True)
class InboxRow:
    conversation: Conversation
    other: User
    unread: int
    last_text: str
    last_sender_id: int | None


def send_message(actor: User, recipient: User, text: Any, *, now: datetime) -> DirectMessage:
    """Write to the person: 422 for an empty or oversized text or oneself, 403 when they blocked the
    sender (worded as every refusal to write is), 409 when the sender blocked them."""
    try:
        low, high = rules.ordered_pair(actor.id, recipient.id)
        cleaned = rules.message_text(text)
    except rules.RuleError as error:
        raise refusal(error) from None
    if not recipient.active or blocks(recipient.id, actor.id):
        raise Forbidden(str(CANNOT_WRITE))
    if blocks(actor.id, recipient.id):
        raise Conflict(_("You have blocked this person: unblock them to write."))
    conversation = _conversation(low, high, now)
    message = DirectMessage(
        conversation_id=conversation.id,
        sender_id=actor.id,
        text=cleaned,
        html=str(render_markdown_uncached(cleaned)),
        created_at=now,
    )
    db.session.add(message)
    rows_changed(
        update(Conversation)
        .where(Conversation.id == conversation.id, Conversation.last_message_at <= now)
        .values(last_message_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    audit.record(
        "messaging.message_sent",
        actor=actor,
        scope_type="conversation",
        scope_id=conversation.id,
        object_type="direct_message",
        object_id=message.id,
    )
    db.session.commit()
    return message


def conversation_between(first_id: int, second_id: int) -> Conversation | None:
    if first_id == second_id:
        return None
    low, high = sorted((first_id, second_id))
    return db.session.scalar(
        select(Conversation).where(Conversation.low_user_id == low, Conversation.high_user_id == high)
    )


def blocks(blocker_id: int, blocked_id: int) -> bool:
    """Whether `blocker` receives nothing from `blocked`."""
    return bool(
        db.session.scalar(
            select(exists().where(UserBlock.blocker_id == blocker_id, UserBlock.blocked_id == blocked_id))
        )
    )


def inbox(user_id: int, *, page: int, per_page: int) -> Page[InboxRow]:
    """The person's conversations, latest first, each with the other person, the last message and
    how many of the other's messages are unread (two queries whatever the page)."""
    other_id = case(
        (Conversation.low_user_id == user_id, Conversation.high_user_id), else_=Conversation.low_user_id
    )
    theirs, latest = aliased(DirectMessage), aliased(DirectMessage)
    unread = (
        select(func.count())
        .select_from(theirs)
        .where(
            theirs.conversation_id == Conversation.id,
            theirs.sender_id != user_id,
            theirs.read_at.is_(None),
        )
        .correlate(Conversation)
        .scalar_subquery()
    )
    last = (
        select(latest.id)
        .where(latest.conversation_id == Conversation.id)
        .order_by(latest.created_at.desc(), latest.id.desc())
        .limit(1)
        .correlate(Conversation)
        .scalar_subquery()
    )
    query = (
        select(Conversation, User, unread, DirectMessage.text, DirectMessage.sender_id)
        .join(User, User.id == other_id)
        .outerjoin(DirectMessage, DirectMessage.id == last)
        .where(or_(Conversation.low_user_id == user_id, Conversation.high_user_id == user_id))
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
    )
    found = paginate(query, page, per_page, scalars=False)
    rows = [
        InboxRow(conv, other, int(count or 0), text or "", sender)
        for conv, other, count, text, sender in found.items
    ]
    return Page(items=rows, page=found.page, per_page=found.per_page, total=found.total)


def messages_page(conversation: Conversation, *, page: int, per_page: int) -> Page[DirectMessage]:
    """Page 1 holds the latest messages; each page lists its messages oldest first."""
    query = (
        select(DirectMessage)
        .where(DirectMessage.conversation_id == conversation.id)
        .order_by(DirectMessage.created_at.desc(), DirectMessage.id.desc())
    )
    found = paginate(query, page, per_page)
    return Page(items=found.items[::-1], page=found.page, per_page=found.per_page, total=found.total)


def mark_read(conversation: Conversation, reader: User, *, now: datetime) -> int:
    """The other's messages in the conversation are read now (one UPDATE; already read ones keep
    their moment)."""
    changed = _mark_read(conversation.id, reader.id, now)
    db.session.commit()
    return changed


def mark_read_after_response(conversation: Conversation, reader: User, *, now: datetime) -> None:
    """What opening a conversation does: the messages are marked read once the page is made, in a
    write of its own, so the page (a GET) stays a reader (app/after_response.py)."""
    conversation_id, reader_id = conversation.id, reader.id
    after_response(lambda: _mark_read(conversation_id, reader_id, now))


def unread_from_other(conversation: Conversation, reader: User, shown: Page[DirectMessage]) -> int:
    """How many of the other's messages are still unread here, for the header of the page that marks
    them: counted on the page shown, or by one query when the whole page is unread (more may be)."""
    unread = sum(1 for m in shown.items if m.sender_id != reader.id and m.read_at is None)
    if unread < len(shown.items) or shown.total <= len(shown.items):
        return unread
    query = select(func.count()).where(
        DirectMessage.conversation_id == conversation.id,
        DirectMessage.sender_id != reader.id,
        DirectMessage.read_at.is_(None),
    )
    return int(db.session.scalar(query) or 0)


def _mark_read(conversation_id: int, reader_id: int, now: datetime) -> int:
    return rows_changed(
        update(DirectMessage)
        .where(
            DirectMessage.conversation_id == conversation_id,
            DirectMessage.sender_id != reader_id,
            DirectMessage.read_at.is_(None),
        )
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )


def is_member(conversation: Conversation, user_id: int) -> bool:
    return user_id in (conversation.low_user_id, conversation.high_user_id)


def _conversation(low: int, high: int, now: datetime) -> Conversation:
    """The pair's conversation, made if it is their first message (race-safe: see the docstring)."""
    pair = and_(Conversation.low_user_id == low, Conversation.high_user_id == high)
    found = db.session.scalar(select(Conversation).where(pair))
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            found = Conversation(low_user_id=low, high_user_id=high, created_at=now, last_message_at=now)
            db.session.add(found)
    except IntegrityError:
        found = db.session.scalar(select(Conversation).where(pair))
        if found is None:
            raise
    return found
