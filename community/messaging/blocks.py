"""Direct messages: block a person (they can write to you no more, and are told only that they cannot
write to you) and unblock them. Blocking twice or unblocking someone not blocked changes nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from app import audit
from app.accounts import User
from app.extensions import added, db, rows_changed
from community.messaging import rules
from community.messaging.models import UserBlock
from community.messaging.refusals import refusal


def block(actor: User, other: User, *, now: datetime) -> bool:
    """Block `other`; True when a block was made now (False: it was there already)."""
    try:
        rules.ordered_pair(actor.id, other.id)
    except rules.RuleError as error:
        raise refusal(error) from None
    if _exists(actor.id, other.id):
        return False
    if not added(UserBlock(blocker_id=actor.id, blocked_id=other.id, created_at=now)):
        return False  # the same person blocked them at the same moment in another tab
    _record("messaging.user_blocked", actor, other)
    db.session.commit()
    return True


def unblock(actor: User, other: User) -> bool:
    removed = rows_changed(
        delete(UserBlock)
        .where(UserBlock.blocker_id == actor.id, UserBlock.blocked_id == other.id)
        .execution_options(synchronize_session=False)
    )
    if removed:
        _record("messaging.user_unblocked", actor, other)
    db.session.commit()
    return bool(removed)


def blocked_people(actor_id: int) -> list[User]:
    """Whom the person has blocked, by name (for their inbox's list)."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserBlock, UserBlock.blocked_id == User.id)
            .where(UserBlock.blocker_id == actor_id)
            .order_by(User.full_name, User.id)
        )
    )


def _exists(blocker_id: int, blocked_id: int) -> bool:
    return db.session.get(UserBlock, (blocker_id, blocked_id)) is not None


def _record(action: str, actor: User, other: User) -> None:
    audit.record(
        action, actor=actor, scope_type="user", scope_id=actor.id, object_type="user", object_id=other.id
    )
