"""One `<question>` of a Moodle backup's questions.xml as our question (pure): each type we have, and
the problem code for what we cannot carry over."""

from __future__ import annotations

from decimal import Decimal
from xml.etree.ElementTree import Element, fromstring

import pytest

from courses.moodle_question_types import QuestionProblem, to_question
from courses.quiz.questions import Description, Essay, Matching, ShortAnswer, TrueFalse
from tests.fixtures.moodle_mbz import answers


def _question(qtype: str, plugin: str = "", text: str = "<p>Текст</p>", mark: str = "1.0000000") -> Element:
    return fromstring(
        f'<question id="9"><name>Вопрос</name><questiontext>{text.replace("<", "&lt;")}</questiontext>'
        f"<questiontextformat>1</questiontextformat><defaultmark>{mark}</defaultmark><qtype>{qtype}</qtype>"
        f"<plugin_qtype_{qtype}_question>{plugin}</plugin_qtype_{qtype}_question></question>"
    )


def _none(_id: int) -> Element | None:
    return None


def test_shortanswer_keeps_answers_case_and_marks() -> None:
    question = to_question(
        _question(
            "shortanswer",
            answers(("Пушкин", "1.0000000", "Да"), ("<p>А.С. Пушкин</p>", "0.5000000", ""))
            + "<shortanswer><usecase>1</usecase></shortanswer>",
            mark="2.5000000",
        ),
        "Литература",
        _none,
    )
    assert isinstance(question, ShortAnswer) and question.case_sensitive is True
    assert [a.text for a in question.answers] == ["Пушкин", "А.С. Пушкин"]
    assert question.default_mark == Decimal("2.5") and question.category == "Литература"
    assert question.text == "<p>Текст</p>" and question.text_format == "html"


def test_truefalse_takes_the_right_answer_and_each_feedback() -> None:
    plugin = answers(("Неверно", "0", "Нет"), ("Верно", "1", "Да"), start=5)
    plugin += "<truefalse><trueanswer>6</trueanswer><falseanswer>5</falseanswer></truefalse>"
    question = to_question(_question("truefalse", plugin), None, _none)
    assert isinstance(question, TrueFalse)
    assert (question.correct, question.feedback_true, question.feedback_false) == (True, "Да", "Нет")


def test_essay_and_description() -> None:
    assert isinstance(to_question(_question("essay"), None, _none), Essay)
    description = to_question(_question("description", mark="1"), None, _none)
    assert isinstance(description, Description) and description.default_mark == 0


def test_matching_with_a_distractor_and_a_shared_answer() -> None:
    plugin = (
        "<matches><match><questiontext>кот</questiontext><answertext>животное</answertext></match>"
        "<match><questiontext>пёс</questiontext><answertext>животное</answertext></match>"
        "<match><questiontext></questiontext><answertext>растение</answertext></match></matches>"
    )
    question = to_question(_question("match", plugin), None, _none)
    assert isinstance(question, Matching)
    assert [(i.text, i.right_id) for i in question.left] == [("кот", 1), ("пёс", 1)]
    assert [r.text for r in question.right] == ["животное", "растение"]


@pytest.mark.parametrize(
    ("qtype", "plugin", "text", "code"),
    [
        ("ddwtos", "", "<p>[[1]]</p>", "unsupported_type"),
        ("calculatedsimple", "", "<p>{a}</p>", "unsupported_type"),
        (
            "multichoice",
            answers(("один", "1", "")) + "<multichoice><single>1</single></multichoice>",
            "x",
            "not_valid",
        ),
        ("multichoice", answers(("a", "0", ""), ("b", "0", "")), "x", "not_valid"),
        ("numerical", answers(("пять", "1", "")), "x", "malformed"),
        (
            "match",
            "<matches><match><questiontext>a</questiontext><answertext>b</answertext></match></matches>",
            "x",
            "not_valid",
        ),
        ("shortanswer", answers(("ok", "1", "")), "   ", "not_valid"),
        (
            "multianswer",
            "<multianswer><sequence>10,11</sequence></multianswer>",
            "{#1} {#2}",
            "cloze_gap_missing",
        ),
    ],
)
def test_what_cannot_be_carried_over_gives_a_code(qtype: str, plugin: str, text: str, code: str) -> None:
    with pytest.raises(QuestionProblem) as problem:
        to_question(_question(qtype, plugin, text), None, _none)
    assert problem.value.code == code


def test_a_cloze_gap_ticking_several_answers_is_refused() -> None:
    child = _question(
        "multichoice",
        answers(("a", "0.5", ""), ("b", "0.5", "")) + "<multichoice><single>0</single></multichoice>",
    )
    plugin = "<multianswer><sequence>9</sequence></multianswer>"
    with pytest.raises(QuestionProblem) as problem:
        to_question(_question("multianswer", plugin, "{#1}"), None, lambda _id: child)
    assert problem.value.code == "cloze_gap_unsupported"
