"""GIFT writing: exact round trips through reading, weights as Moodle writes them, categories."""

from decimal import Decimal
from fractions import Fraction

import pytest

from courses.quiz.gift_write import export_gift
from courses.quiz.questions import (
    Answer,
    Choice,
    ChoiceGap,
    Cloze,
    Description,
    Essay,
    LeftItem,
    Matching,
    MultipleChoice,
    Numerical,
    NumericalAnswer,
    NumericalGap,
    RightItem,
    ShortAnswer,
    ShortAnswerGap,
    SingleChoice,
    TrueFalse,
)
from tests.unit.test_quiz_gift_read import EVERY_CONSTRUCT, _questions

F = Fraction
D = Decimal


def test_every_construct_round_trips_through_export():
    questions = _questions(EVERY_CONSTRUCT)
    exported = export_gift(questions)
    assert _questions(exported) == questions
    assert export_gift(_questions(exported)) == exported


def test_export_writes_categories_only_when_they_change():
    exported = export_gift(_questions(EVERY_CONSTRUCT))
    assert exported.count("$CATEGORY:") == 3
    assert "$CATEGORY:\n\n::Без категории::" in exported
    assert export_gift([]) == ""


def _round_trip(question):
    exported = export_gift([question])
    assert _questions(exported) == [question], exported
    return exported


@pytest.mark.parametrize(
    "question",
    [
        SingleChoice(name="S", text="Q", choices=(Choice(1, "a", F(1, 2)), Choice(2, "b", F(1, 4)))),
        SingleChoice(name="S", text="Q", choices=(Choice(1, "a", F(1)), Choice(2, "b", F(1)))),
        MultipleChoice(name="M", text="Q", choices=(Choice(1, "%50% a", F(1, 3)), Choice(2, "b", F(-2, 7)))),
        MultipleChoice(name="M", text="Q", choices=(Choice(1, "a -> b", F(1)), Choice(2, "c=d", F(1, 7)))),
        ShortAnswer(name="S", text="Q", answers=(Answer("%x"), Answer("a\\*b", F(0)), Answer("T", F(-1)))),
        ShortAnswer(name="S", text="Q", answers=(Answer("T"),), default_mark=D("1.0")),
        TrueFalse(name="T", text="Q", correct=False, feedback_true="wrong"),
        TrueFalse(name="T", text="Q", correct=True, feedback_true="right", general_feedback="g"),
        Numerical(name="N", text="Q", answers=(NumericalAnswer(D("1E+3"), D("0.50"), F(1, 3), "#1"),)),
        Matching(
            name="M",
            text="Q",
            left=(LeftItem(1, "f -> g", 1), LeftItem(2, "=", 2)),
            right=(RightItem(1, "a -> b"), RightItem(2, ":"), RightItem(3, "{}")),
        ),
        Essay(name="::name::", text="Line one\n\nLine three with \\n and \\{", general_feedback="a\nb"),
        Essay(name="E", text="Fill _____", category="A/B"),
        Essay(name="E", text="_____ and _____ twice"),
        Description(name="D", text="Only text", default_mark=D(1)),
        Cloze(
            name="C",
            text="Gap {#1}: {#2} {#3}",
            general_feedback="general",
            gaps=(
                ShortAnswerGap(
                    number=1,
                    weight=3,
                    answers=(Answer("a~b", F(1), "#"), Answer("%c", F(-1, 2))),
                    case_sensitive=True,
                ),
                NumericalGap(
                    number=2, answers=(NumericalAnswer(D("-0.5"), D(0), F(1, 2)), NumericalAnswer(D(1)))
                ),
                ChoiceGap(number=3, choices=(Choice(1, "x}", F(1, 3)), Choice(2, "y{", F(2, 3)))),
            ),
        ),
    ],
    ids=lambda question: question.type,
)
def test_export_round_trips_awkward_questions(question):
    _round_trip(question)


@pytest.mark.parametrize(
    ("fraction", "written"),
    [(F(1, 3), "%33.33333%"), (F(1, 8), "%12.5%"), (F(-1, 6), "%-16.66667%"), (F(1, 1024), "%0.09765625%")],
)
def test_export_writes_weights_as_moodle_does(fraction, written):
    question = MultipleChoice(name="M", text="Q", choices=(Choice(1, "a", fraction), Choice(2, "b", F(1))))
    assert written in _round_trip(question)


def test_export_puts_a_missing_word_block_where_the_blank_is():
    question = ShortAnswer(name="S", text="Москва — столица _____ с 1918 года.", answers=(Answer("России"),))
    assert "столица {=России} с 1918" in _round_trip(question)


def test_export_loses_only_a_descriptions_general_feedback():
    question = Description(name="D", text="Text", general_feedback="never shown")
    assert _questions(export_gift([question])) == [Description(name="D", text="Text")]


def test_export_writes_carriage_returns_as_newlines():
    question = Essay(name="E", text="a\r\nb\rc")
    assert _questions(export_gift([question])) == [Essay(name="E", text="a\nb\nc")]
