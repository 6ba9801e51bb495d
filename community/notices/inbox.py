"""Notifications: a person's list (paginated, newest first, optionally only the unread), marking read,
the header's two counters in one query, and the notifications waiting for the daily digest."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ScalarSelect, and_, func, or_, select, update

from app.extensions import db, rows_changed
from app.notifications import Notification, NotificationPreference
from app.pagination import Page, paginate
from community.messaging.models import Conversation, DirectMessage


@dataclass(frozen=True)
class HeaderCounts:
    notifications: int
    messages: int


def notifications_page(user_id: int, *, unread_only: bool, page: int, per_page: int) -> Page[Notification]:
    query = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    query = query.order_by(Notification.created_at.desc(), Notification.id.desc())
    return paginate(query, page, per_page)


def mark_read(user_id: int, ids: Iterable[int] | None, *, now: datetime) -> int:
    """Mark the person's notifications read: the given ids (others' ids are ignored), or all of them
    (`ids` None). Returns how many changed; marking twice changes nothing the second time."""
    statement = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        wanted = list(ids)
        if not wanted:
            return 0
        statement = statement.where(Notification.id.in_(wanted))
    changed = rows_changed(statement.values(read_at=now).execution_options(synchronize_session=False))
    db.session.commit()
    return changed


def unread_subqueries(user_id: Any) -> tuple[ScalarSelect[Any], ScalarSelect[Any]]:
    """The bell's unread notifications and the unread direct messages as two scalar subqueries, each
    over an index (notification by person, conversations by either member). `user_id` is a value or
    a bind parameter: the layout's header adds them to the statement that loads the user."""
    notes = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .scalar_subquery()
    )
    mine = select(Conversation.id).where(
        or_(Conversation.low_user_id == user_id, Conversation.high_user_id == user_id)
    )
    messages = (
        select(func.count())
        .select_from(DirectMessage)
        .where(
            DirectMessage.conversation_id.in_(mine),
            DirectMessage.sender_id != user_id,
            DirectMessage.read_at.is_(None),
        )
        .scalar_subquery()
    )
    return notes, messages


def header_counts(user_id: int) -> HeaderCounts:
    """The two counters in one query."""
    row = db.session.execute(select(*unread_subqueries(user_id))).one()
    return HeaderCounts(notifications=int(row[0] or 0), messages=int(row[1] or 0))


def pending_digest(
    user_ids: Iterable[int], since: datetime, until: datetime
) -> dict[int, list[Notification]]:
    """For the daily digest (its job calls this for a batch of people): the notifications created in
    [since, until) of the kinds each person wants in the digest, oldest first, in one query."""
    ids = list(user_ids)
    if not ids:
        return {}
    query = (
        select(Notification)
        .join(
            NotificationPreference,
            and_(
                NotificationPreference.user_id == Notification.user_id,
                NotificationPreference.kind == Notification.kind,
            ),
        )
        .where(
            Notification.user_id.in_(ids),
            NotificationPreference.in_digest.is_(True),
            Notification.created_at >= since,
            Notification.created_at < until,
        )
        .order_by(Notification.user_id, Notification.created_at, Notification.id)
    )
    found: dict[int, list[Notification]] = {}
    for note in db.session.scalars(query):
        found.setdefault(note.user_id, []).append(note)
    return found
