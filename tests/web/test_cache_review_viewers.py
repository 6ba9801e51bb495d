"""Review of issue 17's caches, per viewer: a fragment kept for one person must never reach another
who may not see it. Each test lets the more privileged viewer warm the cache first, then loads the
same address as someone else."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.timeutil import utcnow
from contest_engine.models import Participation
from courses import grading, submissions
from courses.models import Item, Submission
from tests.conftest import login
from tests.factories import courses as cf
from tests.factories.accounts import UserFactory
from tests.web.test_contest_pages import at
from tests.web.test_contest_results_cache import LATER, _stage


def test_an_unpublished_ranking_kept_for_the_organiser_reaches_no_participant_or_visitor(app, client) -> None:
    _contest, owner, card = _stage(3, publish=False)
    url = f"/contests/stages/{card.id}/results"
    login(client, owner)
    with at(LATER):
        assert "Участник Номер2" in client.get(url).get_data(as_text=True)  # kept for organisers
    participation = db.session.scalars(select(Participation).order_by(Participation.id)).first()
    pupil = app.test_client()
    login(pupil, db.session.get(UserFactory._meta.model, participation.user_id))
    with at(LATER):
        for reader in (pupil, app.test_client()):
            page = reader.get(url).get_data(as_text=True)
            assert "Участник Номер2" not in page and "Участник Номер1" not in page
            assert "ещё не опубликованы" in page.lower() and "results-xlsx" not in page


def test_a_gradebook_kept_for_the_teacher_shows_a_pupil_only_their_own_row(app, client) -> None:
    course = cf.course()
    module = cf.module(course)
    task = cf.assignment(module, "Задание")
    first, second = cf.enrolled(course), cf.enrolled(course)
    for learner, points in ((first, 7), (second, 3)):
        work = submissions.submit(
            db.session.get(Item, task.id), learner, text="Ответ", files=[], now=utcnow()
        )
        grading.grade_submission(
            db.session.get(Submission, work.id),
            points=Decimal(points),
            actor=cf._author(course),
            now=utcnow(),
        )
    url = f"/courses/{course.id}/gradebook"
    login(client, cf._author(course))
    teacher_page = client.get(url).get_data(as_text=True)
    assert first.full_name in teacher_page and second.full_name in teacher_page
    pupil = app.test_client()
    login(pupil, second)
    page = pupil.get(url).get_data(as_text=True)
    assert second.full_name in page and first.full_name not in page
    assert f'data-student="{first.id}"' not in page and 'name="csrf_token"' not in page.split("<table", 1)[1]
