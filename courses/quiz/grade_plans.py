"""Quiz room, pure core: each question's grading plan, built once per decoded question and then
applied to every answer to it (a contest's round grades the same 20 questions thousands of times).

A plan holds what the plain rules (courses/quiz/grading.py) recompute per answer: results per
choice id, compiled short-answer patterns, numerical intervals, and every fraction as an integer
over one common denominator, so sums and weights are integer arithmetic and a Fraction is made
(and cached) only for the final grade. Typed answers are remembered per question (pupils type the
same few). Answers of an unusual form (ids as strings like «01») take the plain shape checks, so
refusals are the same AnswerShapeError codes. tests/unit/test_quiz_grade_plans.py compares plans
with the plain rules.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Context, Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from math import lcm
from typing import Any, NamedTuple

from courses.quiz import answer_shapes as shapes
from courses.quiz.answer_shapes import AnswerShapeError
from courses.quiz.questions import (
    Answer,
    ChoiceGap,
    Cloze,
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
#: Enough precision that value ± tolerance is never rounded for any answer an author can type.
WIDE = Context(prec=1_000)
_PLANS_KEPT = 4096  # decoded questions with a plan (each plan keeps its question alive)
_TYPED_KEPT = 512  # typed answers remembered per question


class GradeResult(NamedTuple):
    """The grade of one answer: a fraction of the question's mark, whether a tutor must grade it, feedback."""

    fraction: Fraction
    needs_grading: bool = False
    feedback: str = ""


NOTHING = GradeResult(_ZERO)
Plan = Callable[[Any], GradeResult]
Outcome = tuple[int, str]  # a numerator over the plan's denominator, feedback


def clamped(fraction: Fraction) -> Fraction:
    """0..1, compared as integers (Fraction comparisons cost several times more)."""
    numerator = fraction.numerator
    if numerator < 0:
        return _ZERO
    return _ONE if numerator > fraction.denominator else fraction


@lru_cache(maxsize=8192)
def pattern(text: str, case_sensitive: bool) -> Callable[[str], bool]:
    """A matcher for an accepted short answer, compiled once: `*` matches anything, `\\*` is a star."""
    text = " ".join(text.split())
    if not case_sensitive:
        text = text.casefold()
    pieces = [""]
    position = 0
    while position < len(text):
        if text.startswith("\\*", position):
            pieces[-1] += "*"
            position += 2
            continue
        if text[position] == "*":
            pieces.append("")
        else:
            pieces[-1] += text[position]
        position += 1
    if len(pieces) == 1:
        return pieces[0].__eq__
    head, *middle, tail = pieces
    least = len(head) + len(tail)

    def matches(response: str) -> bool:
        # Leftmost greedy search is exact for patterns whose only metacharacter is `*`, and linear.
        if len(response) < least or not response.startswith(head) or not response.endswith(tail):
            return False
        position, end = len(head), len(response) - len(tail)
        for piece in middle:
            position = response.find(piece, position, end)
            if position < 0:
                return False
            position += len(piece)
        return True

    return matches


def parse_number(text: str) -> Decimal | None:
    """The number a student typed («3,5» and «3.5» alike, a typographic minus allowed), or None."""
    text = text.strip().replace(",", ".").replace("\u2212", "-")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def text_matcher(answers: tuple[Answer, ...], case_sensitive: bool) -> Callable[[str], GradeResult]:
    """Typed text → result: the first accepted answer that matches (spaces collapsed, case folded)."""
    tried = [
        (pattern(a.text, case_sensitive), GradeResult(clamped(a.fraction), False, a.feedback))
        for a in answers
    ]

    def grade(response: str) -> GradeResult:
        response = " ".join(response.split())
        if not response:
            return NOTHING
        if not case_sensitive:
            response = response.casefold()
        for matches, result in tried:
            if matches(response):
                return result
        return NOTHING

    return grade


def number_matcher(answers: tuple[NumericalAnswer, ...]) -> Callable[[str], GradeResult]:
    """Typed number → result: the best fraction among answers whose value ± tolerance holds it."""
    intervals = [
        (WIDE.subtract(a.value, a.tolerance), WIDE.add(a.value, a.tolerance), a.fraction, a) for a in answers
    ]

    def grade(response: str) -> GradeResult:
        number = parse_number(response)
        if number is None:
            return NOTHING
        best: NumericalAnswer | None = None
        for low, high, fraction, answer in intervals:
            if low <= number <= high and (best is None or fraction > best.fraction):
                best = answer
        return NOTHING if best is None else GradeResult(clamped(best.fraction), False, best.feedback)

    return grade


def typed(grade_text: Callable[[str], GradeResult], limit: int = shapes.MAX_SHORT_ANSWER_LENGTH) -> Plan:
    """A plan for a typed answer that remembers the results of the texts it has seen."""
    seen: dict[str, GradeResult] = {}

    def grade(raw: Any) -> GradeResult:
        if type(raw) is str:
            found = seen.get(raw)
            if found is not None:
                return found
        result = grade_text(shapes.text(raw, limit))
        if len(seen) < _TYPED_KEPT:
            seen[raw] = result
        return result

    return grade


def _lookup(known: dict[Any, Any], raw: Any, expected: str, unknown: str) -> Any:
    """`known[raw]` for an int or canonical string key; other spellings through the plain id check."""
    if type(raw) is int or type(raw) is str:
        found = known.get(raw)
        if found is not None:
            return found
    wanted = shapes._id(raw, expected)
    found = known.get(wanted)
    if found is None:
        raise AnswerShapeError(unknown)
    return found


def _keyed(items: dict[int, Any]) -> dict[Any, Any]:
    """Values by int id and by the id's decimal string (JSON object keys are strings)."""
    return {**items, **{str(key): value for key, value in items.items()}}


def _single(question: SingleChoice) -> Plan:
    results = {c.id: GradeResult(clamped(c.fraction), False, c.feedback) for c in question.choices}

    def grade(raw: Any) -> GradeResult:
        if type(raw) is int:
            found = results.get(raw)
            if found is not None:
                return found
        return results[shapes.choice(question.choices, raw).id]

    return grade


def _multiple(question: MultipleChoice) -> Plan:
    denominator = lcm(*(c.fraction.denominator for c in question.choices))
    numerators = {
        c.id: c.fraction.numerator * (denominator // c.fraction.denominator) for c in question.choices
    }
    with_feedback = [(c.id, c.feedback) for c in question.choices if c.feedback]
    seen: dict[frozenset[int], GradeResult] = {}  # by the set chosen: few sets are possible

    def grade(raw: Any) -> GradeResult:
        if type(raw) is list and all(type(item) is int for item in raw):
            wanted = frozenset(raw)
            found = seen.get(wanted)
            if found is not None:
                return found
            if not wanted <= numerators.keys():
                raise AnswerShapeError("unknown_choice")
        else:
            wanted = frozenset(c.id for c in shapes.chosen(question, raw))
        total = sum(numerators[i] for i in wanted)
        feedback = "\n".join(text for i, text in with_feedback if i in wanted) if with_feedback else ""
        result = GradeResult(clamped(Fraction(total, denominator)), False, feedback)
        if len(seen) < _TYPED_KEPT:
            seen[wanted] = result
        return result

    return grade


def _truefalse(question: TrueFalse) -> Plan:
    right = GradeResult(_ONE, False, question.feedback_true if question.correct else question.feedback_false)
    wrong = GradeResult(_ZERO, False, question.feedback_false if question.correct else question.feedback_true)

    def grade(raw: Any) -> GradeResult:
        if type(raw) is not bool:
            raise AnswerShapeError("expected_bool")
        return right if raw == question.correct else wrong

    return grade


def _essay(question: Essay) -> Plan:
    # A blank essay has nothing for a tutor to read: it scores 0 like any unanswered question.
    waits, blank = GradeResult(_ZERO, True), GradeResult(_ZERO, False)
    return lambda raw: waits if shapes.text(raw, shapes.MAX_ESSAY_LENGTH).strip() else blank


def _matching(question: Matching) -> Plan:
    lefts = _keyed({item.id: item.id for item in question.left})
    rights = _keyed({item.id: item.id for item in question.right})
    correct = {item.id: item.right_id for item in question.left}
    results = [GradeResult(Fraction(k, len(question.left))) for k in range(len(question.left) + 1)]

    def grade(raw: Any) -> GradeResult:
        if type(raw) is not dict:
            raise AnswerShapeError("expected_matches")
        got = {}
        for raw_left, raw_right in raw.items():
            left = _lookup(lefts, raw_left, "expected_left", "unknown_left")
            if raw_right is not None:
                got[left] = _lookup(rights, raw_right, "expected_right", "unknown_right")
        return results[sum(1 for left, right in got.items() if correct[left] == right)]

    return grade


def _cloze(question: Cloze) -> Plan:
    """Gap outcomes as integers over one denominator, weighted and summed as integers."""
    denominator = 1
    for gap in question.gaps:
        options = gap.choices if isinstance(gap, ChoiceGap) else gap.answers
        denominator = lcm(denominator, *(clamped(o.fraction).denominator for o in options))

    def outcome(result: GradeResult, weight: int) -> Outcome:
        fraction = result.fraction
        return weight * fraction.numerator * (denominator // fraction.denominator), result.feedback

    graders: dict[int, Callable[[Any], Outcome]] = {}
    for gap in question.gaps:
        graders[gap.number] = _gap_grader(gap, outcome)
    by_key = _keyed({number: number for number in graders})
    total_weight = denominator * sum(gap.weight for gap in question.gaps)
    fractions: dict[int, Fraction] = {}

    def grade(raw: Any) -> GradeResult:
        if type(raw) is not dict:
            raise AnswerShapeError("expected_gaps")
        picked: dict[int, Outcome] = {}
        for raw_number, value in raw.items():
            number = _lookup(by_key, raw_number, "expected_gap", "unknown_gap")
            if value is not None:
                picked[number] = graders[number](value)
        total = sum(points for points, _feedback in picked.values())
        fraction = fractions.get(total)
        if fraction is None:
            fraction = fractions[total] = clamped(Fraction(total, total_weight))
        feedback = "\n".join(picked[n][1] for n in sorted(picked) if picked[n][1])
        return GradeResult(fraction, False, feedback)

    return grade


def _gap_grader(
    gap: ShortAnswerGap | NumericalGap | ChoiceGap, outcome: Callable[[GradeResult, int], Outcome]
) -> Callable[[Any], Outcome]:
    if isinstance(gap, ChoiceGap):
        choices = gap.choices
        outcomes = {
            c.id: outcome(GradeResult(clamped(c.fraction), False, c.feedback), gap.weight) for c in choices
        }
        return lambda raw: outcomes[shapes.choice(choices, raw).id]
    matcher = (
        number_matcher(gap.answers)
        if isinstance(gap, NumericalGap)
        else text_matcher(gap.answers, gap.case_sensitive)
    )
    plan = typed(matcher)
    seen: dict[int, Outcome] = {}  # by the result's identity: the matchers return kept objects

    def grade(raw: Any) -> Outcome:
        result = plan(raw)
        found = seen.get(id(result))
        if found is None:
            found = seen[id(result)] = outcome(result, gap.weight)
        return found

    return grade


_BUILDERS: dict[type, Callable[[Any], Plan]] = {
    SingleChoice: _single,
    MultipleChoice: _multiple,
    TrueFalse: _truefalse,
    Matching: _matching,
    Cloze: _cloze,
    Essay: _essay,
    ShortAnswer: lambda question: typed(text_matcher(question.answers, question.case_sensitive)),
    Numerical: lambda question: typed(number_matcher(question.answers)),
}
_plans: dict[int, tuple[Question, Plan]] = {}


def plan_for(question: Question, plain: Callable[[Question, Any], GradeResult]) -> Plan:
    """The question's plan, built on first use (kept per decoded question object; the entry holds the
    question, so its id is never reused while the plan is kept). `plain` grades types without one."""
    found = _plans.get(id(question))
    if found is not None and found[0] is question:
        return found[1]
    builder = _BUILDERS.get(type(question))
    if builder is None:
        return lambda raw: plain(question, raw)
    plan = builder(question)
    if len(_plans) >= _PLANS_KEPT:
        _plans.clear()
    _plans[id(question)] = (question, plan)
    return plan
