"""library search: Russian full-text index of materials (SQLite FTS5 of stems, PostgreSQL stored vectors)

Revision ID: 0010_library_search
Revises: 0009_community_library
Create Date: 2026-12-02 02:40:00

The index is not a model's table, so each dialect gets its own statements (the same ones
community/library/search_schema.py gives `create_all`, copied here as they were when this was written).
SQLite's index holds Snowball stems computed in Python; PostgreSQL's holds each material's stored
`russian` tsvector, kept by a trigger on search_text. Materials written before it are indexed here.
"""

from alembic import op
import sqlalchemy as sa

from community.library.russian_words import index_document


# revision identifiers, used by Alembic.
revision = "0010_library_search"
down_revision = "0009_community_library"
branch_labels = None
depends_on = None

VECTOR = "to_tsvector('russian'::regconfig, left({}, 200000))"
CREATE = {
    "sqlite": (
        "CREATE VIRTUAL TABLE IF NOT EXISTS material_fts USING fts5(words, "
        "tokenize = 'unicode61 remove_diacritics 0')",
        "CREATE TRIGGER IF NOT EXISTS material_fts_forget AFTER DELETE ON material "
        "BEGIN DELETE FROM material_fts WHERE rowid = old.id; END",
    ),
    "postgresql": (
        "CREATE TABLE IF NOT EXISTS material_search (material_id integer PRIMARY KEY "
        "REFERENCES material (id) ON DELETE CASCADE, document tsvector NOT NULL)",
        "CREATE INDEX IF NOT EXISTS ix_material_search_document ON material_search USING gin (document)",
        "CREATE OR REPLACE FUNCTION material_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO material_search (material_id, document) VALUES (NEW.id, "
        + VECTOR.format("NEW.search_text")
        + ") ON CONFLICT (material_id) DO UPDATE SET document = EXCLUDED.document; RETURN NULL; END $$",
        "DROP TRIGGER IF EXISTS material_search_sync ON material",
        "CREATE TRIGGER material_search_sync AFTER INSERT OR UPDATE OF search_text ON material "
        "FOR EACH ROW EXECUTE FUNCTION material_search_sync()",
        "INSERT INTO material_search (material_id, document) SELECT id, "
        + VECTOR.format("search_text")
        + " FROM material ON CONFLICT (material_id) DO NOTHING",
    ),
}
DROP = {
    "sqlite": ("DROP TRIGGER IF EXISTS material_fts_forget", "DROP TABLE IF EXISTS material_fts"),
    "postgresql": (
        "DROP TRIGGER IF EXISTS material_search_sync ON material",
        "DROP FUNCTION IF EXISTS material_search_sync()",
        "DROP TABLE IF EXISTS material_search",
    ),
}


def upgrade():
    dialect = op.get_bind().dialect.name
    for statement in CREATE.get(dialect, ()):
        op.execute(statement)
    if dialect == "sqlite":
        connection = op.get_bind()
        rows = connection.execute(sa.text("SELECT id, search_text FROM material")).all()
        for material_id, search_text in rows:
            document = index_document(search_text or "")
            if document:
                connection.execute(
                    sa.text("INSERT INTO material_fts (rowid, words) VALUES (:id, :words)"),
                    {"id": material_id, "words": document},
                )


def downgrade():
    for statement in DROP.get(op.get_bind().dialect.name, ()):
        op.execute(statement)
