"""Bad input to the course's question import (POST /courses/{id}/questions/import): Moodle XML numbers
too large for a mark or a grade fraction are refused by line, quickly, and nothing is written."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from courses.quiz.models import Question
from courses.quiz.question_formats import MAX_IMPORT_CHARS
from tests.factories import courses as course_factory
from tests.factories.accounts import teacher
from tests.factories.contests import contest_with_organiser

ESSAY = (
    '<quiz><question type="essay"><name><text>Эссе</text></name><questiontext><text>Опишите осень.</text>'
    "</questiontext><defaultgrade>{mark}</defaultgrade></question></quiz>"
)
CHOICE = (
    '<quiz><question type="multichoice"><name><text>Выбор</text></name><questiontext><text>2 + 2?</text>'
    '</questiontext><answer fraction="{weight}"><text>4</text></answer>'
    '<answer fraction="0"><text>5</text></answer></question></quiz>'
)


def _import(api: Any, text: str) -> Any:
    author = teacher()
    made = course_factory.course(author)
    db.session.commit()
    return api(author).post(
        f"/courses/{made.id}/questions/import?format=moodlexml", data=text.encode(), content_type="text/plain"
    )


def _questions() -> int:
    return db.session.scalar(select(func.count()).select_from(Question)) or 0


@pytest.mark.parametrize("mark", ["-1e999", "1e999999", "1e99999999999", "1000000001"])
def test_a_default_mark_beyond_any_mark_is_refused_by_line(app, api, mark) -> None:
    response = _import(api, ESSAY.format(mark=mark))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["imported"] == 0
    assert [e["line"] for e in body["errors"]] == [1]
    assert _questions() == 0


@pytest.mark.parametrize("weight", ["1e999999999", "-1e999999999", "1e99999999", "101"])
def test_an_answer_weight_of_a_billion_digits_is_refused_at_once(app, api, weight) -> None:
    started = time.monotonic()
    response = _import(api, CHOICE.format(weight=weight))
    assert time.monotonic() - started < 5  # Fraction(Decimal("1e999999999")) would run for minutes
    assert response.status_code == 200
    body = response.get_json()
    assert body["imported"] == 0 and body["errors"][0]["line"] == 1
    assert "100%" in body["errors"][0]["message"]
    assert _questions() == 0


def test_an_ordinary_mark_and_weight_still_import(app, api) -> None:
    assert _import(api, ESSAY.format(mark="2.5000000")).get_json()["imported"] == 1
    assert _import(api, CHOICE.format(weight="100")).get_json()["imported"] == 1
    assert _questions() == 2


def test_a_question_file_over_the_limit_is_refused_by_the_field(app, api) -> None:
    big = "::Вопрос:: " + "я" * (MAX_IMPORT_CHARS + 1) + " {T}"
    response = _import(api, big)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation" and set(error["fields"]) == {"body"}
    assert _questions() == 0


def test_a_contest_question_file_over_the_limit_is_refused_by_the_field(app, api) -> None:
    contest, organiser = contest_with_organiser()
    db.session.commit()
    big = "::Вопрос:: " + "я" * (MAX_IMPORT_CHARS + 1) + " {T}"
    response = api(organiser).post(
        f"/contests/{contest.id}/questions/import", data=big.encode(), content_type="text/plain"
    )
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"body"}
    assert _questions() == 0
