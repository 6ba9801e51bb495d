"""The full-text index's own schema objects, which the models cannot describe, one table per database
keyed by material id: on SQLite an FTS5 table of stemmed words (rowid = material id) kept by
search.index_material, with a trigger that forgets a deleted material; on PostgreSQL a table of each
material's stored `russian` text-search vector with a GIN index, kept by a trigger on the material's
search_text (a stored vector, not an expression index: a search matching most of the library must not
recompute 70,000 vectors to rank or count them). Migration 0010 creates them for real databases;
`register_search_schema` makes `create_all()` (tests, the benchmark) create them too, and
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
PG_TABLE = "material_search"
PG_INDEX = "ix_material_search_document"
PG_VECTOR = f"to_tsvector('russian'::regconfig, left(NEW.search_text, {MAX_INDEXED_CHARS}))"

_CREATE = {
    "sqlite": (
        # unicode61 only splits: the words arrive stemmed and lower-cased.
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(words, "
        "tokenize = 'unicode61 remove_diacritics 0')",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_forget AFTER DELETE ON material "
        f"BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END",
    ),
    "postgresql": (
        f"CREATE TABLE IF NOT EXISTS {PG_TABLE} (material_id integer PRIMARY KEY "
        "REFERENCES material (id) ON DELETE CASCADE, document tsvector NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {PG_TABLE} USING gin (document)",
        f"CREATE OR REPLACE FUNCTION {PG_TABLE}_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO {PG_TABLE} (material_id, document) VALUES (NEW.id, {PG_VECTOR}) "
        "ON CONFLICT (material_id) DO UPDATE SET document = EXCLUDED.document; RETURN NULL; END $$",
        f"DROP TRIGGER IF EXISTS {PG_TABLE}_sync ON material",
        f"CREATE TRIGGER {PG_TABLE}_sync AFTER INSERT OR UPDATE OF search_text ON material "
        f"FOR EACH ROW EXECUTE FUNCTION {PG_TABLE}_sync()",
    ),
}
_DROP = {
    "sqlite": (f"DROP TRIGGER IF EXISTS {FTS_TABLE}_forget", f"DROP TABLE IF EXISTS {FTS_TABLE}"),
    "postgresql": (
        f"DROP TRIGGER IF EXISTS {PG_TABLE}_sync ON material",
        f"DROP FUNCTION IF EXISTS {PG_TABLE}_sync()",
        f"DROP TABLE IF EXISTS {PG_TABLE}",
    ),
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
        return name in (FTS_TABLE, PG_TABLE) or any(
            name == FTS_TABLE + suffix for suffix in FTS_SHADOW_SUFFIXES
        )
    return type_ == "index" and name == PG_INDEX


def include_in_comparison(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's `include_name` hook: compare everything but the search index's own objects."""
    return not is_search_index(name, type_)
