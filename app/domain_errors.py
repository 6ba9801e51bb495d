"""Errors a service raises when a rule says no. Views turn them into a form error or a page;
the API turns them into its error shape with the status below."""

from __future__ import annotations


class DomainError(Exception):
    status = 409
    code = "conflict"

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class Conflict(DomainError):
    """The state does not allow it: stage closed, attempt finished, duplicate."""


class Invalid(DomainError):
    """The input breaks a rule; `fields` names the fields."""

    status = 422
    code = "validation"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
