"""forum search: Russian full-text index of posts (SQLite FTS5 of stems, PostgreSQL stored vectors); topics by forum and recency

Revision ID: 0012_forum_search
Revises: 0011_community_forums
Create Date: 2026-12-02 02:55:00

The index is not a model's table, so each dialect gets its own statements (the ones
community/forums/search_schema.py gives `create_all`, copied here as they were when this was written).
SQLite's index holds Snowball stems computed in Python; PostgreSQL's holds each visible post's stored
`russian` tsvector, kept by a trigger on the post's text and hidden mark. The opening post carries its
topic's title. Posts written before it are indexed here; hidden ones are left out.
"""

from alembic import op
import sqlalchemy as sa

from community.library.russian_words import index_document


# revision identifiers, used by Alembic.
revision = "0012_forum_search"
down_revision = "0011_community_forums"
branch_labels = None
depends_on = None

TITLE = "CASE WHEN {0}.number = 1 THEN coalesce((SELECT title FROM forum_topic WHERE id = {0}.topic_id), '') "
VECTOR = "to_tsvector('russian'::regconfig, left(" + TITLE + "ELSE '' END || ' ' || {0}.text, 200000))"
CREATE = {
    "sqlite": (
        "CREATE VIRTUAL TABLE IF NOT EXISTS forum_post_fts USING fts5(words, "
        "tokenize = 'unicode61 remove_diacritics 0')",
        "CREATE TRIGGER IF NOT EXISTS forum_post_fts_forget AFTER DELETE ON forum_post "
        "BEGIN DELETE FROM forum_post_fts WHERE rowid = old.id; END",
    ),
    "postgresql": (
        "CREATE TABLE IF NOT EXISTS forum_post_search (post_id integer PRIMARY KEY "
        "REFERENCES forum_post (id) ON DELETE CASCADE, document tsvector NOT NULL)",
        "CREATE INDEX IF NOT EXISTS ix_forum_post_search_document ON forum_post_search USING gin (document)",
        "CREATE OR REPLACE FUNCTION forum_post_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.hidden_at IS NOT NULL THEN DELETE FROM forum_post_search WHERE post_id = NEW.id; "
        "ELSE INSERT INTO forum_post_search (post_id, document) VALUES (NEW.id, "
        + VECTOR.format("NEW")
        + ") ON CONFLICT (post_id) DO UPDATE SET document = EXCLUDED.document; END IF; RETURN NULL; END $$",
        "DROP TRIGGER IF EXISTS forum_post_search_sync ON forum_post",
        "CREATE TRIGGER forum_post_search_sync AFTER INSERT OR UPDATE OF text, hidden_at ON forum_post "
        "FOR EACH ROW EXECUTE FUNCTION forum_post_search_sync()",
        "INSERT INTO forum_post_search (post_id, document) SELECT p.id, "
        + VECTOR.format("p")
        + " FROM forum_post p WHERE p.hidden_at IS NULL ON CONFLICT (post_id) DO NOTHING",
    ),
}
DROP = {
    "sqlite": ("DROP TRIGGER IF EXISTS forum_post_fts_forget", "DROP TABLE IF EXISTS forum_post_fts"),
    "postgresql": (
        "DROP TRIGGER IF EXISTS forum_post_search_sync ON forum_post",
        "DROP FUNCTION IF EXISTS forum_post_search_sync()",
        "DROP TABLE IF EXISTS forum_post_search",
    ),
}


def upgrade():
    # Unread counts look only at a forum's recently active topics.
    op.create_index("ix_forum_topic_forum_recent", "forum_topic", ["forum_id", "last_post_at"], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in CREATE.get(dialect, ()):
        op.execute(statement)
    if dialect == "sqlite":
        connection = op.get_bind()
        rows = connection.execute(
            sa.text(
                "SELECT p.id, p.number, p.text, t.title FROM forum_post p "
                "JOIN forum_topic t ON t.id = p.topic_id WHERE p.hidden_at IS NULL"
            )
        ).all()
        for post_id, number, text, title in rows:
            document = index_document(f"{title} {text}" if number == 1 else text or "")
            if document:
                connection.execute(
                    sa.text("INSERT INTO forum_post_fts (rowid, words) VALUES (:id, :words)"),
                    {"id": post_id, "words": document},
                )


def downgrade():
    for statement in DROP.get(op.get_bind().dialect.name, ()):
        op.execute(statement)
    op.drop_index("ix_forum_topic_forum_recent", table_name="forum_topic")
