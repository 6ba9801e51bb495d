"""Grading plans (courses/quiz/grade_plans.py) give exactly what the plain rules give — the same
fraction, feedback and tutor flag, or the same refusal — for right, wrong and ill-shaped answers,
including the second time an answer is seen (the remembered results)."""

import random
from fractions import Fraction
from typing import Any

import pytest

from courses.quiz import grade_plans
from courses.quiz.answer_shapes import AnswerShapeError
from courses.quiz.grading import grade, grade_plainly
from courses.quiz.questions import (
    Answer,
    Choice,
    ChoiceGap,
    Cloze,
    MultipleChoice,
    NumericalGap,
    Question,
    SingleChoice,
)
from tests.unit.test_quiz_grading import (
    CASED,
    CASED_GAP,
    CLOZE,
    DESCRIPTION,
    ESSAY,
    FALSE,
    GENEROUS,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    SHORT,
    SINGLE,
    TRUE,
)

THIRDS = MultipleChoice(
    name="th",
    text="t",
    choices=(
        Choice(1, "a", Fraction(1, 3), "a!"),
        Choice(2, "b", Fraction(1, 7)),
        Choice(3, "c", Fraction(-2, 5)),
    ),
)
WEIGHTED = Cloze(
    name="w",
    text="{#1} {#2}",
    gaps=(
        ChoiceGap(number=1, weight=3, choices=(Choice(1, "x", Fraction(1, 3)), Choice(2, "y", Fraction(-1)))),
        NumericalGap(number=2, weight=2, answers=NUMERICAL.answers),
    ),
)
QUESTIONS: list[Question] = [
    SINGLE,
    MULTIPLE,
    GENEROUS,
    THIRDS,
    TRUE,
    FALSE,
    SHORT,
    CASED,
    NUMERICAL,
    MATCHING,
    ESSAY,
    DESCRIPTION,
    CLOZE,
    CASED_GAP,
    WEIGHTED,
]
ODD: list[Any] = [
    None,
    True,
    False,
    1.0,
    "01",
    " 2",
    "+3",
    "x",
    "",
    [],
    {},
    [1, "2"],
    [True],
    ["01"],
    99,
    -1,
    "  ",
    2**70,
]
TEXTS = ["Paris", " paris ", "PARIS", "Парижж", "Париж", "H2O", "h2o", "a * b", "a \\* b", "3,14", "3.1416",
         "−3", "4", "4.6", "три", "x" * 1_001, "NaCl", "nacl", "   "]  # fmt: skip


def _answers(rng: random.Random) -> list[Any]:
    """Plausible and ill-shaped answers of every kind."""
    ids: list[Any] = [1, 2, 3, 4, "1", "2", "3", "4", "04", 5, True, None, 1.5]
    found: list[Any] = list(ODD) + TEXTS
    for _ in range(60):
        found.append(rng.choice(ids))
        found.append([rng.choice(ids) for _ in range(rng.randint(0, 4))])
        found.append(
            {rng.choice(ids): rng.choice(ids) for _ in range(rng.randint(0, 4)) if rng.random() < 0.9}
        )
        found.append({rng.choice([1, 2, 3, "1", "2", "3", "03", 4, 0]): rng.choice(TEXTS + ids)})
        found.append(
            {str(n): rng.choice(TEXTS + ids) for n in (1, 2, 3) if rng.random() < 0.8}
            | ({n: rng.choice(TEXTS) for n in (1,)} if rng.random() < 0.3 else {})
        )
    return found


def _outcome(function: Any, question: Question, answer: Any) -> Any:
    try:
        result = function(question, answer)
    except AnswerShapeError as error:
        return ("refused", error.code)
    assert type(result.fraction) is Fraction
    return tuple(result)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.name)
def test_plans_grade_every_answer_as_the_plain_rules_do(question: Question) -> None:
    rng = random.Random(question.name)
    for answer in _answers(rng):
        plain = _outcome(grade_plainly, question, answer)
        assert _outcome(grade, question, answer) == plain, answer
        assert _outcome(grade, question, answer) == plain, answer  # remembered the second time


def test_a_question_decoded_anew_gets_its_own_plan() -> None:
    first = SingleChoice(name="a", text="t", choices=(Choice(1, "a", Fraction(1)), Choice(2, "b")))
    changed = SingleChoice(name="a", text="t", choices=(Choice(1, "a"), Choice(2, "b", Fraction(1))))
    assert grade(first, 1).fraction == 1
    assert grade(changed, 1).fraction == 0 and grade(changed, 2).fraction == 1
    assert grade(first, 1).fraction == 1


def test_the_kept_plans_are_bounded() -> None:
    for n in range(grade_plans._PLANS_KEPT + 10):
        question = SingleChoice(name=str(n), text="t", choices=(Choice(1, "a", Fraction(1)), Choice(2, "b")))
        assert grade(question, 1).fraction == 1
    assert len(grade_plans._plans) <= grade_plans._PLANS_KEPT


def test_remembered_typed_answers_are_bounded() -> None:
    question = Cloze(name="b", text="{#1}", gaps=(NumericalGap(number=1, answers=NUMERICAL.answers),))
    for n in range(grade_plans._TYPED_KEPT * 2):
        assert grade(question, {"1": f"{n + 10}"}).fraction == 0
    assert grade(question, {"1": "3,1416"}) == grade_plainly(question, {"1": "3,1416"})
    assert grade(SHORT, "Paris") == grade_plainly(SHORT, "Paris")
    assert isinstance(SHORT.answers[0], Answer)
