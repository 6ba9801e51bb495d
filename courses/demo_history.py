"""Demo history of qualification courses: two finished courses of the network with the certificates
the demo teachers earned — one in the previous academic year, one in the current — so monitoring's
qualification report has two years to compare. Idempotent: courses are found by title, certificates
are issued once per course and teacher."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.certificates import CertificateKind, issue
from app.demo import demo_user
from app.extensions import db
from app.timeutil import utcnow
from courses.models import Course

# (title, hours, academic years back (1: the previous, 0: the current), the teachers who completed it)
COURSES = (
    (
        "Цифровые инструменты учителя (архив курса)",
        36,
        1,
        ("teacher@vmeste.local", "teacher2@vmeste.local", "teacher3@vmeste.local", "methodist@vmeste.local"),
    ),
    (
        "Формирующее оценивание на уроке (архив курса)",
        72,
        0,
        ("teacher@vmeste.local", "teacher4@vmeste.local"),
    ),
)


def _academic_year_start(moment: datetime) -> datetime:
    """1 September of the academic year `moment` is in (UTC midnight is near enough for the demo)."""
    year = moment.year if moment.month >= 9 else moment.year - 1
    return datetime(year, 9, 1, tzinfo=UTC)


def _issued_at(now: datetime, years_back: int) -> datetime:
    """A moment inside the wanted academic year and never in the future: mid-December of the
    previous year, or halfway between this year's 1 September and now."""
    start = _academic_year_start(now)
    if years_back:
        return start.replace(year=start.year - years_back) + timedelta(days=105)
    return start + (now - start) / 2


def _course(title: str, hours: int, finished: datetime) -> Course:
    course = db.session.scalar(select(Course).where(Course.title == title))
    if course is None:
        course = Course(
            title=title,
            summary="Курс повышения квалификации, завершён; сертификаты выданы.",
            hours=hours,
            starts_on=(finished - timedelta(days=60)).date(),
            ends_on=finished.date(),
            created_at=finished - timedelta(days=90),
        )
        db.session.add(course)
        db.session.flush()
    return course


def load_course_history() -> list[str]:
    now = utcnow()
    lines = []
    for title, hours, years_back, emails in COURSES:
        finished = _issued_at(now, years_back)
        course = _course(title, hours, finished)
        for email in emails:
            teacher = demo_user(email)
            issue(
                kind=CertificateKind.COURSE,
                user_id=teacher.id,
                holder=teacher.full_name,
                title=course.title,
                source_type="course",
                source_id=course.id,
                details=str(course.hours),
                now=finished,
            )
        lines.append(f"Course history: «{title}», {len(emails)} certificates of {finished:%d.%m.%Y}")
    db.session.commit()
    return lines
