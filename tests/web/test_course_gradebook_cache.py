"""The gradebook's cached table (app/courses/gradebook_table.py): a warm page reads the same few
statements at any size, pages hold at most 50 rows, every grade written through a service shows on
the next load, each session gets its own CSRF token, and the CSV export streams every student."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select

from app.accounts import User
from app.extensions import db
from app.timeutil import utcnow
from courses import grading, submissions
from courses.gradebook import EXPORT_BATCH
from courses.items import ItemSettings
from courses.models import Item, Submission
from courses.quiz.attempts import finish_attempt, save_answer, start_attempt
from courses.quiz.bank_gift import import_gift
from courses.quiz.models import QuestionBank, Quiz
from courses.quiz_items import add_quiz_item
from tests.conftest import login
from tests.factories import courses as cf


def _book(students: int, tasks: int):  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    items = [cf.assignment(module, f"Задание {n}") for n in range(tasks)]
    learners = [cf.enrolled(course) for _ in range(students)]
    return course, module, items, learners


def _row(html: str, user_id: int) -> str:
    return html.split(f'data-student="{user_id}"')[1].split("</tr>")[0]


def test_a_warm_gradebook_page_reads_the_same_statements_at_any_size(client, count_queries) -> None:  # type: ignore[no-untyped-def]
    counts = []
    for size in (2, 6):
        course, _module, _items, _learners = _book(size, size)
        course_id = course.id
        client.post("/auth/logout")
        login(client, cf._author(course))
        client.get(f"/courses/{course_id}/gradebook")
        with count_queries(cold=True) as counter:
            html = client.get(f"/courses/{course_id}/gradebook").get_data(as_text=True)
        assert html.count("data-student=") == size
        assert not [s for s in counter.statements if "course_submission" in s], counter.statements
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 9, counts


def test_pages_hold_at_most_fifty_rows(client) -> None:  # type: ignore[no-untyped-def]
    course, _module, _items, _learners = _book(55, 1)
    login(client, cf._author(course))
    html = client.get(f"/courses/{course.id}/gradebook?per_page=200").get_data(as_text=True)
    assert html.count("data-student=") == 50
    html = client.get(f"/courses/{course.id}/gradebook?per_page=200&page=2").get_data(as_text=True)
    assert html.count("data-student=") == 5


def test_grades_overrides_quiz_finishes_and_new_columns_show_at_once(client) -> None:  # type: ignore[no-untyped-def]
    course, module, (task,), (learner, other) = _book(2, 1)
    course_id, task_id, learner_id = course.id, task.id, learner.id
    login(client, cf._author(course))
    url = f"/courses/{course_id}/gradebook"
    assert 'value=""' in _row(client.get(url).get_data(as_text=True), learner_id)
    work = submissions.submit(db.session.get(Item, task_id), learner, text="Ответ", files=[], now=utcnow())
    grading.grade_submission(
        db.session.get(Submission, work.id), points=Decimal(7), actor=cf._author(course), now=utcnow()
    )
    assert 'value="7"' in _row(client.get(url).get_data(as_text=True), learner_id)
    client.post(url, data={"item_id": task_id, "user_id": learner_id, "points": "9"})
    row = _row(client.get(url).get_data(as_text=True), learner_id)
    assert 'value="9"' in row and "overridden" in row
    bank = db.session.get(QuestionBank, course.bank_id)
    question = import_gift(bank, "::Q::2+2=4? {T}", actor=None).imported[0]
    item = add_quiz_item(
        db.session.get(type(module), module.id),
        ItemSettings(title="Тест по теме"),
        question_ids=[question.id],
        quiz_options={},
        actor=cf._author(course),
    )
    html = client.get(url).get_data(as_text=True)
    assert "Тест по теме" in html and 'value=""' in _row(html, other.id).split(f'name="p{item.id}"')[1][:120]
    attempt = start_attempt(db.session.get(Quiz, item.quiz_id), db.session.get(User, other.id), utcnow())
    save_answer(attempt, 1, True, utcnow())
    finish_attempt(attempt, utcnow())
    cell = _row(client.get(url).get_data(as_text=True), other.id).split(f'name="p{item.id}"')[1][:120]
    assert re.search(r'value="\d', cell), cell


def test_each_session_gets_its_own_token_from_the_shared_table(client, app) -> None:  # type: ignore[no-untyped-def]
    course, _module, _items, (learner,) = _book(1, 1)
    author = cf._author(course)
    login(client, author)
    url = f"/courses/{course.id}/gradebook"
    first = re.findall(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True))
    other_client = app.test_client()
    login(other_client, author)
    second = re.findall(r'name="csrf_token" value="([^"]+)"', other_client.get(url).get_data(as_text=True))
    assert first and second and "\x00" not in first[0] + second[0]
    assert len(set(first)) == 1 and first[0] in client.get(url).get_data(as_text=True)


def test_the_csv_export_streams_every_student(client) -> None:  # type: ignore[no-untyped-def]
    course, _module, (task,), learners = _book(EXPORT_BATCH + 3, 1)
    grading.grade_submission(
        submissions.submit(task, learners[-1], text="x", files=[], now=utcnow()),
        points=Decimal(6),
        actor=cf._author(course),
        now=utcnow(),
    )
    emails = set(db.session.scalars(select(User.email).where(User.id.in_([u.id for u in learners]))))
    login(client, cf._author(course))
    response = client.get(f"/courses/{course.id}/gradebook.csv?excel=0")
    assert response.status_code == 200 and response.is_streamed
    lines = response.get_data(as_text=True).splitlines()
    assert len(lines) == 1 + EXPORT_BATCH + 3
    assert {line.split(",")[1] for line in lines[1:]} == emails
