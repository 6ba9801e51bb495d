"""A refused upload leaves nothing behind: two files where the second is refused keep neither the
first file on disk nor any row (contest entries and assignment submissions alike)."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

from sqlalchemy import func, select, update

from app.extensions import db
from app.uploads import StoredFile
from contest_engine.models import Entry
from contest_engine.rules.stages import StageState
from courses.models import Submission
from tests.factories import courses as cf
from tests.factories.accounts import teacher
from tests.factories.contests import T0, ParticipationFactory, StageFactory, api_at, contest_with_organiser

PDF = b"%PDF-1.4 " + b"x" * 200_000


def _files_on_disk(app: Any) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_contest_entry_with_a_refused_second_file_keeps_nothing(app, api) -> None:  # type: ignore[no-untyped-def]
    contest, _organiser = contest_with_organiser()
    stage = StageFactory(contest=contest, state=StageState.OPEN, file_types="pdf", max_file_mb=1, max_files=3)
    author = teacher()
    ParticipationFactory(contest=contest, user=author)
    db.session.commit()
    with api_at(T0 + timedelta(hours=1)):
        response = api(author).post(
            f"/stages/{stage.id}/entries",
            data={
                "text": "План урока",
                "files": [(io.BytesIO(PDF), "План урока.pdf"), (io.BytesIO(b"MZ"), "virus.exe")],
            },
            content_type="multipart/form-data",
        )
    assert response.status_code == 422, response.get_json()
    assert "files" in response.get_json()["error"]["fields"]
    db.session.expire_all()
    assert _count(Entry) == 0 and _count(StoredFile) == 0
    assert _files_on_disk(app) == []


def test_an_assignment_with_a_refused_second_file_keeps_nothing(app, api) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    task = cf.assignment(cf.module(course), "Эссе", allowed_extensions="pdf", max_file_mb=1)
    learner = cf.enrolled(course)
    db.session.commit()
    response = api(learner).post(
        f"/assignments/{task.assignment_id}/submissions",
        data={
            "text": "Эссе",
            "files": [(io.BytesIO(PDF), "эссе.pdf"), (io.BytesIO(b"x" * (2 * 1024 * 1024)), "big.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422, response.get_json()
    db.session.expire_all()
    assert _count(Submission) == 0 and _count(StoredFile) == 0
    assert _files_on_disk(app) == []


def test_a_submission_refused_after_its_files_were_checked_keeps_nothing(app, api) -> None:  # type: ignore[no-untyped-def]
    """A conflict found after the files were stored (the submission was graded meanwhile) rolls back."""
    course = cf.course()
    task = cf.assignment(cf.module(course), "Эссе", allowed_extensions="pdf", max_file_mb=1)
    learner = cf.enrolled(course)
    db.session.commit()
    first = api(learner).post(
        f"/assignments/{task.assignment_id}/submissions",
        data={"text": "Эссе"},
        content_type="multipart/form-data",
    )
    assert first.status_code == 201, first.get_json()
    kept = _files_on_disk(app)
    # The grade lands between the service's read and its conditional write: the UPDATE matches no row.
    with mock.patch("courses.submissions.update", lambda model: update(model).where(model.id == -1)):
        again = api(learner).post(
            f"/assignments/{task.assignment_id}/submissions",
            data={"text": "Эссе 2", "files": [(io.BytesIO(PDF), "эссе.pdf")]},
            content_type="multipart/form-data",
        )
    assert again.status_code == 409, again.get_json()
    db.session.expire_all()
    assert _count(StoredFile) == 0 and _files_on_disk(app) == kept == []
