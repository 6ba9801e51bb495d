"""The course page's caches (app/courses/outline_page.py): a warm page reads a fixed handful of
statements at any size, and every write through a service shows on the next load — an item added,
a view, a hand-in, a grade, a tutor's override, a quiz finished, a module hidden, a dated item
opening; an edit of the course never touches a quiz attempt in progress."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from flask import g
from sqlalchemy import select

from app.cache_versions import current
from app.extensions import db
from app.timeutil import utcnow
from courses import gradebook, grading, structure, submissions
from courses.cache_keys import course_key
from courses.items import ItemSettings
from courses.models import Item, Submission
from courses.quiz.attempts import finish_attempt, save_answer, start_attempt
from courses.quiz.bank_gift import import_gift
from courses.quiz.models import QuestionBank, Quiz
from courses.quiz_items import add_quiz_item
from tests.conftest import login
from tests.factories import courses as cf


def _page(client, course_id: int) -> str:  # type: ignore[no-untyped-def]
    response = client.get(f"/courses/{course_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _row(html: str, item_id: int) -> str:
    return html.split(f'id="item-{item_id}"')[1].split("</li>")[0]


def _progress(html: str) -> str:
    return re.sub(r"\s+", " ", html.split('id="course-progress"')[1].split("</label>")[0])


def _course(modules: int, items: int):  # type: ignore[no-untyped-def]
    course = cf.course()
    for m in range(modules):
        module = cf.module(course, f"Модуль {m}")
        for i in range(items):
            if i % 3 == 2:
                cf.assignment(
                    module,
                    f"Задание {m}-{i}",
                    due_at=utcnow() + timedelta(days=3),
                    item={"completion": "graded"},
                )
            else:
                cf.page(module, f"Страница {m}-{i}", completion="viewed")
    return course, cf.enrolled(course)


def test_a_warm_course_page_reads_the_same_few_statements_at_any_size(client, count_queries) -> None:  # type: ignore[no-untyped-def]
    counts = {}
    for size in (2, 6):
        course, learner = _course(size, size)
        course_id = course.id
        client.post("/auth/logout")
        login(client, learner)
        _page(client, course_id)  # builds the shape, the pieces and the student's marks
        with count_queries(cold=True) as counter:
            html = _page(client, course_id)
        counts[size] = counter.count
        assert html.count("data-item=") == size * size
        # The session user, the course, the role, two version reads, the header's two counts.
        versions = [s for s in counter.statements if "cache_version" in s]
        assert len(versions) == 2, counter.statements
    assert counts[2] == counts[6] <= 7, counts


def test_the_teachers_page_reads_the_structure_once(client, count_queries) -> None:  # type: ignore[no-untyped-def]
    counts = []
    for size in (2, 5):
        course, _learner = _course(size, size)
        course_id = course.id
        client.post("/auth/logout")
        login(client, cf._author(course))
        _page(client, course_id)
        with count_queries(cold=True) as counter:
            html = _page(client, course_id)
        assert html.count("data-item=") == size * size
        assert not [s for s in counter.statements if "course_item" in s], counter.statements
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_an_item_added_or_renamed_shows_at_once(client) -> None:  # type: ignore[no-untyped-def]
    course, learner = _course(1, 2)
    module = structure.load_structure(course.id)[0]
    login(client, learner)
    assert "Новая страница" not in _page(client, course.id)
    added = cf.page(db.session.get(type(module), module.id), "Новая страница")
    html = _page(client, course.id)
    assert f'<a href="/courses/items/{added.id}">Новая страница</a>' in html
    structure.update_module(
        db.session.get(type(module), module.id),
        title="Скрытый модуль",
        hidden=True,
        visible_from=None,
        actor=cf._author(course),
    )
    html = _page(client, course.id)
    assert "Новая страница" not in html and "Скрытый модуль" not in html


def test_views_hand_ins_grades_and_overrides_move_the_students_progress(client) -> None:  # type: ignore[no-untyped-def]
    course, learner = _course(1, 3)
    rows = list(db.session.scalars(select(Item).where(Item.course_id == course.id).order_by(Item.position)))
    page_item, task = rows[0], rows[2]
    page_id, task_id, course_id = page_item.id, task.id, course.id
    login(client, learner)
    html = _page(client, course_id)
    assert "data-incomplete" in _row(html, page_id) and "0 из 3" in _progress(html)
    assert client.get(f"/courses/items/{page_id}").status_code == 200  # the view is noted after the page
    html = _page(client, course_id)
    assert "data-complete" in _row(html, page_id) and "1 из 3" in _progress(html)
    assert 'data-status="not_submitted"' in _row(html, task_id)
    work = submissions.submit(db.session.get(Item, task_id), learner, text="Ответ", files=[], now=utcnow())
    assert 'data-status="submitted"' in _row(_page(client, course_id), task_id)
    grading.grade_submission(
        db.session.get(Submission, work.id), points=Decimal(7), actor=cf._author(course), now=utcnow()
    )
    html = _page(client, course_id)
    assert 'data-status="graded"' in _row(html, task_id) and "7 из 10" in _row(html, task_id)
    assert "2 из 3" in _progress(html)
    gradebook.set_override(
        course, db.session.get(Item, task_id), learner, Decimal(9), actor=cf._author(course), now=utcnow()
    )
    assert "9 из 10" in _row(_page(client, course_id), task_id)


def test_a_quiz_finished_shows_its_grade_and_an_edit_spares_the_attempt(client, count_queries) -> None:  # type: ignore[no-untyped-def]
    course, learner = _course(1, 1)
    module = structure.load_structure(course.id)[0]
    bank = db.session.get(QuestionBank, course.bank_id)
    question = import_gift(bank, "::Q::2+2=4? {T}", actor=None).imported[0]
    item = add_quiz_item(
        db.session.get(type(module), module.id),
        ItemSettings(title="Проверочный тест", completion="graded"),
        question_ids=[question.id],
        quiz_options={},
        actor=cf._author(course),
    )
    item_id, course_id, quiz_id = item.id, course.id, item.quiz_id
    login(client, learner)
    assert "data-points" not in _row(_page(client, course_id), item_id)
    attempt = start_attempt(db.session.get(Quiz, quiz_id), learner, utcnow())
    # The author edits the course during the attempt: the course's version moves, the attempt page
    # neither reads it nor waits for the course page to be rebuilt.
    before = current([course_key(course_id)])
    cf.page(db.session.get(type(module), module.id), "Добавлено во время теста")
    assert current([course_key(course_id)]) != before
    with count_queries() as counter:
        assert client.get(f"/quiz/attempts/{attempt.id}").status_code == 200
    assert not [s for s in counter.statements if "cache_version" in s or "course_item" in s]
    save_answer(attempt, 1, True, utcnow())
    finish_attempt(attempt, utcnow())
    html = _page(client, course_id)
    assert "Добавлено во время теста" in html and "data-points" in _row(html, item_id)


def test_the_teachers_kept_outline_changes_with_edits_and_carries_each_sessions_token(client, app) -> None:  # type: ignore[no-untyped-def]
    course, _learner = _course(1, 2)
    author = cf._author(course)
    module = structure.load_structure(course.id)[0]
    login(client, author)
    first = _page(client, course.id)
    added = cf.page(db.session.get(type(module), module.id), "Добавлена автором")
    html = _page(client, course.id)
    assert f'id="item-{added.id}"' in html and "Добавлена автором" in html and "Добавлена" not in first
    other = app.test_client()
    login(other, author)
    g.pop("csrf_token", None)  # the tests share one app context, where Flask-WTF keeps the token
    theirs = other.get(f"/courses/{course.id}").get_data(as_text=True)
    tokens = {re.findall(r'name="csrf_token" value="([^"]+)"', page)[0] for page in (html, theirs)}
    assert len(tokens) == 2 and not any("\x00" in t for t in tokens)
    assert all(
        len(set(re.findall(r'name="csrf_token" value="([^"]+)"', page))) == 1 for page in (html, theirs)
    )
