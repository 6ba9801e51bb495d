"""Quiz rules: one grade per grading method (exact, and rounded for the gradebook), settings problems
by code, and a wording for every code the pure quiz modules raise."""

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from courses.quiz import messages
from courses.quiz.answer_shapes import SHAPE_PROBLEMS
from courses.quiz.gift_syntax import GiftCode
from courses.quiz.rules import FinishedAttempt, exact_quiz_grade, quiz_grade, settings_problems

ATTEMPTS = [
    FinishedAttempt(1, Decimal(2), Decimal(3)),
    FinishedAttempt(2, Decimal(1), Decimal(3)),
    FinishedAttempt(3, Decimal(3), Decimal(3)),
]


@pytest.mark.parametrize(
    ("method", "exact", "rounded"),
    [
        ("highest", Fraction(10), Decimal("10.00")),
        ("average", Fraction(20, 3), Decimal("6.67")),
        ("first", Fraction(20, 3), Decimal("6.67")),
        ("last", Fraction(10), Decimal("10.00")),
    ],
)
def test_quiz_grade_is_the_exact_grade_rounded(method, exact, rounded):
    assert exact_quiz_grade(ATTEMPTS, method, Decimal(10)) == exact
    assert quiz_grade(ATTEMPTS, method, Decimal(10)) == rounded


def test_no_attempts_give_no_grade_and_an_unknown_method_is_refused():
    assert exact_quiz_grade([], "average", Decimal(10)) is None
    assert quiz_grade([], "average", Decimal(10)) is None
    with pytest.raises(ValueError):
        exact_quiz_grade(ATTEMPTS, "median", Decimal(10))


def test_settings_problems_name_the_field_and_a_code():
    now = datetime(2026, 3, 2, tzinfo=UTC)
    problems = settings_problems(
        {
            "title": " ",
            "opens_at": now,
            "closes_at": now,
            "time_limit_minutes": 0,
            "attempts_allowed": 1001,
            "grading_method": "median",
            "review_when": "soon",
            "max_grade": Decimal(0),
        }
    )
    assert problems == {
        "title": "no_title",
        "closes_at": "closes_before_opens",
        "time_limit_minutes": "time_limit_range",
        "attempts_allowed": "attempts_range",
        "grading_method": "unknown_grading_method",
        "review_when": "unknown_review_option",
        "max_grade": "max_grade_range",
    }
    assert settings_problems({"title": "Тест", "max_grade": Decimal(10), "attempts_allowed": None}) == {}


def test_every_code_has_a_wording():
    assert set(messages.ANSWER_SHAPE) == set(SHAPE_PROBLEMS)
    assert set(messages.GIFT) == set(GiftCode)
    assert {
        "no_title",
        "closes_before_opens",
        "time_limit_range",
        "attempts_range",
        "unknown_grading_method",
        "unknown_review_option",
        "max_grade_range",
    } == set(messages.QUIZ_SETTINGS)
