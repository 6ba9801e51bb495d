"""Question types: invariants, the JSON form stored in the database, and what a student sees."""

import json
from decimal import Decimal
from fractions import Fraction

import pytest

from courses.quiz.question_data import QuestionDataError, from_data, to_data
from courses.quiz.questions import (
    QUESTION_TYPES,
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
from courses.quiz.student_view import public_view

HALF = Fraction(1, 2)
CHOICES = (
    Choice(1, "Москва", Fraction(1), "Верно"),
    Choice(2, "Тверь", Fraction(0)),
    Choice(3, "Казань", -HALF),
)

SAMPLES = [
    SingleChoice(name="Столица", text="Столица России?", choices=CHOICES, category="География/Россия"),
    MultipleChoice(
        name="Простые",
        text="Выберите простые",
        text_format="markdown",
        default_mark=Decimal("2.50"),
        choices=(Choice(1, "2", HALF), Choice(2, "3", HALF), Choice(3, "4", Fraction(-1))),
    ),
    TrueFalse(name="tf", text="Земля круглая", correct=True, feedback_true="Да", feedback_false="Нет"),
    ShortAnswer(
        name="sa", text="Город?", answers=(Answer("Моск*", Fraction(1, 3), "почти"),), case_sensitive=True
    ),
    Numerical(name="num", text="π?", answers=(NumericalAnswer(Decimal("3.14"), Decimal("0.01")),)),
    Matching(
        name="m",
        text="Соедините",
        text_format="html",
        left=(LeftItem(1, "a", 2), LeftItem(2, "b", 1)),
        right=(RightItem(1, "x"), RightItem(2, "y"), RightItem(3, "z")),
    ),
    Essay(name="e", text="Напишите эссе", general_feedback="Спасибо"),
    Cloze(
        name="c",
        text="{#1} и {#2} и {#3}",
        gaps=(
            ShortAnswerGap(number=1, weight=2, answers=(Answer("a"),), case_sensitive=True),
            NumericalGap(number=2, answers=(NumericalAnswer(Decimal("-4"), Decimal("0.5"), HALF),)),
            ChoiceGap(number=3, choices=(Choice(1, "x"), Choice(2, "y", Fraction(1)))),
        ),
    ),
    Description(name="d", text="Прочитайте текст", text_format="plain"),
]


@pytest.mark.parametrize("question", SAMPLES, ids=lambda question: question.type)
def test_to_data_round_trips_through_json(question):
    data = json.loads(json.dumps(to_data(question)))
    assert data["type"] == question.type
    assert from_data(data) == question


def test_to_data_writes_exact_numbers_as_strings():
    data = to_data(SAMPLES[1])
    assert data["default_mark"] == "2.50"
    assert [choice["fraction"] for choice in data["choices"]] == ["1/2", "1/2", "-1"]
    assert to_data(SAMPLES[0])["category"] == "География/Россия"
    assert to_data(SAMPLES[7])["gaps"][1] == {
        "type": "numerical",
        "number": 2,
        "weight": 1,
        "answers": [{"value": "-4", "tolerance": "0.5", "fraction": "1/2", "feedback": ""}],
    }


def test_question_types_cover_the_api_names():
    assert set(QUESTION_TYPES) == {
        "single",
        "multiple",
        "truefalse",
        "shortanswer",
        "numerical",
        "matching",
        "essay",
        "cloze",
        "description",
    }


def _with(question, **changes):
    data = to_data(question)
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "data",
    [
        "not a dict",
        {"type": "poll", "name": "x", "text": "y"},
        {"name": "x", "text": "y"},
        _with(SAMPLES[6], name=None),
        _with(SAMPLES[6], text_format="rtf"),
        _with(SAMPLES[6], default_mark="lots"),
        _with(SAMPLES[6], default_mark=1),
        _with(SAMPLES[2], correct="yes"),
        _with(SAMPLES[0], choices={"1": "a"}),
        _with(SAMPLES[0], choices=[{"id": True, "text": "a", "fraction": "1"}] * 2),
        _with(SAMPLES[0], choices=[{"id": 1, "text": "a", "fraction": "half"}, {"id": 2, "text": "b"}]),
        _with(SAMPLES[0], choices=[{"id": 1, "text": "a"}, {"text": "b"}]),
        _with(SAMPLES[7], gaps=[{"type": "essay", "number": 1}]),
        _with(SAMPLES[7], gaps=["gap"]),
        _with(SAMPLES[0], choices=[{"id": 1, "text": "a", "fraction": "2"}, {"id": 2, "text": "b"}]),
    ],
    ids=lambda data: str(data)[:30],
)
def test_from_data_refuses_malformed_data(data):
    with pytest.raises(QuestionDataError):
        from_data(data)


def test_from_data_fills_missing_optional_fields_with_defaults():
    question = from_data({"type": "essay", "name": "e", "text": "t"})
    assert question == Essay(name="e", text="t")
    assert (
        question.default_mark == Decimal(1) and question.text_format == "moodle" and question.category is None
    )


def test_description_carries_no_mark_by_default():
    assert Description(name="d", text="t").default_mark == 0


TWO_LEFT = (LeftItem(1, "a", 1), LeftItem(2, "b", 1))


def _choice_question(*choices, kind=SingleChoice):
    return kind(name="q", text="t", choices=choices)


@pytest.mark.parametrize(
    "build",
    [
        lambda: Choice(1, "a", Fraction(3, 2)),
        lambda: Choice(1, "a", Fraction(-2)),
        lambda: Choice(1, "a", 0.5),
        lambda: Answer("a", Fraction(2)),
        lambda: NumericalAnswer(Decimal("NaN")),
        lambda: NumericalAnswer(Decimal(1), Decimal("-0.1")),
        lambda: _choice_question(Choice(1, "a", Fraction(1))),
        lambda: _choice_question(Choice(1, "a", Fraction(1)), Choice(1, "b")),
        lambda: _choice_question(Choice(1, "a", Fraction(1)), Choice(1, "b"), kind=MultipleChoice),
        lambda: _choice_question(Choice(1, "a", Fraction(1)), kind=MultipleChoice),
        lambda: Essay(name=" ", text="t"),
        lambda: Essay(name="n", text=""),
        lambda: Essay(name="n", text="t", text_format="rtf"),
        lambda: Essay(name="n", text="t", default_mark=Decimal(-1)),
        lambda: Essay(name="n", text="t", default_mark=Decimal("Infinity")),
        lambda: Essay(name="n", text="t", category=""),
        lambda: Essay(name="n", text="t", category=" A/B"),
        lambda: Essay(name="n", text="t", category="A\nB"),
        lambda: ShortAnswer(name="n", text="t", answers=()),
        lambda: Numerical(name="n", text="t", answers=()),
        lambda: Matching(name="n", text="t", left=(LeftItem(1, "a", 1),), right=(RightItem(1, "x"),)),
        lambda: Matching(
            name="n", text="t", left=(LeftItem(1, "a", 1), LeftItem(1, "b", 1)), right=(RightItem(1, "x"),)
        ),
        lambda: Matching(name="n", text="t", left=TWO_LEFT, right=(RightItem(1, "x"), RightItem(1, "y"))),
        lambda: Matching(name="n", text="t", left=TWO_LEFT, right=(RightItem(1, "x"), RightItem(2, "x"))),
        lambda: Matching(
            name="n", text="t", left=TWO_LEFT + (LeftItem(3, "c", 9),), right=(RightItem(1, "x"),)
        ),
        lambda: LeftItem(1, " ", 1),
        lambda: RightItem(1, ""),
        lambda: Choice(1, "  "),
        lambda: Answer(""),
        lambda: _choice_question(Choice(1, "a"), Choice(2, "b", Fraction(-1))),
        lambda: _choice_question(Choice(1, "a"), Choice(2, "b"), kind=MultipleChoice),
        lambda: ShortAnswer(name="n", text="t", answers=(Answer("a", Fraction(0)),)),
        lambda: Numerical(
            name="n", text="t", answers=(NumericalAnswer(Decimal(1), fraction=Fraction(-1, 2)),)
        ),
        lambda: ChoiceGap(number=1, choices=(Choice(1, "a"), Choice(2, "b"))),
        lambda: Cloze(name="n", text="no gaps", gaps=()),
        lambda: ShortAnswerGap(number=1, weight=0, answers=(Answer("a"),)),
        lambda: ShortAnswerGap(number=1, answers=()),
        lambda: NumericalGap(number=1, answers=()),
        lambda: ChoiceGap(number=1, choices=(Choice(1, "a", Fraction(1)),)),
        lambda: ChoiceGap(number=1, choices=(Choice(1, "a", Fraction(1)), Choice(1, "b"))),
        lambda: Cloze(name="n", text="{#2}", gaps=(ShortAnswerGap(number=2, answers=(Answer("a"),)),)),
        lambda: Cloze(name="n", text="{#1} {#1}", gaps=(ShortAnswerGap(number=1, answers=(Answer("a"),)),)),
        lambda: Cloze(
            name="n", text="no gaps here", gaps=(ShortAnswerGap(number=1, answers=(Answer("a"),)),)
        ),
    ],
)
def test_invalid_questions_are_refused(build):
    with pytest.raises(ValueError):
        build()


@pytest.mark.parametrize("question", SAMPLES, ids=lambda question: question.type)
def test_public_view_never_reveals_grading(question):
    text = json.dumps(public_view(question, shuffle_seed=7), ensure_ascii=False)
    for secret in ("fraction", "feedback", "correct", "right_id", "answers", "Верно", "Спасибо", "1/2"):
        assert secret not in text
    view = public_view(question, shuffle_seed=None)
    assert (view["type"], view["text"], view["text_format"]) == (
        question.type,
        question.text,
        question.text_format,
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            SAMPLES[0],
            {
                "choices": [
                    {"id": 1, "text": "Москва"},
                    {"id": 2, "text": "Тверь"},
                    {"id": 3, "text": "Казань"},
                ]
            },
        ),
        (SAMPLES[2], {"choices": []}),
        (SAMPLES[4], {"choices": []}),
        (
            SAMPLES[5],
            {
                "left": [{"id": 1, "text": "a"}, {"id": 2, "text": "b"}],
                "right": [{"id": 1, "text": "x"}, {"id": 2, "text": "y"}, {"id": 3, "text": "z"}],
            },
        ),
        (
            SAMPLES[7],
            {
                "gaps": [
                    {"number": 1, "type": "shortanswer", "choices": []},
                    {"number": 2, "type": "numerical", "choices": []},
                    {
                        "number": 3,
                        "type": "single",
                        "choices": [{"id": 1, "text": "x"}, {"id": 2, "text": "y"}],
                    },
                ]
            },
        ),
        (SAMPLES[8], {"choices": []}),
    ],
    ids=lambda value: getattr(value, "type", ""),
)
def test_public_view_keeps_the_authors_order_without_a_seed(question, expected):
    view = public_view(question, shuffle_seed=None)
    assert {key: view[key] for key in expected} == expected


def _order(view):
    if "left" in view:
        return [item["id"] for item in view["left"]], [item["id"] for item in view["right"]]
    return [choice["id"] for choice in view["choices"]]


def test_public_view_shuffles_deterministically_by_seed():
    question = MultipleChoice(
        name="q", text="t", choices=tuple(Choice(i, str(i), Fraction(1, 8)) for i in range(1, 9))
    )
    orders = {tuple(_order(public_view(question, shuffle_seed=seed))) for seed in range(5)}
    assert len(orders) > 1
    assert all(sorted(order) == list(range(1, 9)) for order in orders)
    assert _order(public_view(question, shuffle_seed=3)) == _order(public_view(question, shuffle_seed=3))
    matching = SAMPLES[5]
    assert _order(public_view(matching, shuffle_seed=11)) == _order(public_view(matching, shuffle_seed=11))
