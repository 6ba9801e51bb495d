"""Where a student stands: completion, locks, hidden and dated items, the certificate; module order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.certificates import Certificate
from app.documents.layout import render_paper
from app.domain_errors import Conflict
from app.extensions import db
from courses import certificates, grading, progress, structure, submissions
from courses.course_shape import course_shape
from tests.factories import courses as cf
from tests.factories.courses import count

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def test_completion_locking_and_certificate(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    first = cf.page(module, "Введение", completion="viewed")
    task = cf.assignment(
        module, item={"completion": "graded", "completion_points": Decimal("6"), "prerequisite_id": first.id}
    )
    user = cf.enrolled(course)
    visible, locked_by = progress.item_access(task, user, now=NOW)
    assert visible and locked_by.id == first.id
    progress.mark_viewed(first, user, NOW)
    progress.mark_viewed(first, user, NOW)
    assert progress.item_access(task, user, now=NOW)[1] is None
    submission = submissions.submit(task, user, text="x", files=[], now=NOW)
    with pytest.raises(Conflict):
        certificates.course_certificate(course, user, now=NOW)
    grading.grade_submission(submission, points=Decimal("5"), actor=cf._author(course), now=NOW)
    assert progress.student_progress(course, user, NOW).percent == 50
    grading.grade_submission(submission, points=Decimal("6"), actor=cf._author(course), now=NOW)
    assert progress.student_progress(course, user, NOW).course_complete
    certificate = certificates.course_certificate(course, user, now=NOW)
    again = certificates.course_certificate(course, user, now=NOW)
    assert certificate.code == again.code and count(Certificate) == 1
    paper = certificates.course_paper(course, certificate)
    pdf = render_paper(paper, "http://localhost/verify/" + certificate.code)
    assert pdf.startswith(b"%PDF")


def test_hidden_and_dated_items_are_not_shown_to_students(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    cf.page(module, "Видно")
    cf.page(module, "Скрыто", hidden=True)
    cf.page(module, "Позже", visible_from=NOW + timedelta(days=1))
    user = cf.enrolled(course)
    shape = course_shape(course.id)
    learner = progress.learner_state(shape, user.id, NOW)
    shown = progress.outline(course, shape, now=NOW, learner=learner)
    assert [s.item.title for s in shown.modules[0].items] == ["Видно"]
    teaching = progress.outline(course, shape, now=NOW)
    assert len(teaching.modules[0].items) == 3
    # The next day the dated page opens: the same shape, a later moment of its visibility.
    assert shape.epoch(NOW + timedelta(days=2)) == shape.epoch(NOW) + 1
    later = progress.learner_state(shape, user.id, NOW + timedelta(days=2))
    assert len(progress.outline(course, shape, now=NOW, learner=later).modules[0].items) == 1
    assert len(later.marks) == 2


def test_move_modules_and_items(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    one, two = cf.module(course, "1"), cf.module(course, "2")
    author = cf._author(course)
    structure.move_module(two, "up", actor=author)
    assert [m.title for m in structure.load_structure(course.id)] == ["2", "1"]
    p1, p2 = cf.page(one, "a"), cf.page(one, "b")
    structure.move_item(p1, "down", actor=author)
    db.session.expire_all()
    assert [i.title for i in structure.load_structure(course.id)[1].items] == ["b", "a"]
    assert p2.position == 0
