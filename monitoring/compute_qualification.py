"""Teachers' qualification per institution and academic year, from course certificates.

A completion is a course certificate (not revoked) of a pedagogue, in the year it was issued; its
hours are the certificate's `details` (the course's hours written at issue; anything but digits
counts 0). «With a course in 3 years» counts distinct teachers with a completion in the year or the
two before. Three grouped queries whatever the number of teachers; a row for every institution and
every year from the first completion to the current one, so a year without courses shows 0 of N."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, case, cast, func, literal, select, union_all

from app.accounts import User
from app.certificates import Certificate, CertificateKind
from app.extensions import db
from monitoring.compute_common import grid, is_pedagogue, replace_rows, teachers_now, year_of
from monitoring.models import QualificationSummary


def _hours() -> Any:
    details = func.trim(Certificate.details)
    digits_only = (details != "") & (func.length(details) <= 6) & (func.trim(details, "0123456789") == "")
    return case((digits_only, cast(details, Integer)), else_=0)


def _completions(last: int) -> Any:
    """(institution, user, year, hours) of every valid completion, as a subquery."""
    return (
        select(
            User.institution_id.label("institution_id"),
            Certificate.user_id.label("user_id"),
            year_of(Certificate.issued_at, last).label("year"),
            _hours().label("hours"),
        )
        .join(User, User.id == Certificate.user_id)
        .where(
            Certificate.kind == CertificateKind.COURSE,
            Certificate.revoked_at.is_(None),
            User.institution_id.is_not(None),
            is_pedagogue(),
        )
        .subquery()
    )


def compute_qualification(current: int) -> list[dict[str, int]]:
    """The table's rows for every year up to `current` (the academic year now)."""
    done = _completions(current)
    per_year = db.session.execute(
        select(
            done.c.institution_id, done.c.year, func.count(), func.coalesce(func.sum(done.c.hours), 0)
        ).group_by(done.c.institution_id, done.c.year)
    ).all()
    distinct = select(done.c.institution_id, done.c.user_id, done.c.year).distinct().subquery()
    shifted = union_all(
        *(
            select(
                distinct.c.institution_id,
                distinct.c.user_id,
                (distinct.c.year + literal(k, type_=Integer)).label("year"),
            )
            for k in (0, 1, 2)
        )
    ).subquery()
    three_years = db.session.execute(
        select(
            shifted.c.institution_id, shifted.c.year, func.count(func.distinct(shifted.c.user_id))
        ).group_by(shifted.c.institution_id, shifted.c.year)
    ).all()
    staff = teachers_now()
    rows: dict[tuple[int, int], dict[str, int]] = {
        (inst, year): {
            "year": year,
            "institution_id": inst,
            "teachers": staff.get(inst, 0),
            "courses_completed": 0,
            "hours": 0,
            "teachers_with_course_3y": 0,
        }
        for inst, year in grid((int(y) for _i, y, _n, _h in per_year), current)
    }
    for inst, year, count, hours in per_year:
        if (int(inst), int(year)) in rows:
            rows[(int(inst), int(year))].update(courses_completed=int(count), hours=int(hours))
    for inst, year, count in three_years:
        if (int(inst), int(year)) in rows:
            rows[(int(inst), int(year))]["teachers_with_course_3y"] = int(count)
    return list(rows.values())


def refill_qualification(current: int) -> int:
    """Replace the table's rows (the caller commits, so readers see the old rows or the new)."""
    return replace_rows(QualificationSummary, compute_qualification(current))
