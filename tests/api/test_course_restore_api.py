"""POST /api/v1/courses/restore: a Moodle `.mbz` or our own backup (multipart `file`) becomes a new
course; 201 with its id and the report, 422 for what is not a readable backup, and only those who
may create courses may restore one."""

from __future__ import annotations

import io
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from courses import backup
from courses.models import Course, CourseMember
from tests.factories.accounts import admin, juror, organiser, student, teacher
from tests.fixtures.moodle_sample import FIXTURE, sample


def _post(api: Any, user: Any, data: bytes | None, name: str = "course.mbz") -> Any:
    body = {} if data is None else {"file": (io.BytesIO(data), name)}
    return api(user).post("/courses/restore", data=body, content_type="multipart/form-data")


@pytest.mark.parametrize("make", [teacher, organiser, admin])
def test_a_moodle_backup_is_restored_with_its_report(app, api, make) -> None:  # type: ignore[no-untyped-def]
    user = make()
    db.session.commit()
    response = _post(api, user, FIXTURE.read_bytes())
    assert response.status_code == 201, response.get_json()
    payload = response.get_json()
    assert set(payload) == {"id", "report"}
    course = db.session.get(Course, payload["id"])
    assert course is not None and course.title == "Основы алгебры"
    author = db.session.scalar(select(CourseMember).where(CourseMember.course_id == course.id))
    assert author is not None and author.user_id == user.id and author.role == "author"
    assert all(set(line) == {"item", "message"} for line in payload["report"])
    forum = {
        "item": "Вопросы учителю",
        "message": "Теперь на странице «Форумы» курса; его обсуждения (сообщения пользователей) "
        "не переносятся.",
    }
    assert forum in payload["report"]


def test_an_old_zip_packed_moodle_3_backup_is_restored(app, api) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    response = _post(api, user, sample(3).build("zip"))
    assert response.status_code == 201
    lesson = {
        "item": "Урок-лабиринт",
        "message": "Элементы курса типа «lesson» не поддерживаются; не перенесено.",
    }
    assert lesson in response.get_json()["report"]


def test_our_own_backup_is_restored_too(app, api) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    first = _post(api, user, sample().build()).get_json()["id"]
    exported = backup.export_course(db.session.get(Course, first))
    response = _post(api, user, exported, name="course.zip")
    assert response.status_code == 201 and response.get_json()["report"] == []
    assert response.get_json()["id"] != first


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"\x1f\x8b\x08\x00broken", "Архив повреждён"),
        (b"just some text", "Это не резервная копия курса"),
        (FIXTURE.read_bytes()[:2000], "Архив повреждён"),
    ],
)
def test_a_broken_archive_is_422_and_writes_nothing(app, api, data: bytes, fragment: str) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    response = _post(api, user, data)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert fragment in error["message"] and "Ничего не импортировано" in error["fields"]["file"]
    assert db.session.scalar(select(func.count()).select_from(Course)) == 0


def test_no_file_is_422(app, api) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    response = _post(api, user, None)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"file": "Выберите файл резервной копии."}


@pytest.mark.parametrize("make", [student, juror])
def test_who_may_not_create_courses_may_not_restore(app, api, make) -> None:  # type: ignore[no-untyped-def]
    user = make()
    db.session.commit()
    assert _post(api, user, FIXTURE.read_bytes()).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Course)) == 0


def test_without_a_token_it_is_401(app, api) -> None:  # type: ignore[no-untyped-def]
    response = api().post(
        "/courses/restore", data={"file": (io.BytesIO(b"x"), "a.mbz")}, content_type="multipart/form-data"
    )
    assert response.status_code == 401
