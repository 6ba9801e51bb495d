"""Question bank room, pure core: the canonical question types, their JSON form and the student's view."""

import random
import re
import types
from dataclasses import dataclass, fields, is_dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache
from typing import Any, ClassVar, Literal, Union, get_args, get_origin, get_type_hints

QuestionType = Literal[
    "single", "multiple", "truefalse", "shortanswer", "numerical", "matching", "essay", "cloze", "description"
]
TextFormat = Literal["markdown", "html", "plain", "moodle"]
GapType = Literal["shortanswer", "numerical", "single"]

#: Where a cloze gap sits in the question text: ``{#1}`` for gap number 1.
GAP_PLACEHOLDER = re.compile(r"\{#(\d+)\}")

_ONE = Fraction(1)
_ZERO = Fraction(0)


class QuestionDataError(ValueError):
    """Stored question data cannot become a question (unknown type, missing or malformed field)."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _check_fraction(fraction: Fraction) -> None:
    _require(isinstance(fraction, Fraction), "a fraction must be a Fraction")
    _require(-1 <= fraction <= 1, "a fraction must lie between -1 and 1")


def _check_text(text: str) -> None:
    _require(bool(text.strip()), "an answer or item needs text")


def _check_some_marks(answers: tuple[Any, ...]) -> None:
    _require(any(answer.fraction > 0 for answer in answers), "some answer must give marks")


def _check_unique_ids(items: tuple[Any, ...], what: str) -> None:
    ids = [item.id for item in items]
    _require(len(set(ids)) == len(ids), f"{what} ids must be unique")


@dataclass(frozen=True)
class Choice:
    """One option of a choice question; `id` is stable so saved answers survive reordering."""

    id: int
    text: str
    fraction: Fraction = _ZERO
    feedback: str = ""

    def __post_init__(self) -> None:
        _check_text(self.text)
        _check_fraction(self.fraction)


@dataclass(frozen=True)
class Answer:
    """An accepted short answer: `*` is a wildcard, `\\*` a literal asterisk."""

    text: str
    fraction: Fraction = _ONE
    feedback: str = ""

    def __post_init__(self) -> None:
        _check_text(self.text)
        _check_fraction(self.fraction)


@dataclass(frozen=True)
class NumericalAnswer:
    """An accepted number: any response within `value` ± `tolerance` (absolute, inclusive) matches."""

    value: Decimal
    tolerance: Decimal = Decimal(0)
    fraction: Fraction = _ONE
    feedback: str = ""

    def __post_init__(self) -> None:
        _check_fraction(self.fraction)
        _require(self.value.is_finite() and self.tolerance.is_finite(), "numbers must be finite")
        _require(self.tolerance >= 0, "a tolerance cannot be negative")


@dataclass(frozen=True)
class LeftItem:
    """A matching prompt and the id of the right item that answers it."""

    id: int
    text: str
    right_id: int

    def __post_init__(self) -> None:
        _check_text(self.text)


@dataclass(frozen=True)
class RightItem:
    """A matching answer; several left items may share one, and unused ones are distractors."""

    id: int
    text: str

    def __post_init__(self) -> None:
        _check_text(self.text)


@dataclass(frozen=True, kw_only=True)
class Gap:
    """One blank of a cloze question; `weight` is its share of the question's mark."""

    type: ClassVar[GapType]
    number: int
    weight: int = 1

    def __post_init__(self) -> None:
        _require(self.weight >= 1, "a gap weight must be at least 1")
        self._check()

    def _check(self) -> None:
        """Per-type invariants."""


@dataclass(frozen=True, kw_only=True)
class ShortAnswerGap(Gap):
    """A gap filled in with text, graded like a short answer question."""

    type: ClassVar[GapType] = "shortanswer"
    answers: tuple[Answer, ...]
    case_sensitive: bool = False

    def _check(self) -> None:
        _check_some_marks(self.answers)


@dataclass(frozen=True, kw_only=True)
class NumericalGap(Gap):
    """A gap filled in with a number."""

    type: ClassVar[GapType] = "numerical"
    answers: tuple[NumericalAnswer, ...]

    def _check(self) -> None:
        _check_some_marks(self.answers)


@dataclass(frozen=True, kw_only=True)
class ChoiceGap(Gap):
    """A gap filled in by picking one choice."""

    type: ClassVar[GapType] = "single"
    choices: tuple[Choice, ...]

    def _check(self) -> None:
        _require(len(self.choices) >= 2, "a choice gap needs at least two choices")
        _check_unique_ids(self.choices, "choice")
        _check_some_marks(self.choices)


AnyGap = ShortAnswerGap | NumericalGap | ChoiceGap


@dataclass(frozen=True, kw_only=True)
class Question:
    """What every question type has; `category` is a ``$CATEGORY`` path such as ``Algebra/Linear``."""

    type: ClassVar[QuestionType]
    name: str
    text: str
    text_format: TextFormat = "moodle"
    default_mark: Decimal = Decimal(1)
    general_feedback: str = ""
    category: str | None = None

    def __post_init__(self) -> None:
        _require(bool(self.name.strip()), "a question needs a name")
        _require(bool(self.text.strip()), "a question needs text")
        _require(self.text_format in get_args(TextFormat), "unknown text format")
        _require(self.default_mark.is_finite() and self.default_mark >= 0, "a mark cannot be negative")
        category = self.category
        _require(
            category is None or (category == category.strip() != "" and "\n" not in category),
            "a category is a non-blank single-line path or None",
        )
        self._check()

    def _check(self) -> None:
        """Per-type invariants."""


@dataclass(frozen=True, kw_only=True)
class SingleChoice(Question):
    """Pick exactly one choice; the mark is that choice's fraction."""

    type: ClassVar[QuestionType] = "single"
    choices: tuple[Choice, ...]

    def _check(self) -> None:
        _require(len(self.choices) >= 2, "a choice question needs at least two choices")
        _check_unique_ids(self.choices, "choice")
        _check_some_marks(self.choices)


@dataclass(frozen=True, kw_only=True)
class MultipleChoice(Question):
    """Pick any choices; fractions add up (negative ones penalise guessing), clamped to 0..1."""

    type: ClassVar[QuestionType] = "multiple"
    choices: tuple[Choice, ...]

    def _check(self) -> None:
        _require(len(self.choices) >= 2, "a choice question needs at least two choices")
        _check_unique_ids(self.choices, "choice")
        _check_some_marks(self.choices)


@dataclass(frozen=True, kw_only=True)
class TrueFalse(Question):
    """A statement that is `correct` (true) or not; feedback depends on what the student answered."""

    type: ClassVar[QuestionType] = "truefalse"
    correct: bool
    feedback_true: str = ""
    feedback_false: str = ""


@dataclass(frozen=True, kw_only=True)
class ShortAnswer(Question):
    """Type a word or phrase; the first accepted answer that matches gives the mark."""

    type: ClassVar[QuestionType] = "shortanswer"
    answers: tuple[Answer, ...]
    case_sensitive: bool = False

    def _check(self) -> None:
        _check_some_marks(self.answers)


@dataclass(frozen=True, kw_only=True)
class Numerical(Question):
    """Type a number; the best-scoring accepted answer within tolerance gives the mark."""

    type: ClassVar[QuestionType] = "numerical"
    answers: tuple[NumericalAnswer, ...]

    def _check(self) -> None:
        _check_some_marks(self.answers)


@dataclass(frozen=True, kw_only=True)
class Matching(Question):
    """Match each left item to a right item; right texts are distinct, extra right items distract."""

    type: ClassVar[QuestionType] = "matching"
    left: tuple[LeftItem, ...]
    right: tuple[RightItem, ...]

    def _check(self) -> None:
        _require(len(self.left) >= 2, "a matching question needs at least two left items")
        _check_unique_ids(self.left, "left item")
        _check_unique_ids(self.right, "right item")
        texts = [item.text for item in self.right]
        _require(len(set(texts)) == len(texts), "right item texts must be distinct")
        right_ids = {item.id for item in self.right}
        _require(
            all(item.right_id in right_ids for item in self.left), "a left item matches an unknown right item"
        )


@dataclass(frozen=True, kw_only=True)
class Essay(Question):
    """Free text graded by hand."""

    type: ClassVar[QuestionType] = "essay"


@dataclass(frozen=True, kw_only=True)
class Cloze(Question):
    """Text with embedded gaps (``{#1}`` placeholders); the mark is the gap-weighted mean."""

    type: ClassVar[QuestionType] = "cloze"
    gaps: tuple[AnyGap, ...]

    def _check(self) -> None:
        numbers = [gap.number for gap in self.gaps]
        _require(bool(numbers), "a cloze question needs a gap")
        _require(numbers == list(range(1, len(numbers) + 1)), "gaps are numbered 1, 2, … in order")
        placed = sorted(int(found) for found in GAP_PLACEHOLDER.findall(self.text))
        _require(placed == numbers, "the text must hold each gap's placeholder exactly once")


@dataclass(frozen=True, kw_only=True)
class Description(Question):
    """Information between questions: nothing to answer, no mark."""

    type: ClassVar[QuestionType] = "description"
    default_mark: Decimal = Decimal(0)


AnyQuestion = (
    SingleChoice
    | MultipleChoice
    | TrueFalse
    | ShortAnswer
    | Numerical
    | Matching
    | Essay
    | Cloze
    | Description
)

#: Question class for each API type name.
QUESTION_TYPES: dict[str, type[Question]] = {cls.type: cls for cls in get_args(AnyQuestion)}


# --- JSON form ---------------------------------------------------------------------------------------


def to_data(question: Question) -> dict[str, Any]:
    """The question as a JSON-safe dict (fractions like ``"1/2"``, decimals as strings), with its type."""
    data = _encode(question)
    assert isinstance(data, dict)
    return data


def _encode(value: Any) -> Any:
    if isinstance(value, (Fraction, Decimal)):
        return str(value)
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    if is_dataclass(value):
        data: dict[str, Any] = {}
        kind = getattr(type(value), "type", None)
        if kind is not None:
            data["type"] = kind
        for field in fields(value):
            data[field.name] = _encode(getattr(value, field.name))
        return data
    return value


def from_data(data: dict[str, Any]) -> AnyQuestion:
    """Rebuild a question from `to_data` output; raises QuestionDataError for anything malformed."""
    if not isinstance(data, dict) or data.get("type") not in QUESTION_TYPES:
        raise QuestionDataError("unknown question type")
    try:
        question = _decode(QUESTION_TYPES[data["type"]], data)
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise QuestionDataError(f"malformed question data: {error}") from error
    return question  # type: ignore[no-any-return]


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _decode(hint: Any, raw: Any) -> Any:
    origin = get_origin(hint)
    if hint is Fraction:
        return Fraction(_expect(raw, str))
    if hint is Decimal:
        try:
            number = Decimal(_expect(raw, str))
        except InvalidOperation as error:
            raise ValueError(f"{raw!r} is not a decimal") from error
        return number
    if hint in (str, bool):
        return _expect(raw, hint)
    if hint is int:
        _require(not isinstance(raw, bool), "expected an integer")
        return _expect(raw, int)
    if origin is Literal:
        _require(raw in get_args(hint), f"{raw!r} is not one of {get_args(hint)}")
        return raw
    if origin is tuple:
        return tuple(_decode(get_args(hint)[0], item) for item in _expect(raw, list))
    if origin in (Union, types.UnionType):
        options = [option for option in get_args(hint) if option is not type(None)]
        if raw is None and len(options) < len(get_args(hint)):
            return None
        if len(options) == 1:
            return _decode(options[0], raw)
        by_type = {option.type: option for option in options}
        return _decode(by_type[_expect(raw, dict)["type"]], raw)
    _require(isinstance(hint, type) and is_dataclass(hint), f"cannot decode {hint!r}")
    hints = _hints(hint)
    raw = _expect(raw, dict)
    return hint(
        **{
            field.name: _decode(hints[field.name], raw[field.name])
            for field in fields(hint)
            if field.name in raw
        }
    )


def _expect(raw: Any, kind: type) -> Any:
    if not isinstance(raw, kind):
        raise TypeError(f"expected {kind.__name__}, got {type(raw).__name__}")
    return raw


# --- What a student sees ------------------------------------------------------------------------------


def public_view(question: Question, *, shuffle_seed: int | None) -> dict[str, Any]:
    """What a student may see: text and options, never fractions, answers or feedback.

    Why the seed: an attempt stores one seed so that every reload shows the same order; None keeps
    the author's order. Matching shuffles both columns.
    """
    rng = random.Random(shuffle_seed) if shuffle_seed is not None else None
    view: dict[str, Any] = {"type": question.type, "text": question.text, "text_format": question.text_format}
    if isinstance(question, Matching):
        view["left"] = _shuffled([{"id": item.id, "text": item.text} for item in question.left], rng)
        view["right"] = _shuffled([{"id": item.id, "text": item.text} for item in question.right], rng)
    elif isinstance(question, Cloze):
        view["gaps"] = [
            {
                "number": gap.number,
                "type": gap.type,
                "choices": _choice_view(gap.choices, rng) if isinstance(gap, ChoiceGap) else [],
            }
            for gap in question.gaps
        ]
    elif isinstance(question, (SingleChoice, MultipleChoice)):
        view["choices"] = _choice_view(question.choices, rng)
    else:
        view["choices"] = []
    return view


def _choice_view(choices: tuple[Choice, ...], rng: random.Random | None) -> list[dict[str, Any]]:
    return _shuffled([{"id": choice.id, "text": choice.text} for choice in choices], rng)


def _shuffled(items: list[dict[str, Any]], rng: random.Random | None) -> list[dict[str, Any]]:
    if rng is not None:
        rng.shuffle(items)
    return items
