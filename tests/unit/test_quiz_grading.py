"""Grading rules: answer shapes per API.md and exact fractions for every question type."""

from decimal import Decimal
from fractions import Fraction

import pytest

from courses.quiz.answer_shapes import (
    MAX_ESSAY_LENGTH,
    MAX_SHORT_ANSWER_LENGTH,
    AnswerShapeError,
    validate_answer,
)
from courses.quiz.grading import GradeResult, grade, is_graded, mark, parse_number
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

F = Fraction
D = Decimal

SINGLE = SingleChoice(
    name="s",
    text="Столица?",
    choices=(
        Choice(1, "Москва", F(1), "Верно"),
        Choice(2, "Питер", F(1, 2), "Почти"),
        Choice(3, "Тверь", F(-1, 2)),
    ),
)
MULTIPLE = MultipleChoice(
    name="m",
    text="Простые числа",
    choices=(
        Choice(1, "2", F(1, 2), "да"),
        Choice(2, "3", F(1, 2), "да"),
        Choice(3, "4", F(-1)),
        Choice(4, "9", F(-1, 3)),
    ),
)
GENEROUS = MultipleChoice(name="g", text="t", choices=(Choice(1, "a", F(3, 4)), Choice(2, "b", F(3, 4))))
TRUE = TrueFalse(name="t", text="Земля круглая", correct=True, feedback_true="Да!", feedback_false="Увы")
FALSE = TrueFalse(name="f", text="Земля плоская", correct=False)
SHORT = ShortAnswer(
    name="sa",
    text="Столица Франции",
    answers=(Answer("Paris", F(1), "Oui"), Answer("Пар*ж", F(1, 2), "По-русски"), Answer("*", F(0), "Нет")),
)
CASED = ShortAnswer(
    name="c",
    text="Formula of water",
    answers=(Answer("H2O"), Answer("a \\* b", F(1, 4))),
    case_sensitive=True,
)
NUMERICAL = Numerical(
    name="n",
    text="π",
    answers=(
        NumericalAnswer(D("3.14"), D("0.01"), F(1, 2), "close"),
        NumericalAnswer(D("3.1416"), D("0.0001"), F(1), "exact"),
        NumericalAnswer(D("3"), D("0.5"), F(1, 4), "rough"),
    ),
)
MATCHING = Matching(
    name="mt",
    text="Соедините",
    left=(
        LeftItem(1, "Франция", 1),
        LeftItem(2, "Италия", 2),
        LeftItem(3, "Монако", 1),
        LeftItem(4, "Мальта", 3),
    ),
    right=(RightItem(1, "евро, Париж"), RightItem(2, "Рим"), RightItem(3, "Валлетта"), RightItem(4, "Берн")),
)
ESSAY = Essay(name="e", text="Эссе")
DESCRIPTION = Description(name="d", text="Читайте")
CLOZE = Cloze(
    name="cz",
    text="{#1}, {#2}, {#3}",
    gaps=(
        ShortAnswerGap(
            number=1, weight=2, answers=(Answer("Paris", feedback="ok"), Answer("Париж", F(1, 2)))
        ),
        NumericalGap(number=2, answers=(NumericalAnswer(D(4), D("0.5"), feedback="четыре"),)),
        ChoiceGap(number=3, choices=(Choice(1, "green", F(-1)), Choice(2, "blue", F(1), "sky"))),
    ),
)
CASED_GAP = Cloze(
    name="cg", text="{#1}", gaps=(ShortAnswerGap(number=1, answers=(Answer("NaCl"),), case_sensitive=True),)
)


@pytest.mark.parametrize(
    ("question", "raw", "normalised"),
    [
        (SINGLE, 2, 2),
        (SINGLE, "3", 3),
        (MULTIPLE, [3, 1, 1], [1, 3]),
        (MULTIPLE, ("2",), [2]),
        (MULTIPLE, [], []),
        (TRUE, False, False),
        (SHORT, "  Paris ", "  Paris "),
        (NUMERICAL, "3,14", "3,14"),
        (ESSAY, "Текст", "Текст"),
        (MATCHING, {"3": "1", 1: 2, "2": None}, {1: 2, 3: 1}),
        (CLOZE, {"3": "2", 1: "Paris", "2": None}, {1: "Paris", 3: 2}),
        (CLOZE, {}, {}),
        (SINGLE, None, None),
        (DESCRIPTION, None, None),
    ],
)
def test_validate_answer_normalises_each_shape(question, raw, normalised):
    assert validate_answer(question, raw) == normalised


@pytest.mark.parametrize(
    ("question", "raw", "message"),
    [
        (SINGLE, 9, "Unknown choice id."),
        (SINGLE, "one", "Expected a choice id."),
        (SINGLE, True, "Expected a choice id."),
        (SINGLE, 1.0, "Expected a choice id."),
        (SINGLE, [1], "Expected a choice id."),
        (MULTIPLE, 1, "Expected a list of choice ids."),
        (MULTIPLE, [1, "x"], "Expected a list of choice ids."),
        (MULTIPLE, [1, 7], "Unknown choice id."),
        (TRUE, "true", "Expected true or false."),
        (TRUE, 1, "Expected true or false."),
        (SHORT, 42, "Expected text."),
        (SHORT, "x" * (MAX_SHORT_ANSWER_LENGTH + 1), "The answer is too long."),
        (NUMERICAL, 3.14, "Expected text."),
        (ESSAY, ["text"], "Expected text."),
        (ESSAY, "x" * (MAX_ESSAY_LENGTH + 1), "The answer is too long."),
        (MATCHING, [[1, 1]], "Expected an object mapping left item ids to right item ids."),
        (MATCHING, {"a": 1}, "Expected a left item id."),
        (MATCHING, {"9": 1}, "Unknown left item id."),
        (MATCHING, {"1": [1]}, "Expected a right item id."),
        (MATCHING, {"1": "9"}, "Unknown right item id."),
        (CLOZE, ["Paris"], "Expected an object mapping gap numbers to answers."),
        (CLOZE, {"first": "Paris"}, "Expected a gap number."),
        (CLOZE, {"4": "x"}, "Unknown gap number."),
        (CLOZE, {"0": "x"}, "Unknown gap number."),
        (CLOZE, {"1": 5}, "Expected text."),
        (CLOZE, {"3": "blue"}, "Expected a choice id."),
        (CLOZE, {"3": 7}, "Unknown choice id."),
        (DESCRIPTION, "anything", "This question takes no answer."),
    ],
)
def test_wrong_shapes_are_refused_by_validation_and_grading(question, raw, message):
    for check in (validate_answer, grade):
        with pytest.raises(AnswerShapeError) as caught:
            check(question, raw)
        assert caught.value.message == message == str(caught.value)


@pytest.mark.parametrize(
    ("question", "answer", "fraction", "feedback"),
    [
        (SINGLE, 1, F(1), "Верно"),
        (SINGLE, "2", F(1, 2), "Почти"),
        (SINGLE, 3, F(0), ""),
        (MULTIPLE, [1, 2], F(1), "да\nда"),
        (MULTIPLE, [1], F(1, 2), "да"),
        (MULTIPLE, [1, 2, 4], F(2, 3), "да\nда"),
        (MULTIPLE, [1, 3], F(0), "да"),
        (MULTIPLE, [3, 4], F(0), ""),
        (MULTIPLE, [], F(0), ""),
        (GENEROUS, [1, 2], F(1), ""),
        (TRUE, True, F(1), "Да!"),
        (TRUE, False, F(0), "Увы"),
        (FALSE, False, F(1), ""),
        (FALSE, True, F(0), ""),
        (SHORT, "Paris", F(1), "Oui"),
        (SHORT, "  pARIS  ", F(1), "Oui"),
        (SHORT, "Париж", F(1, 2), "По-русски"),
        (SHORT, "париж", F(1, 2), "По-русски"),
        (SHORT, "Парж", F(1, 2), "По-русски"),
        (SHORT, "Лондон", F(0), "Нет"),
        (SHORT, "   ", F(0), ""),
        (CASED, "H2O", F(1), ""),
        (CASED, "h2o", F(0), ""),
        (CASED, "a * b", F(1, 4), ""),
        (CASED, "a x b", F(0), ""),
        (NUMERICAL, "3.1416", F(1), "exact"),
        (NUMERICAL, "3,1417", F(1), "exact"),
        (NUMERICAL, "3.1418", F(1, 2), "close"),
        (NUMERICAL, "3.13", F(1, 2), "close"),
        (NUMERICAL, "3.15", F(1, 2), "close"),
        (NUMERICAL, "3.150000000000000000000000000000001", F(1, 4), "rough"),
        (NUMERICAL, " 2,5 ", F(1, 4), "rough"),
        (NUMERICAL, "2.4999", F(0), ""),
        (NUMERICAL, "\u22123", F(0), ""),
        (NUMERICAL, "три", F(0), ""),
        (NUMERICAL, "nan", F(0), ""),
        (NUMERICAL, "", F(0), ""),
        (MATCHING, {"1": "1", "2": "2", "3": "1", "4": "3"}, F(1), ""),
        (MATCHING, {1: 1, 2: 2, 3: 4}, F(1, 2), ""),
        (MATCHING, {"4": "3"}, F(1, 4), ""),
        (MATCHING, {}, F(0), ""),
        (CLOZE, {"1": "Paris", "2": "4,2", "3": 2}, F(1), "ok\nчетыре\nsky"),
        (CLOZE, {"1": "париж", "2": "5", "3": 2}, F(1, 2), "sky"),
        (CLOZE, {"2": "4", "3": "1"}, F(1, 4), "четыре"),
        (CLOZE, {"3": 1}, F(0), ""),
        (CASED_GAP, {"1": "NaCl"}, F(1), ""),
        (CASED_GAP, {"1": "nacl"}, F(0), ""),
    ],
)
def test_grade_gives_exact_fractions(question, answer, fraction, feedback):
    result = grade(question, answer)
    assert result == GradeResult(fraction, False, feedback)
    assert type(result.fraction) is Fraction


@pytest.mark.parametrize(("answer", "needs_grading"), [("Моё эссе", True), ("   ", False), (None, False)])
def test_essay_waits_for_a_tutor_unless_blank(answer, needs_grading):
    assert grade(ESSAY, answer) == GradeResult(F(0), needs_grading, "")


@pytest.mark.parametrize(
    "question", [SINGLE, MULTIPLE, TRUE, SHORT, NUMERICAL, MATCHING, ESSAY, CLOZE, DESCRIPTION]
)
def test_no_answer_scores_zero(question):
    assert grade(question, None) == GradeResult(F(0), False, "")


@pytest.mark.parametrize(
    ("pattern", "response", "matches"),
    [
        ("*", "anything at all", True),
        ("a*", "a", True),
        ("*b", "ab", True),
        ("a*b*c", "abc", True),
        ("a*b*c", "a-b-b-c", True),
        ("a*b*c", "acb", False),
        ("a*b*c", "axc", False),
        ("ab*ba", "aba", False),
        ("a**b", "ab", True),
        ("x*y*z", "x" + "y" * 500, False),
        ("New   York", " new york ", True),
        ("New York", "NewYork", False),
        ("\\*", "*", True),
        ("\\*", "x", False),
        ("ß", "SS", True),
    ],
)
def test_short_answer_wildcards_and_spacing(pattern, response, matches):
    question = ShortAnswer(name="w", text="t", answers=(Answer(pattern),))
    assert (grade(question, response).fraction == 1) is matches


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        ("4.5", F(1)),
        ("3.5", F(1)),
        ("4.50001", F(0)),
        ("4.5000000000000000000000000000000001", F(0)),
        ("3.49999", F(0)),
        ("4", F(1)),
        ("1e0", F(0)),
        ("4e0", F(1)),
    ],
)
def test_numerical_tolerance_boundaries_are_inclusive(response, fraction):
    question = Numerical(name="n", text="t", answers=(NumericalAnswer(D(4), D("0.5")),))
    assert grade(question, response).fraction == fraction


def test_numerical_prefers_the_best_fraction_and_then_the_first_answer():
    question = Numerical(
        name="n",
        text="t",
        answers=(
            NumericalAnswer(D(10), D(5), F(1, 2), "wide"),
            NumericalAnswer(D(10), D(1), F(1), "narrow"),
            NumericalAnswer(D(10), D(0), F(1), "exact"),
        ),
    )
    assert grade(question, "10").feedback == "narrow"
    assert grade(question, "13").feedback == "wide"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("3,5", D("3.5")),
        (" -2 ", D(-2)),
        ("\u22121.5", D("-1.5")),
        ("1e3", D(1000)),
        ("x", None),
        ("inf", None),
        ("", None),
    ],
)
def test_parse_number_accepts_what_pupils_type(text, number):
    assert parse_number(text) == number


def test_a_negative_single_choice_weight_never_takes_the_question_below_zero():
    assert grade(SINGLE, 3).fraction == 0


@pytest.mark.parametrize("question", [SINGLE, MULTIPLE, TRUE, SHORT, NUMERICAL, MATCHING, ESSAY, CLOZE])
def test_is_graded_for_every_type_but_description(question):
    assert is_graded(question)
    assert not is_graded(DESCRIPTION)


@pytest.mark.parametrize(
    ("question_mark", "fraction", "points"),
    [
        (D(2), F(1, 2), D(1)),
        (D("2.5"), F(1), D("2.5")),
        (D(1), F(1, 8), D("0.125")),
        (D(1), F(1, 3), D("0.3333333")),
        (D(2), F(2, 3), D("1.3333333")),
        (D(10), F(0), D(0)),
    ],
)
def test_mark_is_exact_and_rounds_only_what_does_not_terminate(question_mark, fraction, points):
    assert mark(question_mark, fraction) == points
