"""Importing users from CSV: all or nothing, with a message for each line that cannot be taken.

New users have no usable password: they set one through "forgot password"."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.account_services import UNUSABLE_PASSWORD, normalise_email
from app.accounts import Institution, Role, User
from app.email_address import InvalidEmail, clean_email
from app.extensions import db
from app.i18n import _
from app.permissions import can_grant_role

CSV_COLUMNS = ("email", "full_name", "role", "institution")
MAX_FIELD = 255  # the width of the user and institution columns


@dataclass(frozen=True)
class ImportLineError:
    line: int
    message: str


@dataclass(frozen=True)
class ImportResult:
    created: int
    errors: list[ImportLineError]


def import_users_csv(text: str, *, actor: User) -> ImportResult:
    """Every line is checked first; any bad line means nothing is created."""
    try:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    except csv.Error as error:
        return ImportResult(
            0, [ImportLineError(1, _("The file is not valid CSV: %(error)s", error=str(error)))]
        )
    if not rows:
        return ImportResult(0, [ImportLineError(1, _("The file is empty."))])
    header = [cell.strip().lower() for cell in rows[0]]
    if tuple(header[: len(CSV_COLUMNS)]) != CSV_COLUMNS:
        return ImportResult(
            0, [ImportLineError(1, _("The first line must be: %(columns)s.", columns=",".join(CSV_COLUMNS)))]
        )
    institutions = {i.name.strip().lower(): i.id for i in db.session.scalars(select(Institution))}
    candidates = [normalise_email(r[0])[:MAX_FIELD] for r in rows[1:] if r]
    existing = (
        set(db.session.scalars(select(User.email).where(User.email.in_(candidates)))) if candidates else set()
    )
    emails_in_file: dict[str, int] = {}
    errors: list[ImportLineError] = []
    parsed: list[tuple[str, str, str, int | None]] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(CSV_COLUMNS):
            errors.append(ImportLineError(number, _("Expected %(n)d columns.", n=len(CSV_COLUMNS))))
            continue
        cells = [cell.strip() for cell in row[: len(CSV_COLUMNS)]]
        message = _line_problem(cells, existing, emails_in_file, institutions, actor)
        if message:
            errors.append(ImportLineError(number, message))
            continue
        email, full_name, role, institution = clean_email(cells[0]), cells[1], cells[2].lower(), cells[3]
        emails_in_file[email] = number
        parsed.append(
            (email, full_name, role, institutions.get(institution.lower()) if institution else None)
        )
    if errors:
        return ImportResult(0, errors)
    for email, full_name, role, institution_id in parsed:
        db.session.add(
            User(
                email=email,
                full_name=full_name,
                role=Role(role),
                institution_id=institution_id,
                password_hash=UNUSABLE_PASSWORD,
            )
        )
    audit.record("users.imported", actor=actor, scope_type="site", details={"count": len(parsed)})
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return ImportResult(
            0,
            [
                ImportLineError(
                    1, _("Another import created some of these users at the same time. Nothing was created.")
                )
            ],
        )
    return ImportResult(len(parsed), [])


def _line_problem(
    cells: list[str],
    existing: set[str],
    emails_in_file: dict[str, int],
    institutions: dict[str, int],
    actor: User,
) -> str | None:
    """The first thing wrong with one line, as the message for its line number; None when fine."""
    raw_email, full_name, role, institution = cells[0], cells[1], cells[2].lower(), cells[3]
    for column, value in zip(CSV_COLUMNS, cells, strict=True):
        if len(value) > MAX_FIELD:
            return _("The column “%(column)s” is longer than %(n)d characters.", column=column, n=MAX_FIELD)
    try:
        email = clean_email(raw_email)
    except InvalidEmail:
        return _("“%(value)s” is not an e-mail address.", value=raw_email)
    if email in existing:
        return _("A user with e-mail %(email)s already exists.", email=email)
    if email in emails_in_file:
        return _(
            "E-mail %(email)s is repeated (first on line %(line)d).", email=email, line=emails_in_file[email]
        )
    if not full_name:
        return _("The full name is empty.")
    if role not in {r.value for r in Role}:
        return _("Unknown role “%(role)s”.", role=role)
    if not can_grant_role(actor, role):
        return _("You may not create users with the role “%(role)s”.", role=role)
    if institution and institution.lower() not in institutions:
        return _("Unknown institution “%(name)s”.", name=institution)
    return None
