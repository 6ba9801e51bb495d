"""Importing users from a table (CSV in any usual encoding and separator, or XLSX): all or nothing,
or only the valid lines when the caller asks, with a message for each line that cannot be taken.

New users have no usable password: they set one through "forgot password"."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.account_services import UNUSABLE_PASSWORD, normalise_email
from app.accounts import Institution, Role, User
from app.email_address import InvalidEmail, clean_email
from app.extensions import db
from app.i18n import _
from app.permissions import can_grant_role
from app.tabular import LineError, Row, header_key
from app.tabular_messages import header_error, open_table

CSV_COLUMNS = ("email", "full_name", "role", "institution")
REQUIRED = ("email", "full_name", "role")
MAX_FIELD = 255  # the width of the user and institution columns
# What a Russian list says in the «Роль» column (compared by header_key: case and spaces ignored).
ROLE_WORDS = {
    "администратор": Role.ADMIN,
    "админ": Role.ADMIN,
    "организатор": Role.ORGANISER,
    "учитель": Role.TEACHER,
    "педагог": Role.TEACHER,
    "преподаватель": Role.TEACHER,
    "ученик": Role.STUDENT,
    "слушатель": Role.STUDENT,
    "ученица": Role.STUDENT,
    "учащийся": Role.STUDENT,
    "обучающийся": Role.STUDENT,
    "школьник": Role.STUDENT,
    "жюри": Role.JUROR,
    "членжюри": Role.JUROR,
    "эксперт": Role.JUROR,
    "методист": Role.METHODIST,
    "координатор": Role.COORDINATOR,
    "координаторшколы": Role.COORDINATOR,
    "завуч": Role.COORDINATOR,
    "заместительдиректора": Role.COORDINATOR,
    "замдиректора": Role.COORDINATOR,
    "районныйметодист": Role.DISTRICT_METHODIST,
    "методистрайона": Role.DISTRICT_METHODIST,
}


@dataclass(frozen=True)
class ImportResult:
    created: int
    errors: list[LineError]


def import_users(data: bytes | str, *, actor: User, valid_only: bool = False) -> ImportResult:
    """Every line is checked first; any bad line means nothing is created, unless `valid_only`,
    when the good lines are created and the bad ones reported. A file that is not a table at all
    raises Invalid (on the `file` field)."""
    table = open_table(data)
    missing = header_error(table, REQUIRED, CSV_COLUMNS)
    if missing:
        return ImportResult(0, [missing])
    institutions = {i.name.strip().lower(): i.id for i in db.session.scalars(select(Institution))}
    candidates = [normalise_email(row.get("email"))[:MAX_FIELD] for row in table.rows]
    existing = (
        set(db.session.scalars(select(User.email).where(User.email.in_(candidates)))) if candidates else set()
    )
    emails_in_file: dict[str, int] = {}
    errors: list[LineError] = []
    parsed: list[dict[str, object]] = []
    for row in table.rows:
        message = _line_problem(row, existing, emails_in_file, institutions, actor)
        if message:
            errors.append(LineError(row.line, row.text, message))
            continue
        email = clean_email(row.get("email"))
        emails_in_file[email] = row.line
        institution = row.get("institution").lower()
        parsed.append(
            {
                "email": email,
                "full_name": row.get("full_name"),
                "role": role_of(row.get("role")),
                "institution_id": institutions.get(institution) if institution else None,
                "password_hash": UNUSABLE_PASSWORD,
            }
        )
    if (errors and not valid_only) or not parsed:
        return ImportResult(0, errors)
    try:
        # One multi-row INSERT whatever the file's size (the ORM would insert row by row on SQLite);
        # the unique e-mail index refuses a user another import created since the check above.
        db.session.execute(insert(User), parsed)
        audit.record(
            "users.imported",
            actor=actor,
            scope_type="site",
            details={"count": len(parsed), "refused_lines": len(errors)},
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        message = _("Another import created some of these users at the same time. Nothing was created.")
        return ImportResult(0, [LineError(1, "", message)])
    return ImportResult(len(parsed), errors)


def role_of(text: str) -> Role | None:
    """The role a cell names: `teacher`, «Учитель», «член жюри»…; None when it names none."""
    key = header_key(text)
    by_value = {header_key(role.value): role for role in Role}  # "district_methodist" loses its "_"
    return by_value.get(key) or ROLE_WORDS.get(key)


def _line_problem(
    row: Row,
    existing: set[str],
    emails_in_file: dict[str, int],
    institutions: dict[str, int],
    actor: User,
) -> str | None:
    """The first thing wrong with one line, as the message for its line number; None when fine."""
    for column in CSV_COLUMNS:
        if len(row.get(column)) > MAX_FIELD:
            return _("The column “%(column)s” is longer than %(n)d characters.", column=column, n=MAX_FIELD)
    raw_email = row.get("email")
    try:
        email = clean_email(raw_email)
    except InvalidEmail:
        return _("“%(value)s” is not an e-mail address.", value=raw_email)
    if email in existing:
        return _("A user with e-mail %(email)s already exists.", email=raw_email)
    if email in emails_in_file:
        first = emails_in_file[email]
        return _("E-mail %(email)s is repeated (first on line %(line)d).", email=raw_email, line=first)
    if not row.get("full_name"):
        return _("The full name is empty.")
    if not row.get("role"):
        return _("The role is empty (for example: student, teacher, учитель, ученик).")
    role = role_of(row.get("role"))
    if role is None:
        return _("Unknown role “%(role)s”.", role=row.get("role"))
    if not can_grant_role(actor, role):
        return _("You may not create users with the role “%(role)s”.", role=row.get("role"))
    institution = row.get("institution")
    if institution and institution.lower() not in institutions:
        return _("Unknown institution “%(name)s”.", name=institution)
    return None
