"""The library's pure rules share one error: a rule says no with a code, the field it concerns and the
values its text needs; community/library/messages.py turns the code into translated text."""

from __future__ import annotations

from typing import Any


class RuleError(ValueError):
    """A library rule said no; callers match `code`, never English words."""

    def __init__(self, code: str, field: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params
