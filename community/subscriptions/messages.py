"""Subscriptions' refusals in the reader's language, by the codes of community.subscriptions.rules."""

from __future__ import annotations

from typing import Any

from app.domain_errors import Conflict, DomainError, Invalid
from app.i18n import lazy_
from community.rules import RuleError

MESSAGES: dict[str, Any] = {
    "subscription_unknown_target": lazy_("Must be one of: %(values)s."),
    "subscription_unknown_mode": lazy_("Must be one of: %(values)s."),
    "subscription_forced": lazy_(
        "Course news cannot be turned off while you are in the course: choose every post or the daily digest."
    ),
}

# Refusals of the state rather than of the input (409).
CONFLICTS = {"subscription_forced"}


def refusal(error: RuleError) -> DomainError:
    text = str(MESSAGES[error.code] % error.params) if error.params else str(MESSAGES[error.code])
    if error.code in CONFLICTS:
        return Conflict(text, {error.field: text} if error.field else {})
    return Invalid(text, {error.field: text} if error.field else {})
