"""A small network with two academic years of summary rows, shared by the monitoring pages' and
exports' tests (no tests here): two districts, three schools, an olympiad, and a pupil whose name
must never reach a report."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.extensions import db
from app.timeutil import utcnow
from contest_engine.models import Contest, ContestKind
from monitoring.academic_year import academic_year
from monitoring.models import (
    ActivitySummary,
    ContestAudience,
    ContestSummary,
    QualificationSummary,
    SummaryRun,
)
from tests.factories.accounts import district, institution_in, student
from tests.monitoring_people import as_the_job_leaves_it

PUPIL = "Пупкин Василий Олегович"


def this_year() -> int:
    return academic_year(utcnow())


def world(schools_per_district: int = 1) -> dict[str, Any]:
    """Centre: «Гимназия № 1», «Школа № 2» (+ more); Lenin: «Лицей № 3»; this year and the one
    before. Centre's olympiad this year: 20 participants, 5 awarded (25 %)."""
    year = this_year()
    centre, lenin = district("Центральный район"), district("Ленинский район")
    a, b = institution_in(centre, "Гимназия № 1"), institution_in(centre, "Школа № 2")
    c = institution_in(lenin, "Лицей № 3")
    extra = [institution_in(centre, f"Школа № {10 + n}") for n in range(schools_per_district - 1)]
    student(full_name=PUPIL, institution=a)
    contest = Contest(title="Олимпиада по физике", kind=ContestKind.OLYMPIAD)
    db.session.add(contest)
    db.session.flush()
    rows = [
        (year, a.id, "9", 15, 6, 1, 2, 1),
        (year, b.id, "10", 5, 1, 0, 0, 1),
        (year, c.id, "9", 10, 2, 1, 1, 0),
        (year - 1, a.id, "9", 8, 2, 1, 1, 0),
    ] + [(year, school.id, "11", 2, 0, 0, 0, 0) for school in extra]
    for when, school, grade, p, adv, w, pw, la in rows:
        db.session.add(
            ContestSummary(
                year=when, institution_id=school, contest_id=contest.id, audience=ContestAudience.PUPILS,
                subject="Физика", grade=grade, participants=p, advanced=adv, winners=w,
                prize_winners=pw, laureates=la,
            )
        )  # fmt: skip
    for when, school, teachers, with_course in (
        (year, a.id, 10, 7),
        (year - 1, a.id, 10, 5),
        (year, c.id, 4, 1),
    ):
        db.session.add(
            QualificationSummary(
                year=when, institution_id=school, teachers=teachers, courses_completed=with_course,
                hours=36 * with_course, teachers_with_course_3y=with_course,
            )
        )  # fmt: skip
    db.session.add(
        ActivitySummary(year=year, institution_id=a.id, teachers=10, publications=3, active_teachers=4)
    )
    computed = utcnow() - timedelta(minutes=5)
    for run in ("qualification", "contests", "activity"):
        db.session.add(SummaryRun(report=run, computed_at=computed, seconds=0))
    as_the_job_leaves_it()
    db.session.commit()
    return {"year": year, "centre": centre.id, "lenin": lenin.id, "a": a.id, "b": b.id, "c": c.id}
