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
    "certificate_preparing": lazy_(
        "The certificate is being issued: it will be ready in a minute or two. Please come back shortly."
    ),
    "open_blind": lazy_(
        "A blind stage's demo lessons cannot be opened: the finalists' names must stay hidden."
    ),
    # event_rules / scheduling
    "event_bad_kind": lazy_("Choose a kind of event from the list."),
    "event_bad_format": lazy_("Choose online, in person or both."),
    "event_bad_audience": lazy_("Choose who may register."),
    "event_bad_timezone": lazy_("Unknown time zone."),
    "event_duration_not_positive": lazy_("The duration must be more than zero minutes."),
    "event_duration_too_long": lazy_("An event lasts at most %(limit)s hours."),
    "event_capacity_not_positive": lazy_(
        "The number of seats must be at least 1 (leave it empty for no limit)."
    ),
    "event_capacity_too_large": lazy_("At most %(limit)s seats."),
    "event_link_not_http": lazy_("The link must be an address starting with http:// or https://."),
    "event_address_required": lazy_("An event in person needs an address."),
    "event_association_required": lazy_("Choose the association whose members may register."),
    "event_start_in_past": lazy_("The start is in the past."),
    "event_deadline_after_start": lazy_("Registration must close before the event starts."),
    "event_series_ends_before_start": lazy_("The series ends before its first event."),
    "event_series_too_long": lazy_("A weekly series has at most %(limit)s events."),
    "event_bad_grade": lazy_("Grades are from 1 to 11."),
    "event_too_many_questions": lazy_("At most %(limit)s questions."),
    "event_unknown_institution": lazy_("No such institution."),
    "event_unknown_association": lazy_("No such association."),
    "event_unknown_subject": lazy_("No such subject."),
    "event_unknown_invitee": lazy_("No colleague with the address %(email)s."),
    "calendar_bad_filter": lazy_("Must be a whole number."),
    "term_plan_bad_term": lazy_("Choose a half-year from the list."),
    "event_capacity_below_registered": lazy_(
        "%(count)s people are registered already: the number of seats cannot be smaller."
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
