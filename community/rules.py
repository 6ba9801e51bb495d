"""What every community rule shares (pure): the refusal with a code, and the one rule for a text a
person writes — stripped, not empty, not longer than its limit. Each room's messages module words
the codes."""

from __future__ import annotations

from typing import Any


class RuleError(ValueError):
    """A community rule said no. `code` names which rule, `field` the input it concerns, `params`
    the values its text needs: callers match codes, never English words."""

    def __init__(self, code: str, field: str = "", **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params


def bounded_text(
    value: object, *, field: str, limit: int, empty: str = "required", required: bool = True
) -> str:
    """The text as stored: stripped; refused with `empty` when blank (and required) and with
    "too_long" past `limit` characters."""
    cleaned = value.strip() if isinstance(value, str) else ""
    if required and not cleaned:
        raise RuleError(empty, field)
    if len(cleaned) > limit:
        raise RuleError("too_long", field, limit=limit)
    return cleaned
