"""Full-text search of the library in Russian, with morphology, on both databases.

Each database keeps a search table keyed by material id (search_schema): PostgreSQL the material's
stored `russian` text-search vector, written by a trigger whenever search_text changes, so the index
follows the column with no call; SQLite an FTS5 table of the words' Snowball stems (russian_words),
which `index_material` writes — the one call the other use cases make after a material's search_text
or status changes, in the same transaction. Every material is indexed whatever its status: who may
see it is the catalogue's filter, not the index's, so the author's own drafts are found as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
from community.library.search_schema import FTS_TABLE, PG_TABLE

FTS = table(FTS_TABLE, column("rowid", Integer), column("words", Text))
VECTORS = table(PG_TABLE, column("material_id", Integer), column("document", Text))
_RUSSIAN: ColumnElement[str] = literal_column("'russian'::regconfig")


def dialect() -> str:
    return db.session.get_bind().dialect.name


def index_material(material: Material) -> None:
    """Make SQLite's stems table agree with the material's search_text (PostgreSQL's trigger already
    did). Flushes first so a new material has its id and its text is in the row."""
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


def _found(query: TextQuery) -> ColumnElement[bool]:
    """The search table's own condition (its table must be in the FROM list)."""
    if dialect() == "postgresql":
        return VECTORS.c.document.op("@@")(_pg_query(query))
    return literal_column(FTS_TABLE).op("MATCH")(russian_words.fts_match(list(query.terms)))


def matches(query: TextQuery) -> ColumnElement[bool]:
    """Materials having every word of the query in some form («дробь» finds «дробей»)."""
    if dialect() == "postgresql":
        return Material.id.in_(select(VECTORS.c.material_id).where(_found(query)))
    return Material.id.in_(select(FTS.c.rowid).where(_found(query)))


def ranked(select_query: Any, query: TextQuery) -> tuple[Any, ColumnElement[Any]]:
    """`select_query` (over Material) joined to the search table's matches, and the ORDER BY term
    putting the most relevant first (ts_rank on PostgreSQL, bm25 on SQLite)."""
    if dialect() == "postgresql":
        joined = select_query.join(VECTORS, VECTORS.c.material_id == Material.id).where(_found(query))
        return joined, func.ts_rank(VECTORS.c.document, _pg_query(query)).desc()
    joined = select_query.join(FTS, FTS.c.rowid == Material.id).where(_found(query))
    return joined, func.bm25(literal_column(FTS_TABLE)).asc()  # bm25: lower is more relevant
