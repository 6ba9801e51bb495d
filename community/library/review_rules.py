"""Pure rules of moderation: what a decision needs and when the queue is late. Plain values only."""

from __future__ import annotations

from datetime import datetime, timedelta

from community.rules import RuleError

DECISIONS = ("publish", "reject")
REASON_LIMIT = 5000


def check_decision(decision: str, reason: str) -> str:
    """The decision is publish or reject; a rejection says why (the author must know what to fix).
    Returns the reason stripped."""
    if decision not in DECISIONS:
        raise RuleError("review_unknown_decision", "decision")
    reason = reason.strip()
    if decision == "reject" and not reason:
        raise RuleError("required", "reason")
    if len(reason) > REASON_LIMIT:
        raise RuleError("too_long", "reason", limit=REASON_LIMIT)
    return reason


def check_reviewer(author_id: int, reviewer_id: int) -> None:
    """Nobody decides on their own material: a leader filing under the association they lead, or a
    methodist who writes too, waits for another moderator like every author (or is made trusted)."""
    if author_id == reviewer_id:
        raise RuleError("review_own_material", "decision")


def waiting_days(submitted_at: datetime | None, now: datetime) -> int:
    """Whole days a version has waited (0 on the day it was sent)."""
    if submitted_at is None:
        return 0
    return max(0, (now - submitted_at) // timedelta(days=1))


def queue_is_late(oldest_submitted_at: datetime | None, now: datetime, days: int) -> bool:
    """The queue is flagged once its oldest version has waited longer than `days` days."""
    return oldest_submitted_at is not None and now - oldest_submitted_at > timedelta(days=days)
