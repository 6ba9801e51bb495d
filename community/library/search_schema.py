"""The full-text index's own schema objects, which the models cannot describe: on SQLite an FTS5 table
of stemmed words (row id = material id) and a trigger that forgets a deleted material; on PostgreSQL a
GIN index on the material's `russian` text-search vector. Migration 0010 creates them for real
databases; `register_search_schema` makes `create_all()` (tests, the benchmark) create them too, and
`include_in_comparison` keeps Alembic's model comparison from calling them strays.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from community.library.models import Material
from community.library.russian_words import MAX_INDEXED_CHARS

FTS_TABLE = "material_fts"
# FTS5 keeps its data in these shadow tables beside the virtual one.
FTS_SHADOW_SUFFIXES = ("_config", "_content", "_data", "_docsize", "_idx")
PG_INDEX = "ix_material_search_text"
# The indexed expression; the catalogue's queries spell it the same way so the planner uses the index.
PG_VECTOR = f"to_tsvector('russian'::regconfig, left(search_text, {MAX_INDEXED_CHARS}))"

_CREATE = {
    "sqlite": (
        # unicode61 only splits: the words arrive stemmed; keep й and ё-free stems as they are.
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(words, "
        "tokenize = 'unicode61 remove_diacritics 0')",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_forget AFTER DELETE ON material "
        f"BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END",
    ),
    "postgresql": (f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON material USING gin ({PG_VECTOR})",),
}
_DROP = {
    "sqlite": (f"DROP TRIGGER IF EXISTS {FTS_TABLE}_forget", f"DROP TABLE IF EXISTS {FTS_TABLE}"),
    "postgresql": (f"DROP INDEX IF EXISTS {PG_INDEX}",),
}


def create_statements(dialect: str) -> tuple[str, ...]:
    return _CREATE.get(dialect, ())


def drop_statements(dialect: str) -> tuple[str, ...]:
    return _DROP.get(dialect, ())


def _after_create(target: Any, connection: Any, **kw: Any) -> None:
    for statement in create_statements(connection.dialect.name):
        connection.exec_driver_sql(statement)


def _before_drop(target: Any, connection: Any, **kw: Any) -> None:
    for statement in drop_statements(connection.dialect.name):
        connection.exec_driver_sql(statement)


def register_search_schema() -> None:
    """Create and drop the index with the material table (idempotent: the tests build many apps)."""
    table = Material.__table__
    if not event.contains(table, "after_create", _after_create):
        event.listen(table, "after_create", _after_create)
    if not event.contains(table, "before_drop", _before_drop):
        event.listen(table, "before_drop", _before_drop)


def is_search_index(name: str | None, type_: str) -> bool:
    """Whether a reflected table or index is the search index's own (not a model's)."""
    if type_ == "table":
        return name == FTS_TABLE or any(name == FTS_TABLE + suffix for suffix in FTS_SHADOW_SUFFIXES)
    return type_ == "index" and name == PG_INDEX


def include_in_comparison(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's `include_name` hook: compare everything but the search index's own objects."""
    return not is_search_index(name, type_)
