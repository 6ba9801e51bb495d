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
    # associations (community/associations/membership.py)
    "association_unknown_policy": lazy_("Choose who may join: anyone or on request."),
    "association_unknown_role": lazy_("The role must be leader or member."),
    "association_inactive_user": lazy_("This account is deactivated."),
    "association_pupil": lazy_("Pupils do not join methodical associations."),
    "association_last_leader": lazy_("The last leader cannot leave: name another leader first."),
    "association_unknown_subject": lazy_("Choose a subject from the list."),
    # moderation (community/library/moderation.py)
    "review_unknown_decision": lazy_("The decision must be publish or reject."),
    "trusted_pupil": lazy_("Pupils do not publish materials, so they cannot be trusted authors."),
    # discussion (community/library/discussion_rules.py)
    "comment_empty": lazy_("Write the comment first."),
    "parent_unknown": lazy_("The comment you are replying to is not under this material."),
    "edit_window_closed": lazy_("A comment can be edited only within %(minutes)s minutes of posting."),
    "stars_range": lazy_("Choose from %(low)s to %(high)s stars."),
    # certificates (community/library/certificates.py)
    "certificate_unpublished": lazy_("A certificate is issued once the material is published."),
    "certificate_revoked": lazy_("The certificate of this material was revoked: %(reason)s"),
    "certificate_already_revoked": lazy_("This certificate has already been revoked."),
}


def text(error: RuleError) -> str:
    template = str(MESSAGES[error.code])
    return template % error.params if error.params and "%(" in template else template


def refusal(error: RuleError) -> Invalid:
    """The refusal as the domain error views and the API show next to its field."""
    message = text(error)
    return Invalid(message, {error.field: message})
