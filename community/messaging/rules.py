"""Direct messages' rules (pure): a message's text, a report's reason and the pair of people a
conversation belongs to. A refusal is a RuleError with a code and a field; community.messaging.refusals
words it."""

from __future__ import annotations

from community.rules import RuleError as RuleError  # re-exported: callers write rules.RuleError
from community.rules import bounded_text

MESSAGE_MAX_CHARS = 5_000
REASON_MAX_CHARS = 1_000


def message_text(text: object) -> str:
    """The text as stored: stripped, not empty, at most MESSAGE_MAX_CHARS characters."""
    return bounded_text(text, field="text", limit=MESSAGE_MAX_CHARS, empty="message_empty")


def report_reason(reason: object) -> str:
    return bounded_text(reason, field="reason", limit=REASON_MAX_CHARS, required=False)


def ordered_pair(first_id: int, second_id: int) -> tuple[int, int]:
    """The conversation's (low, high) ids; writing to oneself is refused."""
    if first_id == second_id:
        raise RuleError("message_self", "to")
    return (first_id, second_id) if first_id < second_id else (second_id, first_id)


def other_member(low_user_id: int, high_user_id: int, viewer_id: int) -> int:
    return high_user_id if viewer_id == low_user_id else low_user_id
