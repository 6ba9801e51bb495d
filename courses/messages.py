"""Courses room: the text of every refusal a pure course rule gives, looked up by its code.

A rule in courses/rules.py raises `RuleError(code, field, **params)`; a service turns it into an
`Invalid` with `refusal(error)`, so rewording a message never changes which field shows it.
"""

from __future__ import annotations

from typing import Any

from app.domain_errors import Invalid
from app.i18n import _, lazy_
from courses.rules import RuleError

# Every way a rubric can be malformed shows the one explanation of what a rubric needs.
_RUBRIC_INVALID = lazy_(
    "The rubric is invalid: every criterion needs a unique name and levels with points of at least 0."
)

MESSAGES: dict[str, Any] = {
    "rubric_not_a_list": _RUBRIC_INVALID,
    "criterion_not_an_object": _RUBRIC_INVALID,
    "criterion_without_name": _RUBRIC_INVALID,
    "criterion_twice": _RUBRIC_INVALID,
    "criterion_without_levels": _RUBRIC_INVALID,
    "level_not_an_object": _RUBRIC_INVALID,
    "level_points_invalid": _RUBRIC_INVALID,
    "rubric_level_missing": lazy_("Choose a level for every criterion."),
    "points_out_of_range": lazy_("Points must be between 0 and %(max)s."),
    "not_in_order": lazy_("Not found."),
}


def text(error: RuleError) -> str:
    """The refusal in the reader's language, its placeholders filled from the error's params."""
    template = str(MESSAGES[error.code])
    return template % error.params if error.params and "%(" in template else template


def refusal(error: RuleError) -> Invalid:
    """The rule's refusal as the domain error views and the API show next to its field."""
    return invalid({error.field: text(error)})


def invalid(fields: dict[str, str]) -> Invalid:
    """An `Invalid` naming these fields; its message is the first field's."""
    return Invalid(next(iter(fields.values())), fields)


def too_long(limit: int) -> str:
    """The one wording of a length limit, for any field."""
    return _("Too long (at most %(n)s characters).", n=limit)
