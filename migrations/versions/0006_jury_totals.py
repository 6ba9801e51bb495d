"""jury: a stored weighted total per score sheet

Revision ID: 0006_jury_totals
Revises: 0005_jury
Create Date: 2026-11-22 18:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006_jury_totals'
down_revision = '0005_jury'
branch_labels = None
depends_on = None

# Σ points × weight on the stored integers (hundredths × hundredths = ten-thousandths), for submitted
# sheets with points for every criterion of their stage; NULL otherwise (what the services write).
_SCORED = ("FROM jury_score JOIN jury_criterion ON jury_criterion.id = jury_score.criterion_id "
           "WHERE jury_score.sheet_id = jury_score_sheet.id AND jury_criterion.stage_id = jury_score_sheet.stage_id")
BACKFILL = f"""
UPDATE jury_score_sheet SET weighted_total = (
    SELECT COALESCE(SUM(CAST(jury_score.points AS BIGINT) * jury_criterion.weight), 0) {_SCORED})
WHERE state = 'submitted'
  AND (SELECT COUNT(*) {_SCORED})
      = (SELECT COUNT(*) FROM jury_criterion WHERE jury_criterion.stage_id = jury_score_sheet.stage_id)
"""


def upgrade():
    with op.batch_alter_table('jury_score_sheet', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weighted_total', sa.BigInteger(), nullable=True))
    op.execute(BACKFILL)


def downgrade():
    with op.batch_alter_table('jury_score_sheet', schema=None) as batch_op:
        batch_op.drop_column('weighted_total')
