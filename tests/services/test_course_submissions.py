"""Handing in and grading assignments: timing, files, resubmission, rubrics, the tutor's list and zip."""

from __future__ import annotations

import io
import threading
import zipfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.accounts import User
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.uploads import StoredFile
from courses import grading, submissions
from courses.models import Item, Submission
from tests.factories import courses as cf
from tests.factories.courses import count, upload

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def test_submission_timing_late_and_closed(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    item = cf.assignment(
        cf.module(course), due_at=NOW - timedelta(hours=1), cutoff_at=NOW + timedelta(hours=1)
    )
    user = cf.enrolled(course)
    submission = submissions.submit(item, user, text="Ответ", files=[], now=NOW)
    assert submission.late is True
    with pytest.raises(Conflict):
        submissions.submit(item, user, text="Поздно", files=[], now=NOW + timedelta(hours=2))


def test_submission_files_checked_before_anything_is_stored(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    item = cf.assignment(cf.module(course), allowed_extensions="pdf", max_file_mb=1)
    user = cf.enrolled(course)
    with pytest.raises(Invalid) as wrong_type:
        submissions.submit(item, user, text="", files=[upload(), upload("virus.exe")], now=NOW)
    assert "files" in wrong_type.value.fields
    with pytest.raises(Invalid) as too_big:
        submissions.submit(item, user, text="", files=[upload("big.pdf", b"x" * (1024 * 1024 + 1))], now=NOW)
    assert "big.pdf" in too_big.value.fields["files"]
    assert count(StoredFile) == 0 and count(Submission) == 0
    submission = submissions.submit(item, user, text="", files=[upload("Сочинение Иванова.pdf")], now=NOW)
    assert [f.file.original_name for f in submission.files] == ["Сочинение Иванова.pdf"]


def test_empty_submission_refused(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    item = cf.assignment(cf.module(course))
    with pytest.raises(Invalid):
        submissions.submit(item, cf.enrolled(course), text="  ", files=[], now=NOW)


def test_resubmission_rules(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    once = cf.assignment(module, "Один раз", resubmission=False)
    again = cf.assignment(module, "Можно снова")
    user = cf.enrolled(course)
    submissions.submit(once, user, text="1", files=[], now=NOW)
    with pytest.raises(Conflict):
        submissions.submit(once, user, text="2", files=[], now=NOW)
    submissions.submit(again, user, text="1", files=[], now=NOW)
    second = submissions.submit(again, user, text="2", files=[], now=NOW)
    assert (second.version, second.text) == (2, "2")
    grading.grade_submission(second, points=Decimal("5"), actor=cf._author(course), now=NOW)
    with pytest.raises(Conflict):
        submissions.submit(again, user, text="3", files=[], now=NOW)


@pytest.mark.parametrize("points", [Decimal("-1"), Decimal("10.5")])
def test_grade_outside_range_is_a_field_error(app, points: Decimal) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    item = cf.assignment(cf.module(course))
    submission = submissions.submit(item, cf.enrolled(course), text="x", files=[], now=NOW)
    with pytest.raises(Invalid) as refused:
        grading.grade_submission(submission, points=points, actor=cf._author(course), now=NOW)
    assert "points" in refused.value.fields


def test_rubric_grading(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    rubric = [
        {"name": "Содержание", "levels": [{"label": "слабо", "points": 0}, {"label": "хорошо", "points": 6}]},
        {"name": "Оформление", "levels": [{"label": "да", "points": 4}]},
    ]
    item = cf.assignment(cf.module(course), rubric=rubric)
    submission = submissions.submit(item, cf.enrolled(course), text="x", files=[], now=NOW)
    with pytest.raises(Invalid):
        grading.grade_submission(
            submission, rubric_levels={"Содержание": 1}, actor=cf._author(course), now=NOW
        )
    graded = grading.grade_submission(
        submission,
        rubric_levels={"Содержание": 1, "Оформление": 0},
        feedback="Хорошо",
        actor=cf._author(course),
        now=NOW,
    )
    assert graded.points == Decimal("10")


def test_submissions_table_filters_and_zip(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    item = cf.assignment(cf.module(course), due_at=NOW)
    late, on_time, missing = cf.enrolled(course), cf.enrolled(course), cf.enrolled(course)
    submissions.submit(item, on_time, text="вовремя", files=[upload()], now=NOW)
    submissions.submit(item, late, text="поздно", files=[], now=NOW + timedelta(minutes=1))
    rows, total = grading.submissions_table(item)
    assert total == 3
    assert {r.student.id: r.status.value for r in rows} == {
        late.id: "late",
        on_time.id: "submitted",
        missing.id: "not_submitted",
    }
    assert [r.student.id for r in grading.submissions_table(item, status="late")[0]] == [late.id]
    archive = grading.submissions_zip(item)
    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert len(names) == 3 and any(n.endswith("work.pdf") for n in names)


def test_concurrent_double_submit_leaves_one_submission(app) -> None:  # type: ignore[no-untyped-def]
    """A double click or two tabs: one row per student and assignment, never a 500."""
    if db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file database")
    course = cf.course()
    item = cf.assignment(cf.module(course))
    user = cf.enrolled(course)
    item_id, user_id = item.id, user.id
    db.session.commit()
    db.session.close()
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def run() -> None:
        with app.app_context():
            barrier.wait()
            try:
                submissions.submit(
                    db.session.get(Item, item_id),
                    db.session.get(User, user_id),
                    text="Ответ",
                    files=[],
                    now=NOW,
                )
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
    assert len(outcomes) == 4 and "ok" in outcomes
    rows = db.session.scalars(select(Submission).where(Submission.user_id == user_id)).all()
    assert len(rows) == 1 and rows[0].version == outcomes.count("ok")
