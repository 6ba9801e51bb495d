"""Quiz room, pure core: checking the shape of a student's answer and grading it exactly.

Every grade is a Fraction within 0..1 (a negative choice weight can lower a multiple choice sum or
a cloze gap, never the question below 0). `grade` accepts raw or already validated answers, so a
stored answer can be graded straight from its JSON.
"""

from collections.abc import Callable
from decimal import Context, Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from typing import Any, NamedTuple

from courses.quiz.questions import (
    Answer,
    Choice,
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

#: Longest short, numerical or gap answer accepted; also bounds the cost of wildcard matching.
MAX_SHORT_ANSWER_LENGTH = 1_000
#: Longest essay accepted (about fifteen thousand words).
MAX_ESSAY_LENGTH = 100_000

_ZERO = Fraction(0)
_ONE = Fraction(1)
#: Enough precision that value ± tolerance is never rounded for any answer an author can type.
_WIDE = Context(prec=1_000)


#: Each answer-shape problem's code and its English text (for logs and tests; the user's wording
#: comes from courses/quiz/messages.py, keyed by the code, so rewording here changes nothing shown).
SHAPE_PROBLEMS: dict[str, str] = {
    "expected_text": "Expected text.",
    "too_long": "The answer is too long.",
    "expected_choice": "Expected a choice id.",
    "unknown_choice": "Unknown choice id.",
    "expected_choice_list": "Expected a list of choice ids.",
    "expected_bool": "Expected true or false.",
    "expected_matches": "Expected an object mapping left item ids to right item ids.",
    "expected_left": "Expected a left item id.",
    "unknown_left": "Unknown left item id.",
    "expected_right": "Expected a right item id.",
    "unknown_right": "Unknown right item id.",
    "expected_gaps": "Expected an object mapping gap numbers to answers.",
    "expected_gap": "Expected a gap number.",
    "unknown_gap": "Unknown gap number.",
    "no_answer": "This question takes no answer.",
}


class AnswerShapeError(ValueError):
    """The answer does not have the shape its question type takes (see API.md, answer shapes).

    `code` names the problem and `field` is always the answer; `message` is the English text."""

    field = "answer"

    def __init__(self, code: str) -> None:
        message = SHAPE_PROBLEMS[code]
        super().__init__(message)
        self.code, self.message = code, message


class GradeResult(NamedTuple):
    """The grade of one answer: a fraction of the question's mark, whether a tutor must grade it, feedback."""

    fraction: Fraction
    needs_grading: bool = False
    feedback: str = ""


_NOTHING = GradeResult(_ZERO)


def is_graded(question: Question) -> bool:
    """Whether the question carries a mark at all (a description does not)."""
    return not isinstance(question, Description)


def mark(question_mark: Decimal, fraction: Fraction) -> Decimal:
    """Points earned: `question_mark` × `fraction`, exact when it terminates, else rounded to 7 places."""
    points = Fraction(question_mark) * fraction
    exact = _WIDE.divide(Decimal(points.numerator), Decimal(points.denominator))
    if Fraction(exact) == points:
        return exact
    return Decimal(round(points * 10**7)).scaleb(-7)


# --- shapes ---------------------------------------------------------------------------------------


def _id(raw: Any, code: str) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        try:
            return int(raw)
        except ValueError:
            pass
    raise AnswerShapeError(code)


def _text(raw: Any, limit: int = MAX_SHORT_ANSWER_LENGTH) -> str:
    if not isinstance(raw, str):
        raise AnswerShapeError("expected_text")
    if len(raw) > limit:
        raise AnswerShapeError("too_long")
    return raw


def _choice(choices: tuple[Choice, ...], raw: Any) -> Choice:
    wanted = _id(raw, "expected_choice")
    for choice in choices:
        if choice.id == wanted:
            return choice
    raise AnswerShapeError("unknown_choice")


def _chosen(question: MultipleChoice, raw: Any) -> list[Choice]:
    if not isinstance(raw, list | tuple):
        raise AnswerShapeError("expected_choice_list")
    wanted = {_id(item, "expected_choice_list") for item in raw}
    chosen = [choice for choice in question.choices if choice.id in wanted]
    if len(chosen) != len(wanted):
        raise AnswerShapeError("unknown_choice")
    return chosen


def _truth(raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise AnswerShapeError("expected_bool")
    return raw


def _matches(question: Matching, raw: Any) -> dict[int, int]:
    if not isinstance(raw, dict):
        raise AnswerShapeError("expected_matches")
    left_ids = {item.id for item in question.left}
    right_ids = {item.id for item in question.right}
    matches = {}
    for raw_left, raw_right in raw.items():
        left = _id(raw_left, "expected_left")
        if left not in left_ids:
            raise AnswerShapeError("unknown_left")
        if raw_right is None:
            continue
        right = _id(raw_right, "expected_right")
        if right not in right_ids:
            raise AnswerShapeError("unknown_right")
        matches[left] = right
    return dict(sorted(matches.items()))


def _gap_answers(question: Cloze, raw: Any) -> dict[int, int | str]:
    if not isinstance(raw, dict):
        raise AnswerShapeError("expected_gaps")
    answers: dict[int, int | str] = {}
    for raw_number, value in raw.items():
        number = _id(raw_number, "expected_gap")
        if not 1 <= number <= len(question.gaps):
            raise AnswerShapeError("unknown_gap")
        if value is None:
            continue
        gap = question.gaps[number - 1]
        answers[number] = _choice(gap.choices, value).id if isinstance(gap, ChoiceGap) else _text(value)
    return dict(sorted(answers.items()))


def _no_answer(question: Question, raw: Any) -> None:
    raise AnswerShapeError("no_answer")


_NORMALISERS: dict[type, Callable[[Any, Any], Any]] = {
    SingleChoice: lambda question, raw: _choice(question.choices, raw).id,
    MultipleChoice: lambda question, raw: sorted(choice.id for choice in _chosen(question, raw)),
    TrueFalse: lambda question, raw: _truth(raw),
    ShortAnswer: lambda question, raw: _text(raw),
    Numerical: lambda question, raw: _text(raw),
    Matching: _matches,
    Essay: lambda question, raw: _text(raw, MAX_ESSAY_LENGTH),
    Cloze: _gap_answers,
    Description: _no_answer,
}


def validate_answer(question: Question, raw: Any) -> Any:
    """The answer in its stored form (JSON-safe; None when unanswered), or AnswerShapeError.

    Shapes: single → choice id; multiple → sorted unique choice ids; truefalse → bool; shortanswer,
    numerical, essay → the text as typed; matching → {left id: right id}; cloze → {gap number:
    choice id or text}. Ids may arrive as int or decimal strings; null matches and gaps are dropped.
    """
    if raw is None:
        return None
    return _NORMALISERS[type(question)](question, raw)


# --- grading --------------------------------------------------------------------------------------


def _clamped(fraction: Fraction) -> Fraction:
    return _ZERO if fraction < 0 else _ONE if fraction > 1 else fraction


@lru_cache(maxsize=8192)
def _pattern(text: str, case_sensitive: bool) -> Callable[[str], bool]:
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


def _grade_text(answers: tuple[Answer, ...], case_sensitive: bool, response: str) -> GradeResult:
    response = " ".join(response.split())
    if not response:
        return _NOTHING
    if not case_sensitive:
        response = response.casefold()
    for answer in answers:
        if _pattern(answer.text, case_sensitive)(response):
            return GradeResult(_clamped(answer.fraction), False, answer.feedback)
    return _NOTHING


def parse_number(text: str) -> Decimal | None:
    """The number a student typed («3,5» and «3.5» alike, a typographic minus allowed), or None."""
    text = text.strip().replace(",", ".").replace("\u2212", "-")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _grade_number(answers: tuple[NumericalAnswer, ...], response: str) -> GradeResult:
    number = parse_number(response)
    if number is None:
        return _NOTHING
    best: NumericalAnswer | None = None
    for answer in answers:
        low = _WIDE.subtract(answer.value, answer.tolerance)
        high = _WIDE.add(answer.value, answer.tolerance)
        if low <= number <= high and (best is None or answer.fraction > best.fraction):
            best = answer
    return _NOTHING if best is None else GradeResult(_clamped(best.fraction), False, best.feedback)


def _grade_single(question: SingleChoice, raw: Any) -> GradeResult:
    choice = _choice(question.choices, raw)
    return GradeResult(_clamped(choice.fraction), False, choice.feedback)


def _grade_multiple(question: MultipleChoice, raw: Any) -> GradeResult:
    chosen = _chosen(question, raw)
    total = sum((choice.fraction for choice in chosen), _ZERO)
    feedback = "\n".join(choice.feedback for choice in chosen if choice.feedback)
    return GradeResult(_clamped(total), False, feedback)


def _grade_truefalse(question: TrueFalse, raw: Any) -> GradeResult:
    answer = _truth(raw)
    return GradeResult(
        _ONE if answer == question.correct else _ZERO,
        False,
        question.feedback_true if answer else question.feedback_false,
    )


def _grade_matching(question: Matching, raw: Any) -> GradeResult:
    matches = _matches(question, raw)
    right = sum(1 for item in question.left if matches.get(item.id) == item.right_id)
    return GradeResult(Fraction(right, len(question.left)))


def _grade_essay(question: Essay, raw: Any) -> GradeResult:
    # A blank essay has nothing for a tutor to read: it scores 0 like any unanswered question.
    return GradeResult(_ZERO, bool(_text(raw, MAX_ESSAY_LENGTH).strip()))


def _grade_cloze(question: Cloze, raw: Any) -> GradeResult:
    answers = _gap_answers(question, raw)
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
    return GradeResult(_clamped(total / weights), False, "\n".join(feedback))


def _grade_single_gap(gap: ChoiceGap, answer: Any) -> GradeResult:
    choice = _choice(gap.choices, answer)
    return GradeResult(_clamped(choice.fraction), False, choice.feedback)


_GRADERS: dict[type, Callable[[Any, Any], GradeResult]] = {
    SingleChoice: _grade_single,
    MultipleChoice: _grade_multiple,
    TrueFalse: _grade_truefalse,
    ShortAnswer: lambda question, raw: _grade_text(question.answers, question.case_sensitive, _text(raw)),
    Numerical: lambda question, raw: _grade_number(question.answers, _text(raw)),
    Matching: _grade_matching,
    Essay: _grade_essay,
    Cloze: _grade_cloze,
    Description: lambda question, raw: _no_answer(question, raw),
}


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
        return _NOTHING
    return _GRADERS[type(question)](question, answer)
