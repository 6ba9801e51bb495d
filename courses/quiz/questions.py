"""Question bank room, pure core: the canonical question types and their invariants (their JSON form
is question_data, what a student sees is student_view)."""

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, Literal, get_args

QuestionType = Literal[
    "single", "multiple", "truefalse", "shortanswer", "numerical", "matching", "essay", "cloze", "description"
]
TextFormat = Literal["markdown", "html", "plain", "moodle"]
GapType = Literal["shortanswer", "numerical", "single"]

#: Where a cloze gap sits in the question text: ``{#1}`` for gap number 1.
GAP_PLACEHOLDER = re.compile(r"\{#(\d+)\}")

_ONE = Fraction(1)
_ZERO = Fraction(0)


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
