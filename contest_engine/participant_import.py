"""Contest room: an organiser registers a list of participants from a table (CSV of any usual
encoding and separator, XLSX, or a list pasted from a spreadsheet), creating the accounts that do
not exist yet. All or nothing, or only the valid lines when the organiser asks."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.account_services import create_user, normalise_email
from app.accounts import Role, User
from app.domain_errors import Invalid
from app.email_address import InvalidEmail, clean_email
from app.extensions import db
from app.i18n import _
from app.tabular import LineError, Row
from app.tabular_messages import header_error, open_table
from contest_engine.models import Contest, ContestKind, Division, Participation
from contest_engine.queries import contest_divisions
from contest_engine.spec import limit

COLUMNS = ("email", "full_name", "division", "institution", "grade", "subject")
_LIMITED = (
    ("institution", Participation.institution_name),
    ("grade", Participation.grade),
    ("subject", Participation.subject),
    ("full_name", User.full_name),
)


@dataclass
class ImportReport:
    created: int
    errors: list[LineError]


@dataclass(frozen=True)
class _Planned:
    row: Row
    email: str
    division: Division
    user: User | None


def import_participants(
    contest: Contest, data: bytes | str, *, actor: User, now: datetime, valid_only: bool = False
) -> ImportReport:
    """Register people from a table with the columns email, division and optionally full_name
    (needed for a new account), institution, grade, subject (Russian headers too: «почта»,
    «номинация», «ФИО», «учреждение», «класс», «предмет»). Every line is checked before anything
    is written; any bad line and nothing is, unless `valid_only`."""
    table = open_table(data)
    missing = header_error(table, ("email", "division"), COLUMNS)
    if missing:
        return ImportReport(0, [missing])
    divisions = contest_divisions(contest.id)
    emails = [normalise_email(row.get("email")) for row in table.rows]
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    registered = set(
        db.session.scalars(select(Participation.user_id).where(Participation.contest_id == contest.id))
    )
    errors: list[LineError] = []
    planned: list[_Planned] = []
    seen: set[str] = set()
    for row in table.rows:
        problem, plan = _check(row, divisions, users, registered, seen)
        if problem:
            errors.append(LineError(row.line, row.text, problem))
        elif plan is not None:
            seen.add(plan.email)
            planned.append(plan)
    if (errors and not valid_only) or not planned:
        return ImportReport(0, errors)
    created = _write(contest, planned, errors, now=now, actor=actor)
    if errors and not valid_only:
        db.session.rollback()
        return ImportReport(0, errors)
    audit.record(
        "participants.imported",
        actor=actor,
        scope_type="contest",
        scope_id=contest.id,
        details={"created": created, "refused_lines": len(errors)},
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        message = _("Someone registered the same people at the same moment; try again.")
        return ImportReport(0, [LineError(1, "", message)])
    return ImportReport(created, sorted(errors, key=lambda error: error.line))


def _check(
    row: Row,
    divisions: list[Division],
    users: dict[str, User],
    registered: set[int],
    seen: set[str],
) -> tuple[str | None, _Planned | None]:
    """The line's problem, or what to write for it."""
    raw = row.get("email")
    try:
        email = clean_email(raw)
    except InvalidEmail:
        return _("“%(value)s” is not an e-mail address.", value=raw), None
    if email in seen:
        return _("This e-mail appears twice in the file."), None
    division = _division(row.get("division"), divisions)
    if division is None:
        return _("Unknown division “%(name)s”.", name=row.get("division")), None
    for name, column in _LIMITED:
        if len(row.get(name)) > limit(column):
            return _(
                "The column “%(column)s” is too long (at most %(n)s characters).",
                column=name,
                n=limit(column),
            ), None
    user = users.get(email)
    if user is None and not row.get("full_name"):
        return _("No account with this e-mail: give full_name to create one."), None
    if user is not None and user.id in registered:
        return _("Already registered in this contest."), None
    return None, _Planned(row, email, division, user)


def _division(name: str, divisions: list[Division]) -> Division | None:
    """The division the cell names, exactly or ignoring case and spaces («5–8 классы» = «5–8 Классы»)."""
    exact = next((d for d in divisions if d.name == name), None)
    folded = " ".join(name.split()).casefold()
    return exact or next((d for d in divisions if " ".join(d.name.split()).casefold() == folded), None)


def _write(
    contest: Contest, planned: list[_Planned], errors: list[LineError], *, now: datetime, actor: User
) -> int:
    """Add the participations (and new accounts); a line refused by the account rules is added to
    `errors` and skipped."""
    role = Role.STUDENT if contest.kind != ContestKind.TEACHER else Role.TEACHER
    created = 0
    for plan in planned:
        user = plan.user
        if user is None:
            try:
                user = create_user(
                    email=plan.email,
                    full_name=plan.row.get("full_name"),
                    role=role,
                    password=secrets.token_urlsafe(24),
                    actor=actor,
                    commit=False,
                )
            except Invalid as error:
                errors.append(LineError(plan.row.line, plan.row.text, error.message))
                continue
        db.session.add(
            Participation(
                contest_id=contest.id,
                user_id=user.id,
                division_id=plan.division.id,
                institution_name=plan.row.get("institution")
                or (user.institution.name if user.institution else ""),
                district=user.institution.district if user.institution else "",
                grade=plan.row.get("grade"),
                subject=plan.row.get("subject"),
                imported=True,
                registered_at=now,
            )
        )
        created += 1
    return created
