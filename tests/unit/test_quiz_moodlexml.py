"""Moodle XML (issue 15): the fixture quiz counted question by question, every type and category,
round trips both ways, errors by line, unsafe XML refused, and the format told by content."""

from collections import Counter
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from courses.quiz.gift_read import parse_gift
from courses.quiz.gift_syntax import other_number
from courses.quiz.moodle_questions import (
    MoodleCode,
    MoodleProblem,
    category_path,
    fraction,
    html_to_text,
    to_question,
)
from courses.quiz.moodlexml_read import MoodleError, parse_moodle_xml
from courses.quiz.moodlexml_write import export_moodle_xml, percent
from courses.quiz.question_formats import detect_format
from courses.quiz.questions import (
    Choice,
    Cloze,
    Description,
    Matching,
    NumericalAnswer,
    ShortAnswer,
    TrueFalse,
)
from tests.unit.test_quiz_gift_read import EVERY_CONSTRUCT

FIXTURE = Path(__file__).parent.parent / "fixtures" / "questions" / "moodle_quiz.xml"
F, D = Fraction, Decimal


def _questions(data: str | bytes) -> list:
    result = parse_moodle_xml(data)
    assert result.errors == []
    return [question for question, _line in result.questions]


def _xml(*questions: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n"


def test_the_fixture_quiz_imports_every_question_it_holds() -> None:
    data = FIXTURE.read_bytes()
    in_file = data.count(b"<question type=") - data.count(b'<question type="category">')
    result = parse_moodle_xml(data)
    assert in_file == len(result.questions) == 9 and result.errors == []
    assert Counter(question.type for question, _line in result.questions) == {
        "single": 1,
        "multiple": 1,
        "truefalse": 1,
        "shortanswer": 1,
        "numerical": 1,
        "matching": 1,
        "essay": 1,
        "cloze": 1,
        "description": 1,
    }
    assert [line for _question, line in result.questions][:2] == [17, 66]
    assert [question.category for question, _line in result.questions] == ["Физика"] * 5 + [
        "Физика/Механика"
    ] * 4


def test_the_fixture_quiz_maps_each_type() -> None:
    by_name = {question.name: question for question in _questions(FIXTURE.read_bytes())}
    force = by_name["Единица силы"]
    assert force.text_format == "html" and force.choices[0] == Choice(1, "Ньютон", F(1), "Верно!")
    assert force.general_feedback == "<p>Единица названа в честь Исаака Ньютона.</p>"
    vectors = by_name["Векторные величины"]
    assert [choice.fraction for choice in vectors.choices] == [F(1, 3)] * 3 + [F(-1)]
    assert vectors.default_mark == D(2)
    assert by_name["Инерция"] == TrueFalse(
        name="Инерция",
        text="Тело сохраняет скорость, если на него не действуют другие тела.",
        text_format="moodle",
        category="Физика",
        correct=True,
        feedback_true="Это первый закон Ньютона.",
        feedback_false="Перечитайте первый закон Ньютона.",
    )
    scientist = by_name["Учёный"]
    assert isinstance(scientist, ShortAnswer) and scientist.case_sensitive
    assert by_name["Ускорение свободного падения"].answers == (
        NumericalAnswer(D("9.8"), D("0.05"), F(1), "Верно."),
        NumericalAnswer(D(10), D(0), F(1, 2), "Это округлённое значение."),
        other_number("Вспомните: около десяти."),
    )
    devices = by_name["Приборы"]
    assert isinstance(devices, Matching) and len(devices.left) == 3 and devices.right[-1].text == "влажность"
    assert devices.left[0].text == "Динамометр"  # Moodle's HTML item shown as text
    assert by_name["Опыт"].default_mark == D(5)
    cloze = by_name["Законы Ньютона"]
    assert isinstance(cloze, Cloze) and cloze.text.count("{#") == 3
    assert [gap.type for gap in cloze.gaps] == ["shortanswer", "numerical", "single"]
    assert cloze.gaps[1].weight == 2 and cloze.general_feedback == "<p>F = ma.</p>"
    assert isinstance(by_name["Раздел «Механика»"], Description)


def test_xml_to_model_to_xml_is_exact() -> None:
    questions = _questions(FIXTURE.read_bytes())
    exported = export_moodle_xml(questions)
    assert _questions(exported) == questions
    assert export_moodle_xml(_questions(exported)) == exported


def test_every_gift_construct_round_trips_through_moodle_xml() -> None:
    questions = [question for question, _line in parse_gift(EVERY_CONSTRUCT).questions]
    exported = export_moodle_xml(questions)
    assert _questions(exported) == questions
    assert exported.count('<question type="category">') == 3
    assert "<text>$course$/top</text>" in exported  # back to the top for uncategorised questions


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ("<quiz><question type='essay'>", MoodleError(1, MoodleCode.BAD_XML)),
        ("<?xml version='1.0'?>\n<quiz>\n<question>\n</quiz>", MoodleError(4, MoodleCode.BAD_XML)),
        ("<?xml version='1.0'?>\n<html><body/></html>", MoodleError(2, MoodleCode.NOT_MOODLE_XML)),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY x "boom">]>\n<quiz>&x;</quiz>',
            MoodleError(1, MoodleCode.BAD_XML),
        ),
    ],
)
def test_a_file_that_is_no_moodle_xml_is_one_error(data: str, error: MoodleError) -> None:
    assert parse_moodle_xml(data) == parse_moodle_xml(data.encode())
    result = parse_moodle_xml(data)
    assert result.questions == [] and result.errors == [error]


_GOOD = (
    '<question type="essay"><name><text>E</text></name><questiontext><text>Q</text></questiontext></question>'
)


@pytest.mark.parametrize(
    ("question", "code", "snippet"),
    [
        (
            '<question type="ddwtos"><questiontext><text>Q</text></questiontext></question>',
            "unsupported_type",
            "ddwtos",
        ),
        ('<question type="essay"><questiontext><text> </text></questiontext></question>', "no_text", ""),
        (
            '<question type="multichoice"><questiontext><text>Q</text></questiontext>'
            '<answer fraction="0"><text>a</text></answer>'
            '<answer fraction="0"><text>b</text></answer></question>',
            "no_correct",
            "",
        ),
        (
            '<question type="multichoice"><questiontext><text>Q</text></questiontext>'
            '<answer fraction="100"><text>a</text></answer></question>',
            "few_choices",
            "",
        ),
        (
            '<question type="shortanswer"><questiontext><text>Q</text></questiontext>'
            '<answer fraction="150"><text>a</text></answer></question>',
            "weight",
            "1.50",
        ),
        (
            '<question type="numerical"><questiontext><text>Q</text></questiontext>'
            '<answer fraction="100"><text>три</text><tolerance>0</tolerance></answer></question>',
            "not_a_number",
            "три",
        ),
        (
            '<question type="match"><questiontext><text>Q</text></questiontext>'
            "<subquestion><text>a</text><answer><text>1</text></answer></subquestion></question>",
            "few_pairs",
            "",
        ),
        (
            '<question type="multianswer"><questiontext>'
            "<text>Q {1:ESSAY:=a}</text></questiontext></question>",
            "cloze",
            "unknown_gap",
        ),
        (
            '<question type="multianswer"><questiontext>'
            "<text>Q без пропусков</text></questiontext></question>",
            "cloze",
            "",
        ),
    ],
)
def test_each_bad_question_is_an_error_on_its_line_and_the_others_are_read(
    question: str, code: str, snippet: str
) -> None:
    result = parse_moodle_xml(_xml(_GOOD, question, _GOOD))
    assert [line for _question, line in result.questions] == [3, 5]
    assert result.errors == [MoodleError(4, MoodleCode(code), snippet)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<?xml version="1.0"?><quiz/>', "moodlexml"),
        ("\ufeff\r\n  <quiz>\n</quiz>", "moodlexml"),
        ("<!-- экспорт -->\n<quiz/>", "moodlexml"),
        ("::Q:: <b>Жирный</b> {T}", "gift"),
        ("// комментарий\n::Q:: Текст {T}", "gift"),
        ("<p>Вопрос</p> {T}", "gift"),
        ("", "gift"),
    ],
)
def test_format_is_told_by_content(text: str, expected: str) -> None:
    assert detect_format(text) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$course$/top/Алгебра/Линейные", "Алгебра/Линейные"),
        ("$course$/top", None),
        ("$course$/top/Default for 7 класс/Физика", "Физика"),
        ("$module$/top/По умолчанию для Теста", None),
        ("$course$/Алгебра", "Алгебра"),
        ("  Алгебра / Линейные ", "Алгебра/Линейные"),
        ("", None),
    ],
)
def test_category_paths(raw: str, expected: str | None) -> None:
    assert category_path(raw) == expected


@pytest.mark.parametrize(
    ("value", "scale", "expected"),
    [
        ("33.33333", 100, F(1, 3)),
        ("0.3333333", 1, F(1, 3)),
        ("-50", 100, F(-1, 2)),
        ("14.28571", 100, F(1, 7)),
    ],
)
def test_fractions_from_moodle_grades(value: str, scale: int, expected: Fraction) -> None:
    assert fraction(value, scale=scale) == expected


@pytest.mark.parametrize("value", [F(1, 3), F(2, 7), F(-1, 8), F(1), F(0)])
def test_percentages_read_back_exactly(value: Fraction) -> None:
    assert fraction(percent(value), scale=100) == value


def test_to_question_is_shared_with_other_readers() -> None:
    parsed = {"qtype": "truefalse", "name": "", "text": " Земля круглая ", "format": 2, "correct": True}
    assert to_question(parsed) == TrueFalse(
        name="Земля круглая", text="Земля круглая", text_format="plain", correct=True
    )
    with pytest.raises(MoodleProblem) as caught:
        to_question({"qtype": "calculated", "text": "x"})
    assert caught.value.code == MoodleCode.UNSUPPORTED_TYPE and caught.value.snippet == "calculated"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ('<p dir="ltr" style="text-align: left;">Ньютон</p>', "Ньютон"),
        ("<p>a &amp; b</p><p>вторая  строка</p>", "a & b\nвторая строка"),
        ("5 &lt; 6<br/>и 7 > 6", "5 < 6\nи 7 > 6"),
        ("x < y", "x < y"),
    ],
)
def test_html_answers_become_text(html: str, text: str) -> None:
    assert html_to_text(html) == text
