"""contests: an entry's jury aggregate and rank kept with it; results searched over a folded column

`jury_entry_standing` holds each jury-stage entry's exact aggregate, spread and rank per division,
kept by the jury services (contest_engine/jury/standing.py), so the organiser's overview reads rows.
`stage_result.search_text` holds the row's name, institution and district folded in Python (any
case, ё as е; contest_engine/rules/search.py) for a LIKE that works alike on SQLite and PostgreSQL;
the upgrade fills it for the rows already stored. The standing of existing jury stages is written
by their next score, appeal or recalculation.

Revision ID: 0017_contest_standing
Revises: 0016_cache_versions
Create Date: 2026-12-02 11:00:00

"""

import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017_contest_standing"
down_revision = "0016_cache_versions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "jury_entry_standing",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("division_id", sa.Integer(), nullable=False),
        sa.Column("score_num", sa.BigInteger(), nullable=True),
        sa.Column("score_den", sa.BigInteger(), nullable=True),
        sa.Column("spread_num", sa.BigInteger(), nullable=True),
        sa.Column("spread_den", sa.BigInteger(), nullable=True),
        sa.Column("disagreement", sa.Boolean(), nullable=False),
        sa.Column("missing", sa.Integer(), nullable=False),
        sa.Column("submitted", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "score_den IS NULL OR score_den > 0", name=op.f("ck_jury_entry_standing_score_den_positive")
        ),
        sa.CheckConstraint(
            "spread_den IS NULL OR spread_den > 0", name=op.f("ck_jury_entry_standing_spread_den_positive")
        ),
        sa.ForeignKeyConstraint(
            ["division_id"],
            ["division.id"],
            name=op.f("fk_jury_entry_standing_division_id_division"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["entry.id"], name=op.f("fk_jury_entry_standing_entry_id_entry"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"], ["stage.id"], name=op.f("fk_jury_entry_standing_stage_id_stage"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_jury_entry_standing")),
    )
    op.create_index(
        "ix_jury_entry_standing_order", "jury_entry_standing", ["stage_id", "position"], unique=False
    )
    with op.batch_alter_table("stage_result", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("search_text", sa.String(length=800), server_default="", nullable=False)
        )
        batch_op.create_index("ix_stage_result_search", ["stage_id", "search_text"], unique=False)
    _fill_search_text()


def _fill_search_text():
    """The folded text of every stored result row (Python folds Cyrillic; SQL on SQLite cannot)."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT r.id, u.full_name, p.institution_name, p.district FROM stage_result r "
            'JOIN participation p ON p.id = r.participation_id JOIN "user" u ON u.id = p.user_id'
        )
    ).all()
    update = sa.text("UPDATE stage_result SET search_text = :text WHERE id = :id")
    values = [{"id": row[0], "text": search_text(row[1] or "", row[2] or "", row[3] or "")} for row in rows]
    if values:
        bind.execute(update, values)


def _fold(text):
    """contest_engine.rules.search.fold as of this revision (copied: a migration stays as written)."""
    return re.sub(r"\s+", " ", text.casefold().replace("ё", "е")).strip()


def search_text(*fields):
    return " | ".join(_fold(field.replace("|", " ")) for field in fields)


def downgrade():
    with op.batch_alter_table("stage_result", schema=None) as batch_op:
        batch_op.drop_index("ix_stage_result_search")
        batch_op.drop_column("search_text")
    op.drop_index("ix_jury_entry_standing_order", table_name="jury_entry_standing")
    op.drop_table("jury_entry_standing")
