"""Versions of cached data, kept in the database so that every worker and every node agrees.

A page or a fragment that is costly to build (a course's structure, a results table, the library's
facets) is cached under a key that includes the version of what it was built from. A service that
changes that data calls `bump(...)` inside its own transaction, so the new version becomes visible
exactly when the change commits; readers then miss the old entry and build a fresh one. Nothing is
ever invalidated by hand, and a stale entry simply ages out of the cache (app/memo.py).

Keys are short strings named after what they cover: "course:12", "stage:7:results", "library".
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import String, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class CacheVersion(db.Model):  # type: ignore[name-defined]
    """One counter per cached subject; a missing row is version 0."""

    __tablename__ = "cache_version"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


def bump(*keys: str) -> None:
    """Move each key's version on by one in the caller's transaction (the caller commits).

    One upsert per key: two writers at once both count, as the row lock serialises them."""
    table = CacheVersion.__table__
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for key in sorted(set(keys)):
        statement = insert(table).values(key=key, version=1)
        statement = statement.on_conflict_do_update(
            index_elements=["key"], set_={"version": table.c.version + 1}
        )
        db.session.execute(statement)


def current(keys: Iterable[str]) -> tuple[int, ...]:
    """The versions of `keys`, in their order, read in one statement (0 for a key never bumped)."""
    wanted = list(keys)
    if not wanted:
        return ()
    statement = select(CacheVersion.key, CacheVersion.version).where(CacheVersion.key.in_(wanted))
    rows = db.session.execute(statement)
    found = {key: version for key, version in rows}
    return tuple(found.get(key, 0) for key in wanted)
