"""The forum search index's own schema objects, which the models cannot describe, one table per
database keyed by post id, holding only visible posts:

- SQLite: an FTS5 table of the post's Snowball stems (rowid = post id), written by
  search.index_post after a post is created, edited or hidden, with a trigger that forgets a deleted
  post;
- PostgreSQL: a table of each visible post's stored `russian` text-search vector with a GIN index,
  kept by a trigger on the post's text and hidden mark (a stored vector rather than an expression
  index, as the library found: ranking a search that matches thousands of posts must not recompute
  their vectors).

The opening post (number 1) is indexed with its topic's title, so a topic is found by its title.
Migration 0012 creates them for real databases; `register_search_schema` makes `create_all()` (tests,
the benchmark) create them too, and `include_in_comparison` keeps Alembic's model comparison from
calling them (or the library's) strays.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from community.forums.models import Post
from community.library import search_schema as library_schema
from community.library.russian_words import MAX_INDEXED_CHARS

FTS_TABLE = "forum_post_fts"
PG_TABLE = "forum_post_search"
PG_INDEX = "ix_forum_post_search_document"
_TITLE = (
    "CASE WHEN NEW.number = 1 THEN coalesce((SELECT title FROM forum_topic WHERE id = NEW.topic_id), '') "
)
PG_VECTOR = (
    f"to_tsvector('russian'::regconfig, left({_TITLE}ELSE '' END || ' ' || NEW.text, {MAX_INDEXED_CHARS}))"
)

CREATE = {
    "sqlite": (
        # unicode61 only splits: the words arrive stemmed and lower-cased.
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(words, "
        "tokenize = 'unicode61 remove_diacritics 0')",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_forget AFTER DELETE ON forum_post "
        f"BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END",
    ),
    "postgresql": (
        f"CREATE TABLE IF NOT EXISTS {PG_TABLE} (post_id integer PRIMARY KEY "
        "REFERENCES forum_post (id) ON DELETE CASCADE, document tsvector NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {PG_TABLE} USING gin (document)",
        f"CREATE OR REPLACE FUNCTION {PG_TABLE}_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF NEW.hidden_at IS NOT NULL THEN DELETE FROM {PG_TABLE} WHERE post_id = NEW.id; "
        f"ELSE INSERT INTO {PG_TABLE} (post_id, document) VALUES (NEW.id, {PG_VECTOR}) "
        "ON CONFLICT (post_id) DO UPDATE SET document = EXCLUDED.document; END IF; RETURN NULL; END $$",
        f"DROP TRIGGER IF EXISTS {PG_TABLE}_sync ON forum_post",
        f"CREATE TRIGGER {PG_TABLE}_sync AFTER INSERT OR UPDATE OF text, hidden_at ON forum_post "
        f"FOR EACH ROW EXECUTE FUNCTION {PG_TABLE}_sync()",
    ),
}
DROP = {
    "sqlite": (f"DROP TRIGGER IF EXISTS {FTS_TABLE}_forget", f"DROP TABLE IF EXISTS {FTS_TABLE}"),
    "postgresql": (
        f"DROP TRIGGER IF EXISTS {PG_TABLE}_sync ON forum_post",
        f"DROP FUNCTION IF EXISTS {PG_TABLE}_sync()",
        f"DROP TABLE IF EXISTS {PG_TABLE}",
    ),
}


def _after_create(target: Any, connection: Any, **kw: Any) -> None:
    for statement in CREATE.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


def _before_drop(target: Any, connection: Any, **kw: Any) -> None:
    for statement in DROP.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


def register_search_schema() -> None:
    """Create and drop the index with the post table (idempotent: the tests build many apps)."""
    table = Post.__table__
    if not event.contains(table, "after_create", _after_create):
        event.listen(table, "after_create", _after_create)
    if not event.contains(table, "before_drop", _before_drop):
        event.listen(table, "before_drop", _before_drop)


def is_search_index(name: str | None, type_: str) -> bool:
    """Whether a reflected table or index is this index's own (not a model's)."""
    if type_ == "table":
        return name in (FTS_TABLE, PG_TABLE) or any(
            name == FTS_TABLE + suffix for suffix in library_schema.FTS_SHADOW_SUFFIXES
        )
    return type_ == "index" and name == PG_INDEX


def include_in_comparison(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's `include_name` hook: compare everything but the library's and the forums' search
    indexes."""
    return library_schema.include_in_comparison(name, type_, parent_names) and not is_search_index(
        name, type_
    )
