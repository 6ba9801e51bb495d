"""community: the events calendar (events, series, hosts, invitations, registrations, feedback,
materials, personal feed tokens), event certificates, demo lessons open to colleagues

Revision ID: 0013_community_events
Revises: 0012_forum_search
Create Date: 2026-12-02 05:10:00

"""
from alembic import op
import sqlalchemy as sa

import app.extensions


# revision identifiers, used by Alembic.
revision = '0013_community_events'
down_revision = '0012_forum_search'
branch_labels = None
depends_on = None

CERTIFICATE_KINDS = ("course", "diploma", "participation", "jury", "publication")


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


def upgrade():
    op.create_table('calendar_token',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', app.extensions.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_calendar_token_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_calendar_token')),
    sa.UniqueConstraint('token', name=op.f('uq_calendar_token_token'))
    )
    op.create_table('event_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('weekly_until', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.extensions.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_event_series_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_series'))
    )
    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('webinar', 'open_lesson', 'seminar', 'master_class', 'conference', 'round_table', name='eventkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'cancelled', name='eventstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('starts_at', app.extensions.UTCDateTime(), nullable=False),
    sa.Column('ends_at', app.extensions.UTCDateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('format', sa.Enum('online', 'offline', 'hybrid', name='eventformat', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('link', sa.String(length=1000), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('audience', sa.Enum('network', 'association', 'invited', name='eventaudience', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('registration_closes_at', app.extensions.UTCDateTime(), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=True),
    sa.Column('association_id', sa.Integer(), nullable=True),
    sa.Column('grades', sa.JSON(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('checkin_code', sa.String(length=16), nullable=False),
    sa.Column('hours', sa.SmallInteger(), nullable=False),
    sa.Column('recording_url', sa.String(length=1000), nullable=False),
    sa.Column('demo_slot_id', sa.Integer(), nullable=True),
    sa.Column('registered_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('waiting_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.extensions.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.extensions.UTCDateTime(), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_event_capacity_positive')),
    sa.CheckConstraint('capacity IS NULL OR registered_count <= capacity', name=op.f('ck_event_registered_within_capacity')),
    sa.CheckConstraint('duration_minutes > 0', name=op.f('ck_event_duration_positive')),
    sa.CheckConstraint('registered_count >= 0 AND waiting_count >= 0', name=op.f('ck_event_counts_not_negative')),
    sa.ForeignKeyConstraint(['association_id'], ['association.id'], name=op.f('fk_event_association_id_association'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_event_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['demo_slot_id'], ['jury_demo_slot.id'], name=op.f('fk_event_demo_slot_id_jury_demo_slot'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_event_institution_id_institution'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['series_id'], ['event_series.id'], name=op.f('fk_event_series_id_event_series'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event')),
    sa.UniqueConstraint('demo_slot_id', name=op.f('uq_event_demo_slot_id'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_association_id'), ['association_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index('ix_event_kind_starts_at', ['kind', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_series_id'), ['series_id'], unique=False)
        batch_op.create_index('ix_event_starts_at', ['starts_at'], unique=False)
    op.create_table('event_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.SmallInteger(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', app.extensions.UTCDateTime(), nullable=False),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_event_feedback_score_range')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_feedback_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_event_feedback_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_feedback')),
    sa.UniqueConstraint('event_id', 'user_id', name=op.f('uq_event_feedback_event_id_user_id'))
    )
    with op.batch_alter_table('event_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_feedback_user_id'), ['user_id'], unique=False)
    op.create_table('event_host',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('host', 'speaker', name='hostrole', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_host_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_event_host_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_host')),
    sa.UniqueConstraint('event_id', 'user_id', name=op.f('uq_event_host_event_id_user_id'))
    )
    with op.batch_alter_table('event_host', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_host_user_id'), ['user_id'], unique=False)
    op.create_table('event_invite',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_invite_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_event_invite_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'user_id', name=op.f('pk_event_invite'))
    )
    with op.batch_alter_table('event_invite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_invite_user_id'), ['user_id'], unique=False)
    op.create_table('event_material',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_material_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['material_id'], ['material.id'], name=op.f('fk_event_material_material_id_material'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'material_id', name=op.f('pk_event_material'))
    )
    op.create_table('event_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('registered', 'waiting', 'cancelled', name='registrationstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('created_at', app.extensions.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.extensions.UTCDateTime(), nullable=False),
    sa.Column('promoted_at', app.extensions.UTCDateTime(), nullable=True),
    sa.Column('reminded_day_at', app.extensions.UTCDateTime(), nullable=True),
    sa.Column('reminded_hour_at', app.extensions.UTCDateTime(), nullable=True),
    sa.Column('attended_at', app.extensions.UTCDateTime(), nullable=True),
    sa.Column('check_in', sa.Enum('marked', 'code', name='checkin', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_registration_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_event_registration_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_registration')),
    sa.UniqueConstraint('event_id', 'user_id', name=op.f('uq_event_registration_event_id_user_id'))
    )
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.create_index('ix_event_registration_event_status', ['event_id', 'status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_registration_user_id'), ['user_id'], unique=False)
    op.create_table('event_subject',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_subject_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subject_id'], ['subject.id'], name=op.f('fk_event_subject_subject_id_subject'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'subject_id', name=op.f('pk_event_subject'))
    )
    with op.batch_alter_table('event_subject', schema=None) as batch_op:
        batch_op.create_index('ix_event_subject_subject', ['subject_id', 'event_id'], unique=False)
    with op.batch_alter_table('jury_config', schema=None) as batch_op:
        batch_op.add_column(sa.Column('open_to_colleagues', sa.Boolean(), server_default='0', nullable=False))
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hosts_events", sa.Boolean(), server_default="0", nullable=False))
    _allow_values(
        "certificate",
        "certificatekind",
        CERTIFICATE_KINDS + ("event_attendance", "event_conducting"),
        column="kind",
    )


def downgrade():
    op.execute("DELETE FROM certificate WHERE kind IN ('event_attendance', 'event_conducting')")
    _allow_values("certificate", "certificatekind", CERTIFICATE_KINDS, column="kind")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("hosts_events")
    with op.batch_alter_table('jury_config', schema=None) as batch_op:
        batch_op.drop_column('open_to_colleagues')
    with op.batch_alter_table('event_subject', schema=None) as batch_op:
        batch_op.drop_index('ix_event_subject_subject')
    op.drop_table('event_subject')
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_registration_user_id'))
        batch_op.drop_index('ix_event_registration_event_status')
    op.drop_table('event_registration')
    op.drop_table('event_material')
    with op.batch_alter_table('event_invite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_invite_user_id'))
    op.drop_table('event_invite')
    with op.batch_alter_table('event_host', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_host_user_id'))
    op.drop_table('event_host')
    with op.batch_alter_table('event_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_feedback_user_id'))
    op.drop_table('event_feedback')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_starts_at')
        batch_op.drop_index(batch_op.f('ix_event_series_id'))
        batch_op.drop_index('ix_event_kind_starts_at')
        batch_op.drop_index(batch_op.f('ix_event_institution_id'))
        batch_op.drop_index(batch_op.f('ix_event_association_id'))
    op.drop_table('event')
    op.drop_table('event_series')
    op.drop_table('calendar_token')
