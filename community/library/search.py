"""Full-text search of the library in Russian, with morphology, on both databases.

PostgreSQL indexes the material's `search_text` itself (a GIN index on its `russian` text-search
vector, search_schema.PG_VECTOR), so the index follows the column with no call. SQLite keeps an FTS5
table of the words' Snowball stems (russian_words), which `index_material` writes: the one call the
other use cases make after a material's search_text or status changes, in the same transaction.
Every material is indexed whatever its status: who may see it is the catalogue's filter, not the
index's, so the author's own drafts are found as on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Integer,
    Text,
    column,
    delete,
    func,
    insert,
    literal_column,
    select,
    table,
)

from app.extensions import db
from community.library import russian_words
from community.library.models import Material
from community.library.search_schema import FTS_TABLE, PG_VECTOR

FTS = table(FTS_TABLE, column("rowid", Integer), column("words", Text))
_RUSSIAN: ColumnElement[str] = literal_column("'russian'::regconfig")


def dialect() -> str:
    return db.session.get_bind().dialect.name


def index_material(material: Material) -> None:
    """Make the search index agree with the material's search_text (SQLite; PostgreSQL's index is on
    the column itself). Flushes first so a new material has its id."""
    if dialect() != "sqlite":
        return
    if material.id is None:
        db.session.flush()
    db.session.execute(delete(FTS).where(FTS.c.rowid == material.id))
    document = russian_words.index_document(material.search_text or "")
    if document:
        db.session.execute(insert(FTS).values(rowid=material.id, words=document))


@dataclass(frozen=True)
class TextQuery:
    """A search query's meaningful words (for PostgreSQL) and their stems (for SQLite's index)."""

    words: tuple[str, ...]
    terms: tuple[str, ...]


def text_query(q: str) -> TextQuery | None:
    """The query's words, or None when it has none worth searching (empty, punctuation, stop words)."""
    pairs = russian_words.query_words(q)
    if not pairs:
        return None
    return TextQuery(tuple(word for word, _ in pairs), tuple(term for _, term in pairs))


def _pg_query(query: TextQuery) -> ColumnElement[object]:
    return func.plainto_tsquery(_RUSSIAN, " ".join(query.words))


def matches(query: TextQuery) -> ColumnElement[bool]:
    """Materials having every word of the query in some form («дробь» finds «дробей»)."""
    if dialect() == "postgresql":
        return literal_column(PG_VECTOR).op("@@")(_pg_query(query))
    found = select(FTS.c.rowid).where(fts_match(query))
    return Material.id.in_(found)


def fts_match(query: TextQuery) -> ColumnElement[bool]:
    """SQLite: the FTS5 condition itself (usable where the FTS table is in the FROM list)."""
    return literal_column(FTS_TABLE).op("MATCH")(russian_words.fts_match(list(query.terms)))


def relevance(query: TextQuery) -> ColumnElement[float]:
    """PostgreSQL: higher is more relevant. (SQLite ranks with bm25 over FTS joined in, `fts_rank`.)"""
    return func.ts_rank(literal_column(PG_VECTOR), _pg_query(query))


def fts_rank() -> ColumnElement[float]:
    """SQLite: bm25 of the matched FTS row; lower is more relevant."""
    return func.bm25(literal_column(FTS_TABLE))
