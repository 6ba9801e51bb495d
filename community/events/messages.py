"""The calendar's refusals in the reader's language, looked up by code.

Pure rules raise `community.rules.RuleError(code, field)`; services turn one into an `Invalid` (422)
with `refusal(error)`. Each use case adds its codes below in a block named after its module.
"""

from __future__ import annotations

from typing import Any

from app.domain_errors import Invalid
from app.i18n import lazy_
from community.rules import RuleError

MESSAGES: dict[str, Any] = {
    # shared
    "required": lazy_("This field is required."),
    "too_long": lazy_("Too long (at most %(limit)s characters)."),
    # registration (community/events/registration.py, registration_rules.py)
    "reg_cancelled": lazy_("The event has been cancelled."),
    "reg_event_started": lazy_("The event has already begun."),
    "reg_closed": lazy_("Registration for this event is closed."),
    "reg_twice": lazy_("You are already registered for this event or on its waiting list."),
    "reg_none": lazy_("You are not registered for this event."),
    "reg_answer_required": lazy_("Please answer this question."),
}


def text(error: RuleError) -> str:
    template = str(MESSAGES[error.code])
    return template % error.params if error.params and "%(" in template else template


def refusal(error: RuleError) -> Invalid:
    """The `Invalid` (422, message by the field) for a rule's refusal."""
    message = text(error)
    return Invalid(message, {error.field: message} if error.field else {})
