"""Creating a course and enrolling in it: settings, keys, tutors, CSV lists, two requests at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.accounts import User
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from courses import catalogue, enrolment
from courses.models import Course, CourseMember, CourseRole
from tests.factories import courses as cf
from tests.factories.accounts import student, teacher
from tests.factories.courses import count

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def test_create_course_makes_the_creator_author_and_a_bank(app) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    course = cf.course(author)
    assert course.bank_id is not None
    member = db.session.scalar(select(CourseMember).where(CourseMember.course_id == course.id))
    assert (member.user_id, member.role) == (author.id, CourseRole.AUTHOR)


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"title": " "}, "title"),
        ({"title": "x", "hours": -1}, "hours"),
        ({"title": "x", "enrolment_mode": "key"}, "enrolment_key"),
        ({"title": "x", "enrolment_mode": "magic"}, "enrolment_mode"),
        (
            {"title": "x", "starts_on": datetime(2026, 5, 1).date(), "ends_on": datetime(2026, 4, 1).date()},
            "ends_on",
        ),
    ],
)
def test_create_course_refuses_bad_settings(app, settings, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Invalid) as refused:
        catalogue.create_course(catalogue.CourseSettings(**settings), actor=teacher())
    assert field in refused.value.fields


def test_self_enrol_with_key(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course(enrolment_mode="key", enrolment_key="секрет")
    user = student()
    with pytest.raises(Invalid) as wrong:
        enrolment.self_enrol(course, user, key="нет")
    assert "key" in wrong.value.fields
    enrolment.self_enrol(course, user, key="секрет")
    with pytest.raises(Conflict):
        enrolment.self_enrol(course, user, key="секрет")
    assert count(CourseMember) == 2


def test_invitation_only_refuses_self_enrolment(app) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Conflict):
        enrolment.self_enrol(cf.course(), student())


def test_enrol_twice_by_tutor_is_a_conflict(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    user = cf.enrolled(course)
    with pytest.raises(Conflict):
        cf.enrolled(course, user)


def test_enrol_csv_all_or_nothing(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    a, b = student(email="a@school.ru"), student(email="b@school.ru")
    author = cf._author(course)
    refused = enrolment.enrol_from_file(
        course, b"email\na@school.ru\nnobody@school.ru\nBroken\n", "student", actor=author
    )
    assert [(e.line, e.text) for e in refused.errors] == [(3, "nobody@school.ru"), (4, "Broken")]
    assert "Broken" in refused.errors[1].message and refused.enrolled == []
    assert count(CourseMember) == 1
    cf.enrolled(course, b)
    report = enrolment.enrol_from_file(course, b"email\nA@school.ru\nb@school.ru\n", "student", actor=author)
    assert (report.enrolled, report.already) == (["a@school.ru"], ["b@school.ru"])
    assert count(CourseMember) == 3
    assert a.id in set(db.session.scalars(select(CourseMember.user_id)))


def test_concurrent_self_enrolment_leaves_one_row(app) -> None:  # type: ignore[no-untyped-def]
    if db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file database")
    course = cf.course(enrolment_mode="open")
    user = student()
    course_id, user_id = course.id, user.id
    db.session.commit()
    db.session.close()  # the test's own session must not hold SQLite's write lock
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def run() -> None:
        with app.app_context():
            barrier.wait()
            try:
                enrolment.self_enrol(db.session.get(Course, course_id), db.session.get(User, user_id))
                outcomes.append("ok")
            except Conflict:
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 3 + ["ok"]
    assert (
        db.session.scalar(
            select(func.count()).select_from(CourseMember).where(CourseMember.user_id == user_id)
        )
        == 1
    )
