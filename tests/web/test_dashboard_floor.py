"""The dashboard of a teacher, a pupil and an organiser runs the same number of statements with a
little data or with more (courses, modules, assignments, notifications, contests), and fits the
floor's budget: the user loader's one statement plus the panels' own."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient

from app.accounts import User
from app.extensions import db
from app.notifications import notify
from app.timeutil import utcnow
from tests.conftest import login
from tests.factories import courses as cf
from tests.factories.accounts import organiser, student, teacher
from tests.factories.contests import contest_with_organiser

# The user with the header's facts (1), then the panels: courses (memberships; items with their
# modules and the pupil's facts for a pupil), the contests an organiser runs, the library's queue.
# The contest overview and the jury's queue and links cost nothing for those the header's facts show
# with no contest and no jury seat (all three here): teacher 3, pupil 7, organiser 4 (were 8–12).
MOST_STATEMENTS = 7


def _grow(ids: tuple[int, int, int], courses: int) -> None:
    """`courses` courses with two modules (a page and an assignment each), the pupil in each;
    notifications for both; contests the organiser runs."""
    author, pupil, owner = (db.session.get_one(User, uid) for uid in ids)
    due = utcnow() + timedelta(days=3)
    for number in range(courses):
        course = cf.course(author, title=f"Курс {number}", enrolment_mode="open")
        for m in range(2):
            module = cf.module(course, f"Модуль {m}", actor=author)
            cf.page(module, "Введение")
            cf.assignment(module, "Эссе", due_at=due)
        cf.enrolled(course, pupil)
    for n in range(courses * 3):
        notify(pupil.id, f"Новость {n}")
        notify(author.id, f"Новость {n}")
    for _ in range(courses):
        contest_with_organiser(owner)
    db.session.commit()


def _statements(client: FlaskClient, count_queries: Any, user_id: int) -> int:
    login(client, db.session.get_one(User, user_id))
    with count_queries(cold=True) as counter:
        response = client.get("/dashboard")
    assert response.status_code == 200
    client.post("/auth/logout")
    return counter.count


def test_dashboards_run_the_same_statements_with_more_data(client: FlaskClient, count_queries: Any) -> None:
    ids = (teacher().id, student().id, organiser().id)
    _grow(ids, 1)
    small = {uid: _statements(client, count_queries, uid) for uid in ids}
    _grow(ids, 4)
    large = {uid: _statements(client, count_queries, uid) for uid in ids}
    assert large == small
    assert max(small.values()) <= MOST_STATEMENTS, small
    assert small[ids[0]] == 3 and small[ids[2]] == 4, small
