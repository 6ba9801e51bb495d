"""Contest room: registration — a participant registers into a division while registration is
open; an organiser adds people at any time, one by one (a list: `participant_import`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import Institution, User
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from contest_engine.models import Contest, Division, Participation, Stage
from contest_engine.queries import contest_stages, find_participation
from contest_engine.rules.stages import StageKind, StageState, clock_state
from contest_engine.spec import limit

# The free-text columns a registration fills, checked against their database widths.
_TEXT_COLUMNS = (
    ("institution", Participation.institution_name),
    ("grade", Participation.grade),
    ("subject", Participation.subject),
)


def registration_open(stages: Sequence[Stage], now: datetime) -> bool:
    """With a registration stage, registration is open while it is; without one, until the first
    stage closes."""
    registration = [s for s in stages if s.kind == StageKind.REGISTRATION]
    if registration:
        return any(
            clock_state(s.state, s.opens_at, s.closes_at, now) == StageState.OPEN for s in registration
        )
    return bool(stages) and clock_state(stages[0].state, stages[0].opens_at, stages[0].closes_at, now) in (
        StageState.SCHEDULED,
        StageState.OPEN,
    )


def _division_by(contest_id: int, division: int | str | None) -> Division | None:
    if division is None or division == "":
        return None
    query = select(Division).where(Division.contest_id == contest_id)
    if isinstance(division, int):
        return db.session.scalar(query.where(Division.id == division))
    return db.session.scalar(query.where(Division.name == str(division).strip()))


def register(
    contest: Contest,
    user: User,
    *,
    division: int | str | None,
    now: datetime,
    institution: str = "",
    grade: str = "",
    subject: str = "",
    consent: bool = False,
    actor: User | None = None,
) -> Participation:
    """Register `user` into a division. Participants register themselves while registration is open
    (it closes with its stage); organisers (`actor` given and not the user) may add at any time."""
    by_organiser = actor is not None and actor.id != user.id
    fields: dict[str, str] = {}
    found = _division_by(contest.id, division)
    if found is None:
        fields["division"] = _("Choose one of the contest's divisions.")
    if not by_organiser:
        if contest.asks_institution and not institution.strip() and user.institution_id is None:
            fields["institution"] = _("Enter your institution.")
        if contest.asks_grade and not grade.strip():
            fields["grade"] = _("Enter your grade.")
        if contest.asks_subject and not subject.strip():
            fields["subject"] = _("Enter your subject.")
        if contest.requires_consent and not consent:
            fields["consent"] = _("Registration needs your consent to the processing of personal data.")
    typed = {"institution": institution, "grade": grade, "subject": subject}
    for name, column in _TEXT_COLUMNS:
        if len(typed[name]) > limit(column):
            fields[name] = _("Too long.")
    if fields:
        raise Invalid(_("Registration cannot be completed: check the marked fields."), fields)
    if not by_organiser:
        stages = contest_stages(contest.id)
        if not registration_open(stages, now):
            raise Conflict(_("Registration is closed."))
    if find_participation(contest.id, user.id) is not None:
        raise Conflict(_("Already registered in this contest."))
    user_institution = db.session.get(Institution, user.institution_id) if user.institution_id else None
    assert found is not None
    participation = Participation(
        contest_id=contest.id,
        user_id=user.id,
        division_id=found.id,
        institution_name=institution.strip() or (user_institution.name if user_institution else ""),
        district=user_institution.district if user_institution else "",
        grade=grade.strip(),
        subject=subject.strip(),
        consent_at=now if consent else None,
        imported=by_organiser,
        registered_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(participation)
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("Already registered in this contest.")) from None
    audit.record(
        "participant.registered",
        actor=actor or user,
        scope_type="contest",
        scope_id=contest.id,
        object_type="participation",
        object_id=participation.id,
        details={"user_id": user.id, "division": found.name},
    )
    db.session.commit()
    return participation
