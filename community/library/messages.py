"""The library's refusals in the reader's language, looked up by code.

Each use case adds its codes to MESSAGES (one entry per rule, grouped by the module that raises
it); services turn a `RuleError` into an `Invalid` with `refusal(error)`.
"""

from __future__ import annotations

from typing import Any

from app.domain_errors import Invalid
from app.i18n import lazy_
from community.library.rules import RuleError

MESSAGES: dict[str, Any] = {
    # shared
    "required": lazy_("This field is required."),
    "too_long": lazy_("Too long (at most %(limit)s characters)."),
}


def text(error: RuleError) -> str:
    template = str(MESSAGES[error.code])
    return template % error.params if error.params and "%(" in template else template


def refusal(error: RuleError) -> Invalid:
    """The refusal as the domain error views and the API show next to its field."""
    message = text(error)
    return Invalid(message, {error.field: message})
