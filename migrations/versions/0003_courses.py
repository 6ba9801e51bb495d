"""courses: courses, members, modules, items, assignments, submissions, views, grade overrides

Revision ID: 0003_courses
Revises: 0002_quiz
Create Date: 2026-11-22 16:44:46.433673

"""
from alembic import op
import sqlalchemy as sa

import app.extensions


# revision identifiers, used by Alembic.
revision = '0003_courses'
down_revision = '0002_quiz'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('enrolment_mode', sa.Enum('open', 'key', 'invitation', name='enrolmentmode', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('enrolment_key', sa.String(length=64), nullable=False),
    sa.Column('missing_grades', sa.Enum('zero', 'exclude', name='missinggrades', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.extensions.UTCDateTime(), nullable=False),
    sa.CheckConstraint('ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on', name=op.f('ck_course_dates_ordered')),
    sa.CheckConstraint('hours >= 0', name=op.f('ck_course_hours_not_negative')),
    sa.ForeignKeyConstraint(['bank_id'], ['question_bank.id'], name=op.f('fk_course_bank_id_question_bank'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_course_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course'))
    )
    op.create_table('course_asset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_asset_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['file_id'], ['stored_file.id'], name=op.f('fk_course_asset_file_id_stored_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_asset'))
    )
    with op.batch_alter_table('course_asset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_asset_course_id'), ['course_id'], unique=False)
    op.create_table('course_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('due_at', app.extensions.UTCDateTime(), nullable=True),
    sa.Column('cutoff_at', app.extensions.UTCDateTime(), nullable=True),
    sa.Column('max_points', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('rubric', sa.JSON(), nullable=False),
    sa.Column('allow_text', sa.Boolean(), nullable=False),
    sa.Column('allow_files', sa.Boolean(), nullable=False),
    sa.Column('allowed_extensions', sa.String(length=255), nullable=False),
    sa.Column('max_file_mb', sa.Integer(), nullable=False),
    sa.Column('max_files', sa.Integer(), nullable=False),
    sa.Column('resubmission', sa.Boolean(), nullable=False),
    sa.CheckConstraint('cutoff_at IS NULL OR due_at IS NULL OR cutoff_at >= due_at', name=op.f('ck_course_assignment_cutoff_after_due')),
    sa.CheckConstraint('max_file_mb > 0 AND max_files > 0', name=op.f('ck_course_assignment_file_limits_positive')),
    sa.CheckConstraint('max_points > 0', name=op.f('ck_course_assignment_max_points_positive')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_assignment_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_assignment'))
    )
    with op.batch_alter_table('course_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_assignment_course_id'), ['course_id'], unique=False)
    op.create_table('course_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('author', 'tutor', 'student', name='courserole', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('enrolled_at', app.extensions.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_member_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_course_member_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_member')),
    sa.UniqueConstraint('course_id', 'user_id', name=op.f('uq_course_member_course_id_user_id'))
    )
    with op.batch_alter_table('course_member', schema=None) as batch_op:
        batch_op.create_index('ix_course_member_course_role', ['course_id', 'role'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_member_user_id'), ['user_id'], unique=False)
    op.create_table('course_module',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('visible_from', app.extensions.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_module_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_module'))
    )
    with op.batch_alter_table('course_module', schema=None) as batch_op:
        batch_op.create_index('ix_course_module_course_position', ['course_id', 'position'], unique=False)
    op.create_table('course_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('page', 'link', 'file', 'assignment', 'quiz', name='itemkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('quiz_id', sa.Integer(), nullable=True),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('visible_from', app.extensions.UTCDateTime(), nullable=True),
    sa.Column('completion', sa.Enum('none', 'viewed', 'submitted', 'graded', name='completionrule', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('completion_points', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('prerequisite_id', sa.Integer(), nullable=True),
    sa.Column('weight', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.CheckConstraint('weight >= 0', name=op.f('ck_course_item_weight_not_negative')),
    sa.ForeignKeyConstraint(['assignment_id'], ['course_assignment.id'], name=op.f('fk_course_item_assignment_id_course_assignment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_item_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['file_id'], ['stored_file.id'], name=op.f('fk_course_item_file_id_stored_file'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['module_id'], ['course_module.id'], name=op.f('fk_course_item_module_id_course_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['prerequisite_id'], ['course_item.id'], name=op.f('fk_course_item_prerequisite_id_course_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['quiz_id'], ['quiz.id'], name=op.f('fk_course_item_quiz_id_quiz'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_item')),
    sa.UniqueConstraint('assignment_id', name=op.f('uq_course_item_assignment_id'))
    )
    with op.batch_alter_table('course_item', schema=None) as batch_op:
        batch_op.create_index('ix_course_item_course', ['course_id'], unique=False)
        batch_op.create_index('ix_course_item_module_position', ['module_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_item_quiz_id'), ['quiz_id'], unique=False)
    op.create_table('course_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('submitted_at', app.extensions.UTCDateTime(), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('points', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('rubric_levels', sa.JSON(), nullable=False),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('graded_at', app.extensions.UTCDateTime(), nullable=True),
    sa.Column('grader_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('points IS NULL OR points >= 0', name=op.f('ck_course_submission_points_not_negative')),
    sa.ForeignKeyConstraint(['assignment_id'], ['course_assignment.id'], name=op.f('fk_course_submission_assignment_id_course_assignment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grader_id'], ['user.id'], name=op.f('fk_course_submission_grader_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_course_submission_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_submission')),
    sa.UniqueConstraint('assignment_id', 'user_id', name=op.f('uq_course_submission_assignment_id_user_id'))
    )
    with op.batch_alter_table('course_submission', schema=None) as batch_op:
        batch_op.create_index('ix_course_submission_assignment_submitted', ['assignment_id', 'submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_submission_user_id'), ['user_id'], unique=False)
    op.create_table('course_grade_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', app.extensions.UTCDateTime(), nullable=False),
    sa.CheckConstraint('points >= 0', name=op.f('ck_course_grade_override_points_not_negative')),
    sa.ForeignKeyConstraint(['item_id'], ['course_item.id'], name=op.f('fk_course_grade_override_item_id_course_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_by_id'], ['user.id'], name=op.f('fk_course_grade_override_set_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_course_grade_override_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_grade_override')),
    sa.UniqueConstraint('item_id', 'user_id', name=op.f('uq_course_grade_override_item_id_user_id'))
    )
    with op.batch_alter_table('course_grade_override', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_grade_override_user_id'), ['user_id'], unique=False)
    op.create_table('course_item_view',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('viewed_at', app.extensions.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['course_item.id'], name=op.f('fk_course_item_view_item_id_course_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_course_item_view_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_item_view')),
    sa.UniqueConstraint('item_id', 'user_id', name=op.f('uq_course_item_view_item_id_user_id'))
    )
    with op.batch_alter_table('course_item_view', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_item_view_user_id'), ['user_id'], unique=False)
    op.create_table('course_submission_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['stored_file.id'], name=op.f('fk_course_submission_file_file_id_stored_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['course_submission.id'], name=op.f('fk_course_submission_file_submission_id_course_submission'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_submission_file'))
    )
    with op.batch_alter_table('course_submission_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_submission_file_submission_id'), ['submission_id'], unique=False)


def downgrade():
    with op.batch_alter_table('course_submission_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_submission_file_submission_id'))
    op.drop_table('course_submission_file')
    with op.batch_alter_table('course_item_view', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_item_view_user_id'))
    op.drop_table('course_item_view')
    with op.batch_alter_table('course_grade_override', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_grade_override_user_id'))
    op.drop_table('course_grade_override')
    with op.batch_alter_table('course_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_submission_user_id'))
        batch_op.drop_index('ix_course_submission_assignment_submitted')
    op.drop_table('course_submission')
    with op.batch_alter_table('course_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_item_quiz_id'))
        batch_op.drop_index('ix_course_item_module_position')
        batch_op.drop_index('ix_course_item_course')
    op.drop_table('course_item')
    with op.batch_alter_table('course_module', schema=None) as batch_op:
        batch_op.drop_index('ix_course_module_course_position')
    op.drop_table('course_module')
    with op.batch_alter_table('course_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_member_user_id'))
        batch_op.drop_index('ix_course_member_course_role')
    op.drop_table('course_member')
    with op.batch_alter_table('course_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_assignment_course_id'))
    op.drop_table('course_assignment')
    with op.batch_alter_table('course_asset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_asset_course_id'))
    op.drop_table('course_asset')
    op.drop_table('course')
