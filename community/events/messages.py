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
    # attendance / feedback / followup / event_certificates / open_lessons (ATTEND)
    "checkin_not_open": lazy_("Check-in opens 15 minutes before the start."),
    "checkin_closed": lazy_("The event is over: check-in is closed. Ask the host to mark you."),
    "marking_not_open": lazy_("Attendance can be marked from 15 minutes before the start."),
    "wrong_code": lazy_("This is not the event's code. Check the code the host shows."),
    "not_registered": lazy_("Only people registered for the event check in."),
    "not_registered_ids": lazy_("These people are not registered for the event: %(ids)s."),
    "event_cancelled": lazy_("The event was cancelled."),
    "score_range": lazy_("Choose a score from 1 to 5."),
    "feedback_not_attended": lazy_("Feedback is left by those who attended the event."),
    "feedback_twice": lazy_("You have already left feedback on this event."),
    "not_http": lazy_("The address must start with http:// or https://."),
    "not_material": lazy_("Give the number or the address of a library material."),
    "material_unpublished": lazy_("Only a material published in the library can be linked."),
    "material_twice": lazy_("This material is already linked."),
    "too_many_materials": lazy_("At most %(limit)s materials can be linked."),
    "no_certificate": lazy_("A certificate is issued to those who attended or conducted the event."),
    "not_started": lazy_("The certificate of conducting is issued once the event has begun."),
    "open_blind": lazy_(
        "A blind stage's demo lessons cannot be opened: the finalists' names must stay hidden."
    ),
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
