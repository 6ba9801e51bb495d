"""The courses part of API.md: shapes, validation, permissions per role."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest

from app.timeutil import utcnow
from courses import grading, submissions
from tests.factories import courses as cf
from tests.factories.accounts import admin, juror, organiser, student, teacher

GIFT = """::Q1:: Столица России? {=Москва ~Казань ~Самара}

::Q2:: 2+2=4 {T}
"""


def test_create_course_module_and_enrol(api) -> None:  # type: ignore[no-untyped-def]
    author, learner, tutor = teacher(), student(), teacher()
    client = api(author)
    created = client.post("/courses", {"title": "ДОТ в школе", "summary": "**Курс**", "hours": 72})
    assert created.status_code == 201, created.json
    course_id = created.json["id"]
    assert created.json["hours"] == 72 and created.json["bank_id"]
    module = client.post(f"/courses/{course_id}/modules", {"title": "Модуль 1", "position": 0})
    assert module.status_code == 201 and module.json["position"] == 0
    assert (
        client.post(
            f"/courses/{course_id}/enrolments", {"user_id": learner.id, "role": "student"}
        ).status_code
        == 201
    )
    again = client.post(f"/courses/{course_id}/enrolments", {"user_id": learner.id, "role": "student"})
    assert again.status_code == 409 and again.json["error"]["code"] == "conflict"
    assert (
        client.post(f"/courses/{course_id}/enrolments", {"user_id": tutor.id, "role": "tutor"}).status_code
        == 201
    )
    assert api(learner).get(f"/courses/{course_id}").json["role"] == "student"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x", "hours": -1}, "hours"),
        ({"title": "x", "hours": "many"}, "hours"),
        ({"title": "x", "enrolment_mode": "key"}, "enrolment_key"),
        ({"title": "x", "extra": 1}, "extra"),
    ],
)
def test_create_course_validation(api, body, field) -> None:  # type: ignore[no-untyped-def]
    response = api(teacher()).post("/courses", body)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]


def test_create_course_roles(api) -> None:  # type: ignore[no-untyped-def]
    assert api().post("/courses", {"title": "x"}).status_code == 401
    for person in (student(), juror()):
        assert api(person).post("/courses", {"title": "x"}).status_code == 403
    for person in (organiser(), admin()):
        assert api(person).post("/courses", {"title": "x"}).status_code == 201


def test_tutor_of_course_a_cannot_change_course_b(api) -> None:  # type: ignore[no-untyped-def]
    a, b = cf.course(), cf.course()
    tutor = cf.enrolled(a, teacher(), "tutor")
    learner = cf.enrolled(a)
    client = api(tutor)
    assert client.post(f"/courses/{b.id}/modules", {"title": "x"}).status_code == 403
    assert client.post(f"/courses/{b.id}/enrolments", {"user_id": learner.id}).status_code == 403
    assert client.get(f"/courses/{b.id}/gradebook").status_code == 403
    assert client.post(f"/courses/{a.id}/modules", {"title": "x"}).status_code == 403  # tutors do not author
    assert client.post(f"/courses/{a.id}/enrolments", {"user_id": student().id}).status_code == 201
    assert (
        client.post(f"/courses/{a.id}/enrolments", {"user_id": teacher().id, "role": "tutor"}).status_code
        == 403
    )
    assert api(learner).post(f"/courses/{a.id}/enrolments", {"user_id": student().id}).status_code == 403
    assert client.post("/courses/999/modules", {"title": "x"}).status_code == 404


def test_enrol_unknown_user(api) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    response = api(cf._author(course)).post(f"/courses/{course.id}/enrolments", {"user_id": 9999})
    assert response.status_code == 422 and "user_id" in response.json["error"]["fields"]


def test_gift_import_export_and_quiz(api) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    client = api(cf._author(course))
    imported = client.post(
        f"/courses/{course.id}/questions/import", data=GIFT.encode(), content_type="text/plain"
    )
    assert imported.status_code == 200, imported.json
    assert imported.json["imported"] == 2 and imported.json["errors"] == []
    assert [q["type"] for q in imported.json["questions"]] == ["single", "truefalse"]
    bad = client.post(
        f"/courses/{course.id}/questions/import", data=b"::X:: broken {=a ~b", content_type="text/plain"
    )
    assert bad.status_code == 200 and bad.json["imported"] == 0 and bad.json["errors"][0]["line"] == 1
    exported = client.get(f"/courses/{course.id}/questions/export")
    assert exported.status_code == 200 and "Москва" in exported.get_data(as_text=True)
    ids = [q["id"] for q in imported.json["questions"]]
    quiz = client.post(
        f"/modules/{module.id}/quizzes",
        {
            "title": "Тест",
            "question_ids": ids,
            "time_limit_minutes": 20,
            "attempts_allowed": 2,
            "grading_method": "highest",
            "max_grade": 10,
        },
    )
    assert quiz.status_code == 201, quiz.json
    assert quiz.json["id"] and quiz.json["item_id"]
    wrong = client.post(f"/modules/{module.id}/quizzes", {"title": "Тест", "question_ids": [99999]})
    assert wrong.status_code == 422 and "question_ids" in wrong.json["error"]["fields"]
    learner = cf.enrolled(course)
    assert (
        api(learner)
        .post(f"/courses/{course.id}/questions/import", data=GIFT.encode(), content_type="text/plain")
        .status_code
        == 403
    )
    assert (
        api(learner).post(f"/modules/{module.id}/quizzes", {"title": "x", "question_ids": ids}).status_code
        == 403
    )


def test_course_quiz_attempt_policy(api) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    client = api(cf._author(course))
    ids = [
        q["id"]
        for q in client.post(
            f"/courses/{course.id}/questions/import", data=GIFT.encode(), content_type="text/plain"
        ).json["questions"]
    ]
    quiz_id = client.post(f"/modules/{module.id}/quizzes", {"title": "Тест", "question_ids": ids}).json["id"]
    learner = cf.enrolled(course)
    started = api(learner).post(f"/quizzes/{quiz_id}/attempts")
    assert started.status_code == 201, started.json
    outsider = api(student()).post(f"/quizzes/{quiz_id}/attempts")
    assert outsider.status_code in (403, 404, 409)


def assignment_body(**kw: object) -> dict[str, object]:
    body: dict[str, object] = {"title": "Эссе", "description": "Напишите эссе", "max_points": 10}
    body.update(kw)
    return body


def test_assignment_submission_flow(api) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    author = cf._author(course)
    now = utcnow()
    created = api(author).post(
        f"/modules/{module.id}/assignments",
        assignment_body(
            due_at=(now - timedelta(hours=1)).isoformat(), cutoff_at=(now + timedelta(days=1)).isoformat()
        ),
    )
    assert created.status_code == 201, created.json
    assignment_id = created.json["id"]
    learner = cf.enrolled(course)
    client = api(learner)
    response = client.post(
        f"/assignments/{assignment_id}/submissions",
        data={"text": "Моё эссе", "files": (io.BytesIO(b"%PDF-1.4"), "Эссе.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.json
    assert response.json["late"] is True and response.json["files"][0]["name"] == "Эссе.pdf"
    bad = client.post(
        f"/assignments/{assignment_id}/submissions",
        data={"files": (io.BytesIO(b"MZ"), "virus.exe")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "files" in bad.json["error"]["fields"]
    assert (
        api(author)
        .post(
            f"/assignments/{assignment_id}/submissions",
            data={"text": "x"},
            content_type="multipart/form-data",
        )
        .status_code
        == 403
    )
    assert (
        api(student())
        .post(
            f"/assignments/{assignment_id}/submissions",
            data={"text": "x"},
            content_type="multipart/form-data",
        )
        .status_code
        == 404
    )


def test_submission_after_cutoff_is_409(api) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    past = datetime.now(UTC) - timedelta(days=1)
    item = cf.assignment(cf.module(course), due_at=past - timedelta(days=1), cutoff_at=past)
    learner = cf.enrolled(course)
    response = api(learner).post(
        f"/assignments/{item.assignment_id}/submissions",
        data={"text": "x"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 409 and response.json["error"]["code"] == "conflict"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (assignment_body(max_points=0), "max_points"),
        (assignment_body(title=""), "title"),
        (assignment_body(due_at="2026-03-01T10:00:00"), "due_at"),
        (
            assignment_body(due_at="2026-03-02T10:00:00+03:00", cutoff_at="2026-03-01T10:00:00+03:00"),
            "cutoff_at",
        ),
        (assignment_body(rubric=[{"name": "A", "levels": []}]), "rubric.0.levels"),
        (assignment_body(allow_text=False, allow_files=False), "allow_text"),
    ],
)
def test_assignment_validation(api, body, field) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    response = api(cf._author(course)).post(f"/modules/{module.id}/assignments", body)
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]


def test_gradebook_tutor_and_student_views(api) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    item = cf.assignment(cf.module(course), max_points="20")
    first, second = cf.enrolled(course), cf.enrolled(course)
    submission = submissions.submit(item, first, text="x", files=[], now=utcnow())
    from decimal import Decimal

    grading.grade_submission(submission, points=Decimal("15"), actor=cf._author(course), now=utcnow())
    book = api(cf._author(course)).get(f"/courses/{course.id}/gradebook")
    assert book.status_code == 200
    rows = {row["user_id"]: row for row in book.json["items"]}
    assert rows[first.id]["grades"] == {str(item.id): "15.00"} and rows[first.id]["total"] == "75.00"
    assert rows[second.id]["total"] == "0.00"
    own = api(first).get(f"/courses/{course.id}/gradebook")
    assert [row["user_id"] for row in own.json["items"]] == [first.id]
    assert api(student()).get(f"/courses/{course.id}/gradebook").status_code == 403


def test_public_certificate_check(api) -> None:  # type: ignore[no-untyped-def]
    from app.certificates import CertificateKind, issue
    from app.extensions import db

    learner = student(full_name="Анна Петрова")
    certificate = issue(
        kind=CertificateKind.COURSE,
        user_id=learner.id,
        holder=learner.full_name,
        title="Курс",
        source_type="course",
        source_id=1,
    )
    db.session.commit()
    found = api().get(f"/certificates/{certificate.code.lower()}")
    assert found.status_code == 200
    assert found.json["valid"] is True and found.json["holder"] == "Анна Петрова"
    assert set(found.json) == {"valid", "revoked", "holder", "title", "issued_at", "kind"}
    assert api().get("/certificates/NOPE").status_code == 404
