"""Direct messages' rules (pure): a message's text, a report's reason and the pair of people a
conversation belongs to. A refusal is a RuleError with a code and a field; community.messaging.refusals
words it."""

from __future__ import annotations

from typing import Any

MESSAGE_MAX_CHARS = 5_000
REASON_MAX_CHARS = 1_000


class RuleError(ValueError):
    """A messaging rule said no; callers match `code`, never English words."""

    def __init__(self, code: str, field: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params


def message_text(text: object) -> str:
    """The text as stored: stripped, not empty, at most MESSAGE_MAX_CHARS characters."""
    cleaned = text.strip() if isinstance(text, str) else ""
    if not cleaned:
        raise RuleError("message_empty", "text")
    if len(cleaned) > MESSAGE_MAX_CHARS:
        raise RuleError("too_long", "text", limit=MESSAGE_MAX_CHARS)
    return cleaned


def report_reason(reason: object) -> str:
    cleaned = reason.strip() if isinstance(reason, str) else ""
    if len(cleaned) > REASON_MAX_CHARS:
        raise RuleError("too_long", "reason", limit=REASON_MAX_CHARS)
    return cleaned


def ordered_pair(first_id: int, second_id: int) -> tuple[int, int]:
    """The conversation's (low, high) ids; writing to oneself is refused."""
    if first_id == second_id:
        raise RuleError("message_self", "to")
    return (first_id, second_id) if first_id < second_id else (second_id, first_id)


def other_member(low_user_id: int, high_user_id: int, viewer_id: int) -> int:
    return high_user_id if viewer_id == low_user_id else low_user_id
