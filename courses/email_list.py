"""Courses room, pure: the e-mail addresses of a class list (a CSV file or one address a line) that a
tutor enrols at once. No database: the enrolment use case looks the addresses up."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass


@dataclass(frozen=True)
class EmailLine:
    line: int
    email: str


def read_email_csv(text: str) -> tuple[list[EmailLine], list[tuple[int, str]]]:
    """E-mails from a CSV with an `email` column (or one e-mail per line without a header).
    Returns the e-mails with their line numbers and the lines that are not e-mails."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    column = 0
    start = 0
    if rows and any(cell.strip().lower() in {"email", "e-mail"} for cell in rows[0]):
        column = [cell.strip().lower() for cell in rows[0]].index(
            "email" if "email" in [c.strip().lower() for c in rows[0]] else "e-mail"
        )
        start = 1
    emails: list[EmailLine] = []
    errors: list[tuple[int, str]] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[start:], start=start + 1):
        if not row or not any(cell.strip() for cell in row):
            continue
        value = row[column].strip().lower() if column < len(row) else ""
        if "@" not in value or " " in value or value.startswith("@") or value.endswith("@"):
            errors.append((number, value))
            continue
        if value not in seen:
            seen.add(value)
            emails.append(EmailLine(number, value))
    return emails, errors
