"""monitoring: contest totals kept by the summary job — per institution and year
(mon_contest_total) and for the whole network per contest, subject and grade
(mon_contest_network) — filled here once from mon_contest, so the reports read a handful of rows

Revision ID: 0018_monitoring_speed
Revises: 0017_contest_standing
Create Date: 2026-12-02 11:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018_monitoring_speed"
down_revision = "0017_contest_standing"
branch_labels = None
depends_on = None

COUNTS = ("participants", "advanced", "winners", "prize_winners", "laureates")


def _audience():
    return sa.Enum(
        "pupils", "teachers", name="contestaudience", native_enum=False, create_constraint=True, length=32
    )


def _counts():
    return [sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS]


def upgrade():
    op.create_table(
        "mon_contest_total",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("audience", _audience(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        *_counts(),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_mon_contest_total_institution_id_institution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("year", "audience", "institution_id", name=op.f("pk_mon_contest_total")),
    )
    with op.batch_alter_table("mon_contest_total", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mon_contest_total_institution_id"), ["institution_id"], unique=False
        )
    op.create_table(
        "mon_contest_network",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("audience", _audience(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("grade", sa.String(length=32), nullable=False),
        *_counts(),
        sa.ForeignKeyConstraint(
            ["contest_id"],
            ["contest.id"],
            name=op.f("fk_mon_contest_network_contest_id_contest"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mon_contest_network")),
    )
    with op.batch_alter_table("mon_contest_network", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mon_contest_network_contest_id"), ["contest_id"], unique=False)
        batch_op.create_index("ix_mon_contest_network_year", ["year", "audience"], unique=False)
    # The totals of what the job last computed, so the reports stay right until its next run.
    sums = ", ".join(f"SUM({name})" for name in COUNTS)
    listed = ", ".join(COUNTS)
    op.execute(
        f"INSERT INTO mon_contest_total (year, audience, institution_id, {listed}) "
        f"SELECT year, audience, institution_id, {sums} FROM mon_contest "
        "GROUP BY year, audience, institution_id"
    )
    op.execute(
        f"INSERT INTO mon_contest_network (year, audience, contest_id, subject, grade, {listed}) "
        f"SELECT year, audience, contest_id, subject, grade, {sums} FROM mon_contest "
        "GROUP BY year, audience, contest_id, subject, grade"
    )


def downgrade():
    with op.batch_alter_table("mon_contest_network", schema=None) as batch_op:
        batch_op.drop_index("ix_mon_contest_network_year")
        batch_op.drop_index(batch_op.f("ix_mon_contest_network_contest_id"))
    op.drop_table("mon_contest_network")
    with op.batch_alter_table("mon_contest_total", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mon_contest_total_institution_id"))
    op.drop_table("mon_contest_total")
