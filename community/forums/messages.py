"""The forums' refusals in the reader's language, looked up by code.

Each use case adds its codes to MESSAGES (grouped by the module that raises them); services turn a
`RuleError` into an `Invalid` with `refusal(error)` (or a `Conflict` with `conflict(error)`).
"""

from __future__ import annotations

from typing import Any

from app.domain_errors import Conflict, Invalid
from app.i18n import lazy_
from community.rules import RuleError

MESSAGES: dict[str, Any] = {
    # shared
    "required": lazy_("This field is required."),
    "too_long": lazy_("Too long (at most %(limit)s characters)."),
    # posting (community/forums/posting_rules.py, topics.py, posts.py, attachments.py)
    "title_empty": lazy_("Give the topic a title."),
    "post_empty": lazy_("Write the post first."),
    "edit_window_closed": lazy_("A post can be edited only within %(minutes)s minutes of posting."),
    "too_many_files": lazy_("At most %(limit)s files per post."),
    "reply_to_unknown": lazy_("The post you are replying to is not in this topic."),
    # reading (community/forums/search_rules.py)
    "search_scope_unknown": lazy_("Choose where to search from the list."),
}


def text(error: RuleError) -> str:
    template = str(MESSAGES[error.code])
    return template % error.params if error.params and "%(" in template else template


def refusal(error: RuleError) -> Invalid:
    """The refusal as the domain error views and the API show next to its field (a 422)."""
    message = text(error)
    return Invalid(message, {error.field: message})


def conflict(error: RuleError) -> Conflict:
    """A refusal of the state rather than the input (the edit window has closed): a 409."""
    message = text(error)
    return Conflict(message, {error.field: message})
