"""Quiz room, pure core: grading a student's answer exactly (its shape is answer_shapes' business).

Every grade is a Fraction within 0..1 (a negative choice weight can lower a multiple choice sum or
a cloze gap, never the question below 0). `grade` accepts raw or already validated answers, so a
stored answer can be graded straight from its JSON.
"""

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from courses.quiz import answer_shapes as shapes
from courses.quiz.grade_plans import NOTHING, WIDE, GradeResult, clamped, pattern, plan_for
from courses.quiz.grade_plans import parse_number as parse_number
from courses.quiz.questions import (
    Answer,
    ChoiceGap,
    Cloze,
    Description,
    Essay,
    Matching,
    MultipleChoice,
    Numerical,
    NumericalAnswer,
    NumericalGap,
    Question,
    ShortAnswer,
    ShortAnswerGap,
    SingleChoice,
    TrueFalse,
)

_ZERO = Fraction(0)
_ONE = Fraction(1)


def is_graded(question: Question) -> bool:
    """Whether the question carries a mark at all (a description does not)."""
    return not isinstance(question, Description)


def mark(question_mark: Decimal, fraction: Fraction) -> Decimal:
    """Points earned: `question_mark` × `fraction`, exact when it terminates, else rounded to 7 places."""
    points = Fraction(question_mark) * fraction
    exact = WIDE.divide(Decimal(points.numerator), Decimal(points.denominator))
    if Fraction(exact) == points:
        return exact
    return Decimal(round(points * 10**7)).scaleb(-7)


# --- the plain rules (grade_plans.py builds each question's plan from the same rules) -------------


def _grade_text(answers: tuple[Answer, ...], case_sensitive: bool, response: str) -> GradeResult:
    response = " ".join(response.split())
    if not response:
        return NOTHING
    if not case_sensitive:
        response = response.casefold()
    for answer in answers:
        if pattern(answer.text, case_sensitive)(response):
            return GradeResult(clamped(answer.fraction), False, answer.feedback)
    return NOTHING


def _grade_number(answers: tuple[NumericalAnswer, ...], response: str) -> GradeResult:
    number = parse_number(response)
    if number is None:
        return NOTHING
    best: NumericalAnswer | None = None
    for answer in answers:
        low = WIDE.subtract(answer.value, answer.tolerance)
        high = WIDE.add(answer.value, answer.tolerance)
        if low <= number <= high and (best is None or answer.fraction > best.fraction):
            best = answer
    return NOTHING if best is None else GradeResult(clamped(best.fraction), False, best.feedback)


def _grade_single(question: SingleChoice, raw: Any) -> GradeResult:
    choice = shapes.choice(question.choices, raw)
    return GradeResult(clamped(choice.fraction), False, choice.feedback)


def _grade_multiple(question: MultipleChoice, raw: Any) -> GradeResult:
    chosen = shapes.chosen(question, raw)
    total = sum((choice.fraction for choice in chosen), _ZERO)
    feedback = "\n".join(choice.feedback for choice in chosen if choice.feedback)
    return GradeResult(clamped(total), False, feedback)


def _grade_truefalse(question: TrueFalse, raw: Any) -> GradeResult:
    answer = shapes.truth(raw)
    return GradeResult(
        _ONE if answer == question.correct else _ZERO,
        False,
        question.feedback_true if answer else question.feedback_false,
    )


def _grade_matching(question: Matching, raw: Any) -> GradeResult:
    matches = shapes.matches(question, raw)
    right = sum(1 for item in question.left if matches.get(item.id) == item.right_id)
    return GradeResult(Fraction(right, len(question.left)))


def _grade_essay(question: Essay, raw: Any) -> GradeResult:
    # A blank essay has nothing for a tutor to read: it scores 0 like any unanswered question.
    return GradeResult(_ZERO, bool(shapes.text(raw, shapes.MAX_ESSAY_LENGTH).strip()))


def _grade_cloze(question: Cloze, raw: Any) -> GradeResult:
    answers = shapes.gap_answers(question, raw)
    total = _ZERO
    feedback = []
    for gap in question.gaps:
        answer = answers.get(gap.number)
        if answer is None:
            continue
        if isinstance(gap, ChoiceGap):
            result = _grade_single_gap(gap, answer)
        elif isinstance(gap, NumericalGap):
            result = _grade_number(gap.answers, str(answer))
        else:
            assert isinstance(gap, ShortAnswerGap)
            result = _grade_text(gap.answers, gap.case_sensitive, str(answer))
        total += gap.weight * result.fraction
        if result.feedback:
            feedback.append(result.feedback)
    weights = sum(gap.weight for gap in question.gaps)
    return GradeResult(clamped(total / weights), False, "\n".join(feedback))


def _grade_single_gap(gap: ChoiceGap, answer: Any) -> GradeResult:
    choice = shapes.choice(gap.choices, answer)
    return GradeResult(clamped(choice.fraction), False, choice.feedback)


_GRADERS: dict[type, Callable[[Any, Any], GradeResult]] = {
    SingleChoice: _grade_single,
    MultipleChoice: _grade_multiple,
    TrueFalse: _grade_truefalse,
    ShortAnswer: lambda question, raw: _grade_text(
        question.answers, question.case_sensitive, shapes.text(raw)
    ),
    Numerical: lambda question, raw: _grade_number(question.answers, shapes.text(raw)),
    Matching: _grade_matching,
    Essay: _grade_essay,
    Cloze: _grade_cloze,
    Description: lambda question, raw: shapes.no_answer(question, raw),
}


def grade_plainly(question: Question, answer: Any) -> GradeResult:
    """The rules as written (what `grade` gives, without its per-question plan; tests compare them)."""
    if answer is None:
        return NOTHING
    return _GRADERS[type(question)](question, answer)


def grade(question: Question, answer: Any) -> GradeResult:
    """Grade one answer (raw or validated; None means unanswered and scores 0).

    Rules: single — the chosen fraction; multiple — chosen fractions summed and clamped to 0..1;
    truefalse — all or nothing; shortanswer — the first accepted answer that matches (spaces
    collapsed, case ignored unless case_sensitive, `*` wildcard); numerical — the best fraction among
    answers whose value ± tolerance holds the number, anything not a number scores 0; matching — the
    share of left items matched right; essay — 0 and needs grading; cloze — gap fractions averaged by
    gap weight; description — no answer, no mark. Raises AnswerShapeError for a wrong shape.
    """
    if answer is None:
        return NOTHING
    return plan_for(question, grade_plainly)(answer)
