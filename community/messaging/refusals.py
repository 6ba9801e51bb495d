"""Direct messages' refusals in the reader's language, looked up by the rule's code."""

from __future__ import annotations

from typing import Any

from app.domain_errors import Invalid
from app.i18n import lazy_
from community.rules import RuleError

MESSAGES: dict[str, Any] = {
    "message_empty": lazy_("Write the message first."),
    "too_long": lazy_("Too long (at most %(limit)s characters)."),
    "message_self": lazy_("You cannot write to yourself."),
}

# One answer whether the person blocked the sender or the rules keep them apart: it reveals nothing.
CANNOT_WRITE = lazy_("You cannot write to this person.")


def text(error: RuleError) -> str:
    template = str(MESSAGES[error.code])
    return template % error.params if error.params and "%(" in template else template


def refusal(error: RuleError) -> Invalid:
    """The refusal next to its field (a 422)."""
    message = text(error)
    return Invalid(message, {error.field: message})
