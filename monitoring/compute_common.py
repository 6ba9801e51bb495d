"""What the compute jobs share: the academic year of a timestamp column as SQL (a CASE over the
years' first moments, made by monitoring.academic_year so SQLite and PostgreSQL agree with Python),
who counts as a teacher, and each institution's teachers now (one grouped query)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, case, delete, func, insert, select

from app.accounts import Institution, Role, User
from app.extensions import db
from monitoring.academic_year import FIRST_YEAR, year_start

# Pedagogues: methodists and coordinators teach too; administrators, organisers, jurors and pupils
# are not counted (a juror is usually a teacher with a teacher's account as well).
PEDAGOGUES = (Role.TEACHER, Role.METHODIST, Role.COORDINATOR)


def year_of(column: Any, last: int) -> ColumnElement[int]:
    """The academic year of `column` (an aware timestamp), FIRST_YEAR - 1 before the first year;
    moments after `last` count in `last` (the compute never sees the future in practice)."""
    whens = [(column >= year_start(year), year) for year in range(last, FIRST_YEAR - 1, -1)]
    return case(*whens, else_=FIRST_YEAR - 1)


def is_pedagogue() -> ColumnElement[bool]:
    return User.role.in_(PEDAGOGUES) & User.active.is_(True)


def teachers_now() -> dict[int, int]:
    """institution_id -> active pedagogues (the only count monitoring has of staff over time)."""
    rows = db.session.execute(
        select(User.institution_id, func.count(User.id))
        .where(is_pedagogue(), User.institution_id.is_not(None))
        .group_by(User.institution_id)
    ).all()
    return {int(inst): int(n) for inst, n in rows if inst is not None}


def institution_ids() -> list[int]:
    return [int(i) for i in db.session.scalars(select(Institution.id))]


def grid(years: Iterable[int], current: int) -> list[tuple[int, int]]:
    """(institution, year) for every institution and every year from the first one with data (not
    before FIRST_YEAR) to `current`: a year without activity is a row of zeros, not a gap."""
    first = max(min((year for year in years if year <= current), default=current), FIRST_YEAR)
    return [(inst, year) for inst in institution_ids() for year in range(first, current + 1)]


def replace_rows(model: Any, rows: list[dict[str, int]]) -> int:
    """Replace a summary table's rows in the caller's transaction (readers see old rows or new)."""
    db.session.execute(delete(model))
    if rows:
        db.session.execute(insert(model), rows)
    return len(rows)
