"""library search: Russian full-text index of materials (SQLite FTS5 of stems, PostgreSQL GIN)

Revision ID: 0010_library_search
Revises: 0009_community_library
Create Date: 2026-12-02 02:40:00

The index is not a model's table, so each dialect gets its own statements (the same ones
community/library/search_schema.py gives `create_all`, copied here as they were when this was written).
SQLite's index holds Snowball stems computed in Python: materials written before it are indexed here.
"""

from alembic import op
import sqlalchemy as sa

from community.library.russian_words import index_document


# revision identifiers, used by Alembic.
revision = "0010_library_search"
down_revision = "0009_community_library"
branch_labels = None
depends_on = None

CREATE = {
    "sqlite": (
        "CREATE VIRTUAL TABLE IF NOT EXISTS material_fts USING fts5(words, "
        "tokenize = 'unicode61 remove_diacritics 0')",
        "CREATE TRIGGER IF NOT EXISTS material_fts_forget AFTER DELETE ON material "
        "BEGIN DELETE FROM material_fts WHERE rowid = old.id; END",
    ),
    "postgresql": (
        "CREATE INDEX IF NOT EXISTS ix_material_search_text ON material "
        "USING gin (to_tsvector('russian'::regconfig, left(search_text, 200000)))",
    ),
}
DROP = {
    "sqlite": ("DROP TRIGGER IF EXISTS material_fts_forget", "DROP TABLE IF EXISTS material_fts"),
    "postgresql": ("DROP INDEX IF EXISTS ix_material_search_text",),
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
