"""cache versions: one counter per cached subject (app/cache_versions.py)

Revision ID: 0016_cache_versions
Revises: 0015_quiz_flags
Create Date: 2026-12-02 10:50:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016_cache_versions"
down_revision = "0015_quiz_flags"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "cache_version",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_cache_version")),
    )


def downgrade():
    op.drop_table("cache_version")
