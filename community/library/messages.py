"""The library's refusals in the reader's language, looked up by code.

Each use case adds its codes to MESSAGES (one entry per rule, grouped by the module that raises
it); services turn a `RuleError` into an `Invalid` with `refusal(error)`.
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
    # associations (community/associations/membership.py)
    "association_unknown_policy": lazy_("Choose who may join: anyone or on request."),
    "association_unknown_role": lazy_("The role must be leader or member."),
    "association_inactive_user": lazy_("This account is deactivated."),
    "association_pupil": lazy_("Pupils do not join methodical associations."),
    "association_last_leader": lazy_("The last leader cannot leave: name another leader first."),
    "association_unknown_subject": lazy_("Choose a subject from the list."),
    # moderation (community/library/moderation.py)
    "review_unknown_decision": lazy_("The decision must be publish or reject."),
    # review (lib_review: community/library/review_rules.py check_reviewer)
    "review_own_material": lazy_("You cannot review your own material: another moderator will decide."),
    "trusted_pupil": lazy_("Pupils do not publish materials, so they cannot be trusted authors."),
    # discussion (community/library/discussion_rules.py)
    "comment_empty": lazy_("Write the comment first."),
    "parent_unknown": lazy_("The comment you are replying to is not under this material."),
    "edit_window_closed": lazy_("A comment can be edited only within %(minutes)s minutes of posting."),
    "stars_range": lazy_("Choose from %(low)s to %(high)s stars."),
    # certificates (community/library/certificates.py)
    "certificate_unpublished": lazy_("A certificate is issued once the material is published."),
    "certificate_preparing": lazy_(
        "The certificate of this material is being issued; it will be ready in a few minutes."
    ),
    "certificate_revoked": lazy_("The certificate of this material was revoked: %(reason)s"),
    "certificate_already_revoked": lazy_("This certificate has already been revoked."),
    # authoring (community/library/material_rules.py, authoring.py, material_files.py)
    "material_bad_kind": lazy_("Choose a kind from the list."),
    "material_bad_grade": lazy_("Grades are from 1 to 11 (not %(grade)s)."),
    "material_no_subjects": lazy_("Choose at least one subject."),
    "material_unknown_subject": lazy_("Unknown subject: %(ids)s."),
    "material_bad_link": lazy_("“%(url)s” is not a web address: it must start with http:// or https://."),
    "material_too_many_links": lazy_("At most %(limit)s links."),
    "material_file_type": lazy_("Files like “%(name)s” are not accepted. Allowed: %(allowed)s."),
    "material_file_too_big": lazy_("The file “%(name)s” is larger than %(limit)s MB."),
    "material_file_empty": lazy_("The file “%(name)s” is empty."),
    "material_file_content": lazy_("The file “%(name)s” is not a real %(ext)s file."),
    "material_too_many_files": lazy_("At most %(limit)s files per material."),
    "material_video_needs_link": lazy_("A video material needs a link to the video."),
    "material_empty": lazy_("Add a summary, a file or a link before sending the material to moderation."),
    "material_not_member": lazy_(
        "You can file a material only under an association you are an active member of."
    ),
    # catalogue (community/library/catalogue_params.py)
    "catalogue_not_a_number": lazy_("Must be a whole number."),
    "catalogue_grade_range": lazy_("Grades are from %(low)s to %(high)s."),
    "catalogue_id_range": lazy_("Must be between %(low)s and %(high)s."),
    "catalogue_unknown_kind": lazy_("Unknown kind; one of: %(values)s."),
    "catalogue_unknown_status": lazy_("The status must be draft, pending, published or rejected."),
    "catalogue_unknown_sort": lazy_("Unknown sorting; one of: %(values)s."),
    "catalogue_too_many_values": lazy_("At most %(limit)s values."),
}


def text(error: RuleError) -> str:
    template = str(MESSAGES[error.code])
    return template % error.params if error.params and "%(" in template else template


def refusal(error: RuleError) -> Invalid:
    """The refusal as the domain error views and the API show next to its field."""
    message = text(error)
    return Invalid(message, {error.field: message})
