"""quiz: a student's flag on a question of an attempt (the navigation panel's «come back to it»)

Revision ID: 0015_quiz_flags
Revises: 0014_monitoring
Create Date: 2026-12-02 07:50:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0015_quiz_flags"
down_revision = "0014_monitoring"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("quiz_answer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("flagged", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("quiz_answer", schema=None) as batch_op:
        batch_op.drop_column("flagged")
