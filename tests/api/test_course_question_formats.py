"""The course's question bank through the API in both formats (issue 15): the format told by
content or forced, each fixture counted (questions in the file vs imported), exports that read
back, line-numbered reports, and who may do it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from courses.quiz.gift_read import parse_gift
from courses.quiz.models import Question, QuestionCategory
from courses.quiz.moodlexml_read import parse_moodle_xml
from tests.factories import courses as cf
from tests.factories.accounts import student, teacher

FIXTURES = Path(__file__).parent.parent / "fixtures" / "questions"
IMPORT = "/courses/{}/questions/import"


def _rows(model: type = Question) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _post(client: Any, course_id: int, data: bytes, query: str = "") -> Any:
    return client.post(IMPORT.format(course_id) + query, data=data, content_type="text/plain")


@pytest.mark.parametrize(
    ("name", "question_format", "in_file", "warnings"),
    [
        ("russian_bank.gift.txt", "gift", 53, [109]),
        ("moodle_cases.gift.txt", "gift", 9, []),
        ("moodle_quiz.xml", "moodlexml", 9, []),
    ],
)
def test_each_fixture_imports_every_question_in_it(
    api: Any, name: str, question_format: str, in_file: int, warnings: list[int]
) -> None:
    course = cf.course()
    response = _post(api(cf._author(course)), course.id, (FIXTURES / name).read_bytes())
    assert response.status_code == 200, response.json
    assert response.json["format"] == question_format
    assert response.json["errors"] == []
    assert response.json["imported"] == in_file == _rows()
    assert [warning["line"] for warning in response.json["warnings"]] == warnings


def test_missing_blank_line_is_named_in_the_report(api: Any) -> None:
    course = cf.course()
    text = "::A:: Первый {=да ~нет}\n::B:: Второй {T}\n"
    response = _post(api(cf._author(course)), course.id, text.encode())
    assert response.json["imported"] == 2 and response.json["errors"] == []
    (warning,) = response.json["warnings"]
    message = warning["message"].lower()
    assert warning["line"] == 2 and ("пустая строка" in message or "blank line" in message)


def test_categories_of_a_moodle_xml_file_become_the_banks(api: Any) -> None:
    course = cf.course()
    _post(api(cf._author(course)), course.id, (FIXTURES / "moodle_quiz.xml").read_bytes())
    names = set(db.session.scalars(select(QuestionCategory.name)))
    assert names == {"Физика", "Механика"}


def test_xml_is_never_read_as_gift(api: Any) -> None:
    course = cf.course()
    client = api(cf._author(course))
    data = (FIXTURES / "moodle_quiz.xml").read_bytes()
    forced = _post(client, course.id, data, "?format=gift")
    assert forced.status_code == 200 and forced.json["imported"] == 0
    assert forced.json["errors"][0]["line"] == 1 and "Moodle XML" in forced.json["errors"][0]["message"]
    assert _rows() == 0
    gift_as_xml = _post(
        client, course.id, (FIXTURES / "moodle_cases.gift.txt").read_bytes(), "?format=moodlexml"
    )
    assert gift_as_xml.json["imported"] == 0 and gift_as_xml.json["errors"][0]["line"] >= 1
    assert _rows() == 0
    assert _post(client, course.id, data, "?format=moodlexml").json["imported"] == 9


def test_unknown_format_is_422_by_the_field(api: Any) -> None:
    course = cf.course()
    client = api(cf._author(course))
    bad = _post(client, course.id, b"::A:: Q {T}", "?format=qti")
    assert bad.status_code == 422 and "format" in bad.json["error"]["fields"]
    export = client.get(f"/courses/{course.id}/questions/export?format=docx")
    assert export.status_code == 422 and "format" in export.json["error"]["fields"]
    assert _rows() == 0


def test_a_bad_xml_question_stops_the_import_unless_valid_only(api: Any) -> None:
    course = cf.course()
    client = api(cf._author(course))
    data = (FIXTURES / "moodle_quiz.xml").read_text(encoding="utf-8")
    broken = data.replace('<question type="essay">', '<question type="ddwtos">').encode()
    refused = _post(client, course.id, broken)
    assert refused.json["imported"] == 0 and _rows() == 0
    (error,) = refused.json["errors"]
    assert error["line"] == data[: data.index('<question type="essay">')].count("\n") + 1
    kept = _post(client, course.id, broken, "?valid_only=1")
    assert kept.json["imported"] == 8 == _rows() and len(kept.json["errors"]) == 1


@pytest.mark.parametrize("question_format", ["gift", "moodlexml"])
def test_export_reads_back_into_the_same_questions(api: Any, question_format: str) -> None:
    course = cf.course()
    client = api(cf._author(course))
    _post(client, course.id, (FIXTURES / "russian_bank.gift.txt").read_bytes())
    _post(client, course.id, (FIXTURES / "moodle_quiz.xml").read_bytes())
    exported = client.get(f"/courses/{course.id}/questions/export?format={question_format}")
    assert exported.status_code == 200
    text = exported.get_data(as_text=True)
    if question_format == "moodlexml":
        assert exported.mimetype == "application/xml"
        assert exported.headers["Content-Disposition"].endswith('.moodle.xml"')
        result = parse_moodle_xml(text)
    else:
        assert exported.mimetype == "text/plain"
        result = parse_gift(text)
    assert result.errors == [] and len(result.questions) == 62 == _rows()
    other = cf.course()
    again = _post(api(cf._author(other)), other.id, text.encode())
    assert again.json["format"] == question_format and again.json["imported"] == 62


@pytest.mark.parametrize("persona", ["student", "teacher", "learner"])
def test_only_the_courses_teachers_import_and_export(api: Any, persona: str) -> None:
    course = cf.course()
    user = {"student": student, "teacher": teacher}.get(persona, lambda: cf.enrolled(course))()
    client = api(user)
    data = (FIXTURES / "moodle_quiz.xml").read_bytes()
    assert _post(client, course.id, data).status_code == 403
    for question_format in ("gift", "moodlexml"):
        assert (
            client.get(f"/courses/{course.id}/questions/export?format={question_format}").status_code == 403
        )
    assert _rows() == 0
    assert _post(api(), course.id, data).status_code == 401
