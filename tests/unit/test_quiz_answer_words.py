"""Answers in words (courses.quiz.answer_words): what the review shows as the right answer."""

from __future__ import annotations

from fractions import Fraction

from courses.quiz.answer_words import right_answer
from courses.quiz.gift_read import parse_gift


def test_a_cloze_choice_gap_shows_its_best_choice_whatever_its_position() -> None:
    parsed = parse_gift("::Небо::Небо {1:MC:~зелёное~=синее~%50%голубое}.")
    assert not parsed.errors
    question = parsed.questions[0][0]
    assert right_answer(question) == "1: синее"


def test_the_first_of_equal_best_choices_is_shown() -> None:
    parsed = parse_gift("::Цвет::Цвет {1:MC:~красный~%100%синий~%100%голубой}.")
    assert not parsed.errors
    question = parsed.questions[0][0]
    assert [c.fraction for c in question.gaps[0].choices] == [Fraction(0), Fraction(1), Fraction(1)]
    assert right_answer(question) == "1: синий"
