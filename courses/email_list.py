"""Courses room, pure: the e-mail addresses of a class list that a tutor enrols at once. The rows
come from the tabular reader (any CSV or XLSX); no database: the enrolment use case looks the
addresses up."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class EmailLine:
    line: int
    text: str  # the line as it was in the file, for the report
    email: str  # lower-cased, as accounts store it


@dataclass(frozen=True)
class BadLine:
    line: int
    text: str
    value: str  # the cell as the user typed it (never lower-cased)


def read_email_rows(rows: Iterable[tuple[int, str, str]]) -> tuple[list[EmailLine], list[BadLine]]:
    """From (line, original text, the e-mail cell) rows: the e-mails (each once, first line wins)
    and the lines whose cell is not an e-mail address."""
    emails: list[EmailLine] = []
    errors: list[BadLine] = []
    seen: set[str] = set()
    for number, text, cell in rows:
        value = cell.strip()
        if not looks_like_email(value):
            errors.append(BadLine(number, text, value))
            continue
        email = value.lower()
        if email not in seen:
            seen.add(email)
            emails.append(EmailLine(number, text, email))
    return emails, errors


def looks_like_email(value: str) -> bool:
    """One `@` with something on both sides and no spaces (the accounts check the rest)."""
    local, at, domain = value.rpartition("@")
    return bool(at and local and domain) and not any(char.isspace() for char in value)
