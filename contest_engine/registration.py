"""Contest room: registration — a participant registers into a division while registration is
open; an organiser adds people at any time, one by one or from CSV (all or nothing)."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.account_services import create_user, find_user_by_email
from app.accounts import Institution, Role, User
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from contest_engine.models import Contest, ContestKind, Division, Participation, Stage
from contest_engine.queries import contest_divisions, contest_stages, find_participation
from contest_engine.rules.stages import StageKind, StageState, clock_state
from contest_engine.spec import limit


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
    for name, column in _CSV_COLUMNS:
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


@dataclass
class ImportReport:
    created: int
    errors: list[tuple[int, str]]


_CSV_COLUMNS = (
    ("institution", Participation.institution_name),
    ("grade", Participation.grade),
    ("subject", Participation.subject),
)


def _csv_too_long(row: dict[str, str]) -> str | None:
    """The message for the first column longer than what the database keeps, if any."""
    for name, column in _CSV_COLUMNS:
        if len(row.get(name, "")) > limit(column):
            return _(
                "The column “%(column)s” is too long (at most %(n)s characters).",
                column=name,
                n=limit(column),
            )
    return None


def import_participants(contest: Contest, text: str, *, actor: User, now: datetime) -> ImportReport:
    """Register people from CSV (`email,full_name,division[,institution,grade,subject]`), creating
    accounts that do not exist yet. All or nothing: any bad line and nothing is written."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    required = {"email", "division"}
    if not reader.fieldnames or not required <= {name.strip() for name in reader.fieldnames}:
        return ImportReport(0, [(1, _("The first line must name the columns: email, full_name, division."))])
    divisions = {d.name: d for d in contest_divisions(contest.id)}
    registered = set(
        db.session.scalars(select(Participation.user_id).where(Participation.contest_id == contest.id))
    )
    errors: list[tuple[int, str]] = []
    rows: list[tuple[int, dict[str, str]]] = []
    seen: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        email = row.get("email", "").lower()
        if not email or "@" not in email:
            errors.append((line, _("Enter a valid e-mail address.")))
        elif email in seen:
            errors.append((line, _("This e-mail appears twice in the file.")))
        elif row.get("division", "") not in divisions:
            errors.append((line, _("Unknown division “%(name)s”.", name=row.get("division", ""))))
        elif too_long := _csv_too_long(row):
            errors.append((line, too_long))
        else:
            seen.add(email)
            rows.append((line, row))
    if errors:
        return ImportReport(0, errors)
    role = Role.STUDENT if contest.kind != ContestKind.TEACHER else Role.TEACHER
    created = 0
    for line, row in rows:
        user = find_user_by_email(row["email"])
        if user is None:
            if not row.get("full_name"):
                errors.append((line, _("No account with this e-mail: give full_name to create one.")))
                continue
            try:
                user = create_user(
                    email=row["email"],
                    full_name=row["full_name"],
                    role=role,
                    password=secrets.token_urlsafe(24),
                    actor=actor,
                    commit=False,
                )
            except Invalid as error:
                errors.append((line, error.message))
                continue
        if user.id in registered:
            errors.append((line, _("Already registered in this contest.")))
            continue
        registered.add(user.id)
        db.session.add(
            Participation(
                contest_id=contest.id,
                user_id=user.id,
                division_id=divisions[row["division"]].id,
                institution_name=row.get("institution", "")
                or (user.institution.name if user.institution else ""),
                district=user.institution.district if user.institution else "",
                grade=row.get("grade", ""),
                subject=row.get("subject", ""),
                imported=True,
                registered_at=now,
            )
        )
        created += 1
    if errors:
        db.session.rollback()
        return ImportReport(0, errors)
    audit.record(
        "participants.imported",
        actor=actor,
        scope_type="contest",
        scope_id=contest.id,
        details={"created": created},
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return ImportReport(0, [(1, _("Someone registered the same people at the same moment; try again."))])
    return ImportReport(created, [])
