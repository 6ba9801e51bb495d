"""The contest audit log in sentences: one sentence per action code, in the viewer's language, the
verb agreeing with the actor («Организатор … открыла этап «Финал»»), the objects named, details
as words. A code without a sentence still reads as a sentence, never as the raw code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import pgettext

from app.accounts import Role
from app.audit import AuditEntry
from app.audit_grammar import Gender, gender_of
from app.contests import audit_details
from app.contests.audit_names import ActorRole, Names, Person
from app.i18n import _


def N_(text: str) -> str:
    """Marks a msgid for extraction; translated later with the actor's gender as its context."""
    return text


GENERIC = N_("%(actor)s made a change")
SENTENCES: dict[str, str] = {
    # the contest and its stages
    "contest.created": N_("%(actor)s created the contest"),
    "contest.updated": N_("%(actor)s changed the contest's settings"),
    "contest.organiser_added": N_("%(actor)s added an organiser: %(user)s"),
    "stage.created": N_("%(actor)s created the stage %(stage)s"),
    "stage.updated": N_("%(actor)s changed the stage %(stage)s"),
    "stage.opened": N_("%(actor)s opened the stage %(stage)s"),
    "stage.closed": N_("%(actor)s closed the stage %(stage)s"),
    "stage.reopened": N_("%(actor)s reopened the stage %(stage)s"),
    "stage.extended": N_("%(actor)s extended the stage %(stage)s"),
    "stage.scheduled": N_("%(actor)s put the stage %(stage)s back on schedule"),
    "stage.judging_started": N_("%(actor)s started judging the stage %(stage)s"),
    "stage.published": N_("%(actor)s published the results of the stage %(stage)s"),
    "stage.advanced": N_("%(actor)s confirmed who advances from the stage %(stage)s"),
    "stage.round_created": N_("%(actor)s created the olympiad round of the stage %(stage)s"),
    "awards.computed": N_("%(actor)s computed the awards"),
    "participants.imported": N_("%(actor)s imported participants from a file"),
    "participant.registered": N_("%(actor)s registered for the contest"),
    "participant.registered_by": N_("%(actor)s registered a participant: %(user)s"),
    "entry.submitted": N_("%(actor)s submitted the entry %(entry)s to the stage %(stage)s"),
    # the jury
    "jury.configured": N_("%(actor)s set up the jury of the stage %(stage)s"),
    "jury.criterion_updated": N_("%(actor)s changed the criterion %(criterion)s"),
    "jury.criterion_deleted": N_("%(actor)s deleted the criterion %(criterion)s"),
    "jury.juror_added": N_("%(actor)s added to the jury of the stage %(stage)s: %(user)s"),
    "jury.juror_removed": N_("%(actor)s removed from the jury of the stage %(stage)s: %(user)s"),
    "jury.allocated": N_("%(actor)s shared out the entries of the stage %(stage)s among the jurors"),
    "jury.assignment_moved": N_("%(actor)s handed the entry %(entry)s to another juror"),
    "jury.conflict_declared": N_("%(actor)s noted a conflict of interest: %(user)s and %(participant)s"),
    "jury.score_submitted": N_("%(actor)s scored the entry %(entry)s"),
    "jury.score_changed": N_("%(actor)s changed the scores of the entry %(entry)s"),
    "jury.entry_sent_back": N_("%(actor)s sent a new version of the entry %(entry)s back to the jurors"),
    "jury.reminded": N_("%(actor)s reminded the late jurors of the stage %(stage)s"),
    "jury.scoring_closed": N_("%(actor)s closed the scoring of the stage %(stage)s"),
    "jury.scoring_reopened": N_("%(actor)s reopened the scoring of the stage %(stage)s"),
    "jury.appeal_filed": N_("%(actor)s filed an appeal on the entry %(entry)s"),
    "jury.appeal_accepted": N_("%(actor)s accepted the appeal on the entry %(entry)s"),
    "jury.appeal_rejected": N_("%(actor)s rejected the appeal on the entry %(entry)s"),
    "jury.slot_created": N_("%(actor)s added a demo lesson time to the stage %(stage)s"),
    "jury.slot_deleted": N_("%(actor)s deleted a demo lesson time"),
    "jury.slot_assigned": N_("%(actor)s gave a demo lesson time to %(participant)s"),
    "jury.slot_picked": N_("%(actor)s picked a demo lesson time on the stage %(stage)s"),
    "jury.demo_lessons_opened": N_("%(actor)s opened the demo lessons of the stage %(stage)s to colleagues"),
    "jury.demo_lessons_closed": N_("%(actor)s closed the demo lessons of the stage %(stage)s to colleagues"),
    "jury.certificates_issued": N_("%(actor)s issued the jurors' certificates of the stage %(stage)s"),
    # accounts and the network (the site's log)
    "user.created": N_("%(actor)s created an account: %(user)s"),
    "user.updated": N_("%(actor)s changed an account: %(user)s"),
    "user.password_reset": N_("%(actor)s reset their password"),
    "user.password_changed": N_("%(actor)s changed their password"),
    "user.institution_changed": N_("%(actor)s changed their institution"),
    "user.scopes_set": N_("%(actor)s changed what %(user)s sees in the monitoring"),
    "users.imported": N_("%(actor)s imported users from a file"),
    "district.created": N_("%(actor)s created the district %(district)s"),
    "district.renamed": N_("%(actor)s renamed the district %(district)s"),
    "district.deleted": N_("%(actor)s deleted the district %(district)s"),
    "institution.created": N_("%(actor)s added the institution %(institution)s"),
    "institution.updated": N_("%(actor)s changed the institution %(institution)s"),
}
# The subject: the person's part in this contest, then the name (the gender is the context, so
# Russian may say «Участница» for a woman).
ROLE_LABELS = {
    ActorRole.ORGANISER: N_("Organiser %(name)s"),
    ActorRole.JUROR: N_("Juror %(name)s"),
    ActorRole.PARTICIPANT: N_("Participant %(name)s"),
}
PUPIL = N_("Pupil %(name)s")
ADMINISTRATOR = N_("Administrator %(name)s")
# The clock's own moves (no person did them): impersonal, the stage or its submissions the subject
# («Этап «Финал» открылся по расписанию») — no teacher says "the clock opened".
CLOCK_SENTENCES = {
    ("stage.opened", True): N_("Submissions to the stage %(stage)s opened on schedule"),
    ("stage.opened", False): N_("The stage %(stage)s opened on schedule"),
    ("stage.closed", True): N_("Submissions to the stage %(stage)s closed on schedule"),
    ("stage.closed", False): N_("The stage %(stage)s closed on schedule"),
}


@dataclass(frozen=True)
class AuditLine:
    """One entry as the page shows it."""

    at: datetime
    sentence: str
    details: list[str]
    reason: str


def audit_lines(entries: Sequence[AuditEntry], names: Names) -> list[AuditLine]:
    return [audit_line(entry, names) for entry in entries]


def audit_line(entry: AuditEntry, names: Names) -> AuditLine:
    details = entry.details or {}
    objects = _objects(entry, names)
    if _by_the_clock(entry):
        stage = names.stages.get(objects.stage_id or 0)
        takes_works = stage is not None and stage[1].value in ("submission", "jury")
        sentence = _(CLOCK_SENTENCES[(entry.action, takes_works)], **objects.words)
        return AuditLine(entry.at, sentence, [], "")
    action = entry.action
    if action == "participant.registered" and details.get("user_id") not in (None, entry.actor_id):
        action = "participant.registered_by"
    gender, subject = _subject(entry, names)
    text = pgettext(gender.value, SENTENCES.get(action, GENERIC), actor=subject, **objects.words)
    return AuditLine(entry.at, text, audit_details.describe(entry, names), entry.reason or "")


def _by_the_clock(entry: AuditEntry) -> bool:
    """The clock's entries carry the moment it acted ("at"); a person's close or reopen does not."""
    return entry.action in ("stage.opened", "stage.closed") and "at" in (entry.details or {})


def _subject(entry: AuditEntry, names: Names) -> tuple[Gender, str]:
    """«Организатор Ольга Петровна Организаторова» and the gender the verb agrees with."""
    if entry.actor is None:
        return Gender.UNKNOWN, _("A deleted account")
    name = entry.actor.full_name
    gender = gender_of(name)
    role = names.roles.get(entry.actor.id, ActorRole.NONE)
    if role == ActorRole.PARTICIPANT and entry.actor.role == Role.STUDENT:
        label = PUPIL
    elif role == ActorRole.NONE and entry.actor.role == Role.ADMIN:
        label = ADMINISTRATOR
    else:
        label = ROLE_LABELS.get(role, "")
    return gender, pgettext(gender.value, label, name=name) if label else name


@dataclass
class _Objects:
    words: dict[str, str]
    stage_id: int | None


def _objects(entry: AuditEntry, names: Names) -> _Objects:
    """The words for every placeholder a sentence may use (unused ones cost nothing)."""
    details = entry.details or {}
    kind, object_id = entry.object_type, entry.object_id
    entry_id = (
        object_id if kind == "entry" else names.appeal_entry.get(object_id or 0) if kind == "appeal" else None
    )
    slot = names.slots.get(object_id or 0) if kind == "slot" else None
    stage_id = (
        (object_id if kind == "stage" else None)
        or _int(details.get("stage_id"))
        or (entry.scope_id if entry.scope_type == "stage" else None)
        or (names.entry_stage.get(entry_id) if entry_id else None)
        or (slot.stage_id if slot else None)
    )
    participation_id = (
        (object_id if kind == "participation" else None)
        or _int(details.get("participation_id"))
        or (slot.participation_id if slot else None)
    )
    user_id = (object_id if kind == "user" else None) or _int(
        details.get("juror_id") or details.get("user_id")
    )
    stage = names.stages.get(stage_id or 0)
    return _Objects(
        {
            "stage": quoted(stage[0] if stage else str(details.get("title") or _("(deleted)"))),
            "entry": _("No. %(number)s", number=entry_id) if entry_id else _("(deleted)"),
            "user": _person(names.people.get(user_id or 0)),
            "participant": _person(names.participants.get(participation_id or 0)),
            "criterion": quoted(str(details.get("name") or _("(deleted)"))),
            "district": quoted(
                str(details.get("name") or names.districts.get(object_id or 0, _("(deleted)")))
            ),
            "institution": quoted(names.institutions.get(object_id or 0, _("(deleted)"))),
        },
        stage_id,
    )


def quoted(text: str) -> str:
    """A title in Russian quotes («Финал»), as the sentences name things."""
    return f"«{text}»"


def _person(person: Person | None) -> str:
    return person.name if person else _("(deleted)")


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
