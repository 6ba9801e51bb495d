"""Pure rules of the forum search page and its links: the query text and where to look.

`scope` names where to search: empty (or «all») for every forum of the places the person belongs to,
«forum-<id>» for one forum, «course-<id>», «contest-<id>» or «association-<id>» for a place's forums.
Whether the person may read there is the view's question (a 404 when not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from community.rules import RuleError

MAX_QUERY_CHARS = 200
MAX_ID = 2**31 - 1
SCOPE_KINDS = ("forum", "course", "contest", "association")
_SCOPE = re.compile(r"^(" + "|".join(SCOPE_KINDS) + r")-([0-9]{1,10})$")


@dataclass(frozen=True)
class Scope:
    kind: str  # one of SCOPE_KINDS
    id: int

    @property
    def value(self) -> str:
        return f"{self.kind}-{self.id}"


def search_query(text: object) -> str:
    """The query as searched: one line, stripped, at most MAX_QUERY_CHARS characters."""
    cleaned = " ".join(text.split()) if isinstance(text, str) else ""
    if len(cleaned) > MAX_QUERY_CHARS:
        raise RuleError("too_long", "q", limit=MAX_QUERY_CHARS)
    return cleaned


def search_scope(text: object) -> Scope | None:
    """Where to search: None for all of one's forums, else the forum or the place named."""
    value = text.strip() if isinstance(text, str) else ""
    if value in ("", "all"):
        return None
    found = _SCOPE.match(value)
    if found is None or not 1 <= int(found.group(2)) <= MAX_ID:
        raise RuleError("search_scope_unknown", "scope")
    return Scope(found.group(1), int(found.group(2)))
