"""Quiz room, pure core: the shape of a student's answer per question type (API.md, answer shapes) —
checked and brought to its stored form; a wrong shape is an AnswerShapeError with a code."""

from collections.abc import Callable
from typing import Any

from courses.quiz.questions import (
    Choice,
    ChoiceGap,
    Cloze,
    Description,
    Essay,
    Matching,
    MultipleChoice,
    Numerical,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)

#: Longest short, numerical or gap answer accepted; also bounds the cost of wildcard matching.
MAX_SHORT_ANSWER_LENGTH = 1_000
#: Longest essay accepted (about fifteen thousand words).
MAX_ESSAY_LENGTH = 100_000

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


def _id(raw: Any, code: str) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        try:
            return int(raw)
        except ValueError:
            pass
    raise AnswerShapeError(code)


def text(raw: Any, limit: int = MAX_SHORT_ANSWER_LENGTH) -> str:
    """A typed answer, at most `limit` characters."""
    if not isinstance(raw, str):
        raise AnswerShapeError("expected_text")
    if len(raw) > limit:
        raise AnswerShapeError("too_long")
    return raw


def choice(choices: tuple[Choice, ...], raw: Any) -> Choice:
    """The chosen one of `choices` by its id."""
    wanted = _id(raw, "expected_choice")
    for choice in choices:
        if choice.id == wanted:
            return choice
    raise AnswerShapeError("unknown_choice")


def chosen(question: MultipleChoice, raw: Any) -> list[Choice]:
    """The chosen choices of a multiple choice question, in the author's order."""
    if not isinstance(raw, list | tuple):
        raise AnswerShapeError("expected_choice_list")
    wanted = {_id(item, "expected_choice_list") for item in raw}
    chosen = [choice for choice in question.choices if choice.id in wanted]
    if len(chosen) != len(wanted):
        raise AnswerShapeError("unknown_choice")
    return chosen


def truth(raw: Any) -> bool:
    """A true/false answer (only a JSON boolean)."""
    if not isinstance(raw, bool):
        raise AnswerShapeError("expected_bool")
    return raw


def matches(question: Matching, raw: Any) -> dict[int, int]:
    """{left id: right id}, unmatched left items left out."""
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


def gap_answers(question: Cloze, raw: Any) -> dict[int, int | str]:
    """{gap number: choice id or text}, empty gaps left out."""
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
        answers[number] = choice(gap.choices, value).id if isinstance(gap, ChoiceGap) else text(value)
    return dict(sorted(answers.items()))


def no_answer(question: Question, raw: Any) -> None:
    """A description takes no answer at all."""
    raise AnswerShapeError("no_answer")


_NORMALISERS: dict[type, Callable[[Any, Any], Any]] = {
    SingleChoice: lambda question, raw: choice(question.choices, raw).id,
    MultipleChoice: lambda question, raw: sorted(choice.id for choice in chosen(question, raw)),
    TrueFalse: lambda question, raw: truth(raw),
    ShortAnswer: lambda question, raw: text(raw),
    Numerical: lambda question, raw: text(raw),
    Matching: matches,
    Essay: lambda question, raw: text(raw, MAX_ESSAY_LENGTH),
    Cloze: gap_answers,
    Description: no_answer,
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
