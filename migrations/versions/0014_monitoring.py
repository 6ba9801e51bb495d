"""monitoring: districts as records, institution types, scoped roles (coordinator, district
methodist), the summary tables of the reports

Revision ID: 0014_monitoring
Revises: 0013_community_events
Create Date: 2026-12-02 05:10:00

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

import app.extensions


# revision identifiers, used by Alembic.
revision = '0014_monitoring'
down_revision = '0013_community_events'
branch_labels = None
depends_on = None

ROLES = ("admin", "organiser", "teacher", "student", "juror", "methodist")


def _allow_values(table, constraint, values, column=None):
    """Replace an enum column's CHECK constraint (named by the naming convention) with one over `values`."""
    listed = ", ".join(f"'{value}'" for value in values)
    condition = f"{column or constraint} IN ({listed})"
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f(f"ck_{table}_{constraint}"), table, type_="check")
        op.create_check_constraint(op.f(f"ck_{table}_{constraint}"), table, condition)
        return
    # SQLite cannot alter a constraint: batch mode rebuilds the table with the new one.
    with op.batch_alter_table(table, schema=None, recreate="always") as batch_op:
        batch_op.drop_constraint(batch_op.f(f"ck_{table}_{constraint}"), type_="check")
        batch_op.create_check_constraint(constraint, condition)


def _districts_from_institutions():
    """Each distinct (region, district) text already on institutions becomes a district record."""
    bind = op.get_bind()
    pairs = bind.execute(
        sa.text("SELECT DISTINCT region, district FROM institution WHERE district <> ''")
    ).all()
    district = sa.table(
        "district",
        sa.column("name", sa.String()),
        sa.column("region", sa.String()),
        sa.column("created_at", app.extensions.UTCDateTime()),
    )
    now = datetime.now(UTC)
    if pairs:
        op.bulk_insert(district, [{"name": d, "region": r, "created_at": now} for r, d in pairs])
    op.execute(
        "UPDATE institution SET district_id = (SELECT d.id FROM district d "
        "WHERE d.name = institution.district AND d.region = institution.region) WHERE district <> ''"
    )


def upgrade():
    op.create_table('district',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('region', sa.String(length=255), nullable=False),
    sa.Column('created_at', app.extensions.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_district')),
    sa.UniqueConstraint('region', 'name', name=op.f('uq_district_region_name'))
    )
    op.create_table('mon_run',
    sa.Column('report', sa.String(length=32), nullable=False),
    sa.Column('computed_at', app.extensions.UTCDateTime(), nullable=False),
    sa.Column('seconds', sa.Numeric(precision=10, scale=3), nullable=False),
    sa.PrimaryKeyConstraint('report', name=op.f('pk_mon_run'))
    )
    op.create_table('mon_activity',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('teachers', sa.Integer(), nullable=False),
    sa.Column('publications', sa.Integer(), nullable=False),
    sa.Column('comments', sa.Integer(), nullable=False),
    sa.Column('forum_posts', sa.Integer(), nullable=False),
    sa.Column('events_held', sa.Integer(), nullable=False),
    sa.Column('events_attended', sa.Integer(), nullable=False),
    sa.Column('association_members', sa.Integer(), nullable=False),
    sa.Column('active_teachers', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_mon_activity_institution_id_institution'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('year', 'institution_id', name=op.f('pk_mon_activity'))
    )
    with op.batch_alter_table('mon_activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mon_activity_institution_id'), ['institution_id'], unique=False)
    op.create_table('mon_qualification',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('teachers', sa.Integer(), nullable=False),
    sa.Column('courses_completed', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('teachers_with_course_3y', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_mon_qualification_institution_id_institution'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('year', 'institution_id', name=op.f('pk_mon_qualification'))
    )
    with op.batch_alter_table('mon_qualification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mon_qualification_institution_id'), ['institution_id'], unique=False)
    op.create_table('district_scope',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_district_scope_district_id_district'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_district_scope_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'district_id', name=op.f('pk_district_scope'))
    )
    with op.batch_alter_table('district_scope', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_district_scope_district_id'), ['district_id'], unique=False)
    op.create_table('institution_scope',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_institution_scope_institution_id_institution'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_institution_scope_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'institution_id', name=op.f('pk_institution_scope'))
    )
    with op.batch_alter_table('institution_scope', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institution_scope_institution_id'), ['institution_id'], unique=False)
    op.create_table('mon_contest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.Enum('pupils', 'teachers', name='contestaudience', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('grade', sa.String(length=32), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('advanced', sa.Integer(), nullable=False),
    sa.Column('winners', sa.Integer(), nullable=False),
    sa.Column('prize_winners', sa.Integer(), nullable=False),
    sa.Column('laureates', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_mon_contest_contest_id_contest'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_mon_contest_institution_id_institution'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mon_contest'))
    )
    with op.batch_alter_table('mon_contest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mon_contest_contest_id'), ['contest_id'], unique=False)
        batch_op.create_index('ix_mon_contest_institution', ['institution_id', 'year'], unique=False)
        batch_op.create_index('ix_mon_contest_year_audience', ['year', 'audience', 'institution_id'], unique=False)
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('type', sa.Enum('school', 'gymnasium', 'lyceum', 'methodical_centre', 'qualification_institute', 'additional_education', 'university', 'other', name='institutiontype', native_enum=False, create_constraint=True, length=32), server_default='school', nullable=False))
        batch_op.add_column(sa.Column('district_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_institution_district_id'), ['district_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_institution_district_id_district'), 'district', ['district_id'], ['id'], ondelete='RESTRICT')
    _districts_from_institutions()
    _allow_values("user", "role", ROLES + ("coordinator", "district_methodist"))


def downgrade():
    op.execute("UPDATE \"user\" SET role = 'teacher' WHERE role IN ('coordinator', 'district_methodist')")
    _allow_values("user", "role", ROLES)
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_institution_district_id_district'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_institution_district_id'))
        batch_op.drop_column('district_id')
        batch_op.drop_constraint(batch_op.f('ck_institution_institutiontype'), type_='check')
        batch_op.drop_column('type')
    with op.batch_alter_table('mon_contest', schema=None) as batch_op:
        batch_op.drop_index('ix_mon_contest_year_audience')
        batch_op.drop_index('ix_mon_contest_institution')
        batch_op.drop_index(batch_op.f('ix_mon_contest_contest_id'))
    op.drop_table('mon_contest')
    with op.batch_alter_table('institution_scope', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institution_scope_institution_id'))
    op.drop_table('institution_scope')
    with op.batch_alter_table('district_scope', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_district_scope_district_id'))
    op.drop_table('district_scope')
    with op.batch_alter_table('mon_qualification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mon_qualification_institution_id'))
    op.drop_table('mon_qualification')
    with op.batch_alter_table('mon_activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mon_activity_institution_id'))
    op.drop_table('mon_activity')
    op.drop_table('mon_run')
    op.drop_table('district')
