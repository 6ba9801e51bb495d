"""Results search: how names, institutions and districts are folded for matching (pure rules).

Why stored and folded in Python: SQLite's lower() and LIKE fold only ASCII, so a search for
«иванов» would miss «Иванов» and «ИВАНОВ»; PostgreSQL's ILIKE would fold them but not «ё». Folding
both the stored text and the query the same way gives one behaviour on both databases, and the
comparison is then a plain LIKE over one column of one table (no joins, an index to scan).
"""

from __future__ import annotations

import re

LIKE_ESCAPE = "\\"
_SPACES = re.compile(r"\s+")
_SEPARATOR = " | "  # never inside a folded field, so a query cannot match across two fields


def fold(text: str) -> str:
    """Text as the search compares it: Unicode case folding, «ё» read as «е», runs of white space
    as one space, no space at either end."""
    return _SPACES.sub(" ", text.casefold().replace("ё", "е")).strip()


def search_text(*fields: str) -> str:
    """The stored search column of one result row: its folded fields, kept apart by a separator."""
    return _SEPARATOR.join(fold(field.replace("|", " ")) for field in fields)


def like_pattern(query: str) -> str | None:
    """A LIKE pattern (escaped with `LIKE_ESCAPE`) finding the folded query anywhere in a field; None
    for a query with nothing to look for."""
    folded = fold(query.replace("|", " "))
    if not folded:
        return None
    escaped = (
        folded.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return f"%{escaped}%"
