"""The demo's pupils' course (issue 16): the demo pupil signs in to a course with a next step, and
another pupil finds an open course from the empty dashboard. Loaded once, however often it runs."""

from __future__ import annotations

from sqlalchemy import func, select

from app.demo import demo_user, load_accounts
from app.extensions import db
from app.timeutil import utcnow
from courses.dashboard import dashboard_summary, joinable_count
from courses.demo import load_course_demo
from courses.demo_pupils import TITLE
from courses.models import Course, EnrolmentMode, Item


def test_demo_pupil_has_a_course_and_the_second_pupil_can_join_one(app) -> None:  # type: ignore[no-untyped-def]
    load_accounts()
    lines = load_course_demo()
    assert any(TITLE in line for line in lines)
    course = db.session.scalar(select(Course).where(Course.title == TITLE))
    assert course is not None and course.enrolment_mode == EnrolmentMode.OPEN
    kinds = sorted(db.session.scalars(select(Item.kind).where(Item.course_id == course.id)))
    assert kinds == ["page", "quiz"]
    courses, _deadlines = dashboard_summary(demo_user("student@vmeste.local"), utcnow())
    assert [entry.course.title for entry in courses] == [TITLE] and courses[0].percent == 0
    assert joinable_count(demo_user("student2@vmeste.local")) >= 1
    load_course_demo()
    assert db.session.scalar(select(func.count()).select_from(Course).where(Course.title == TITLE)) == 1
