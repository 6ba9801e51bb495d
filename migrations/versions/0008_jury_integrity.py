"""jury: frozen juror institutions, scores that follow the entry

Revision ID: 0008_jury_integrity
Revises: 0007_accounts_security
Create Date: 2026-12-01 23:50:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_jury_integrity'
down_revision = '0007_accounts_security'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('jury_stage_juror', schema=None) as batch_op:
        batch_op.add_column(sa.Column('institution_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_jury_stage_juror_institution_id_institution'), 'institution',
                                    ['institution_id'], ['id'], ondelete='SET NULL')
    # Backfill: jurors already on a jury keep the institution their profile names today.
    op.execute(
        'UPDATE jury_stage_juror SET institution_id = '
        '(SELECT "user".institution_id FROM "user" WHERE "user".id = jury_stage_juror.user_id)'
    )


def downgrade():
    with op.batch_alter_table('jury_stage_juror', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_jury_stage_juror_institution_id_institution'), type_='foreignkey')
        batch_op.drop_column('institution_id')
