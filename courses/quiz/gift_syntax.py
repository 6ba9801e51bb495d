"""Quiz room, pure core: GIFT's lexical layer, shared by reading and writing — the problem codes
a reader reports, backslash escapes, and searching text while skipping escaped characters."""

from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from courses.quiz.questions import NumericalAnswer


class GiftCode(StrEnum):
    """Why a question could not be read; courses/quiz/messages.py words each code for the user."""

    UNCLOSED_BRACE = "unclosed_brace"
    UNOPENED_BRACE = "unopened_brace"
    NESTED_BRACE = "nested_brace"
    UNCLOSED_TITLE = "unclosed_title"
    NOTHING = "nothing"
    NO_TEXT = "no_text"
    TWO_BLOCKS = "two_blocks"
    UNKNOWN_BLOCK = "unknown_block"
    ARROW = "arrow"
    EMPTY_ANSWER = "empty_answer"
    NOT_A_NUMBER = "not_a_number"
    BAD_RANGE = "bad_range"
    NEGATIVE_TOLERANCE = "negative_tolerance"
    WEIGHT = "weight"
    FEW_CHOICES = "few_choices"
    NO_CORRECT = "no_correct"
    NO_ARROW = "no_arrow"
    FEW_PAIRS = "few_pairs"
    UNKNOWN_GAP = "unknown_gap"
    GAP_WEIGHT = "gap_weight"
    CLOZE_MIXED = "cloze_mixed"
    PLACEHOLDER = "placeholder"
    BAD_OPTION = "bad_option"
    INVALID = "invalid"
    MISSING_BLANK_LINE = "missing_blank_line"


#: The tolerance of Moodle's "any other number" numerical answer (GIFT ``~#feedback``, Moodle XML
#: ``*``): wide enough to hold every number a pupil types, so it matches whatever no better answer
#: does and gives its feedback with no marks.
OTHER_TOLERANCE = Decimal("1E+100")

#: Characters a backslash escapes (``\\n`` is a newline instead).
ESCAPABLE = "\\~=#{}:%-"
#: The blank a "missing word" question shows where its answer block was.
BLANK = "_____"


class GiftProblem(Exception):
    """A question cannot be read: the code, where in its source (an offset), and the culprit."""

    def __init__(self, code: GiftCode, offset: int | None = None, snippet: str = "") -> None:
        super().__init__(code)
        self.code, self.offset, self.snippet = code, offset, snippet


def other_number(feedback: str) -> NumericalAnswer:
    """Moodle's "any other number" answer: no marks, this feedback."""
    return NumericalAnswer(Decimal(0), OTHER_TOLERANCE, Fraction(0), feedback)


def is_other_number(answer: NumericalAnswer) -> bool:
    """Whether a numerical answer is Moodle's "any other number" (see `other_number`)."""
    return answer.tolerance == OTHER_TOLERANCE and answer.value == 0 and answer.fraction == 0


def find(text: str, target: str, start: int = 0, end: int | None = None) -> int:
    """Index of the first `target` that is not backslash-escaped, or -1."""
    end = len(text) if end is None else end
    position = start
    while position < end:
        if text[position] == "\\":
            position += 2
        elif text.startswith(target, position):
            return position
        else:
            position += 1
    return -1


def split(text: str, markers: str) -> list[tuple[str, str]]:
    """Cut `text` before each unescaped marker character: [("", prefix), (marker, rest), …]."""
    parts = [("", "")]
    position = start = 0
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if char in markers:
            parts[-1] = (parts[-1][0], text[start:position])
            parts.append((char, ""))
            start = position + 1
        position += 1
    parts[-1] = (parts[-1][0], text[start:])
    return parts


def cut(text: str, separator: str) -> tuple[str, str | None]:
    """Split at the first unescaped `separator`; None when there is none."""
    position = find(text, separator)
    if position < 0:
        return text, None
    return text[:position], text[position + len(separator) :]


def unescape(text: str) -> str:
    """GIFT's backslash escapes undone (\\n becomes a newline)."""
    out = []
    position = 0
    while position < len(text):
        char = text[position]
        following = text[position + 1 : position + 2]
        if char == "\\" and following == "n":
            out.append("\n")
            position += 2
        elif char == "\\" and following and following in ESCAPABLE:
            out.append(following)
            position += 2
        else:
            out.append(char)
            position += 1
    return "".join(out)


def clean(raw: str | None) -> str:
    """Unescaped and stripped text; None (nothing there) becomes empty."""
    return "" if raw is None else unescape(raw).strip()


def escape(text: str, *, answer: bool = False, arrow: bool = False) -> str:
    """Text as GIFT writes it: special characters and newlines escaped (an answer may not start with
    %); ``->`` only when `arrow` (where Moodle would split a matching pair: elsewhere it is text, and
    Moodle reads ``\\->`` with its backslash)."""
    out = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        out = out.replace(char, "\\" + char)
    out = (
        (out.replace("->", "\\->") if arrow else out)
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )
    return "\\" + out if answer and out.startswith("%") else out


def scan_blocks(source: str, position: int) -> tuple[list[str], list[tuple[int, str]]]:
    """Cut the text into plain segments and answer blocks (offset of `{`, raw content)."""
    segments, blocks = [], []
    start = position
    while True:
        opening = next_brace(source, position)
        if opening < 0:
            break
        if source[opening] == "}":
            raise GiftProblem(GiftCode.UNOPENED_BRACE, opening)
        closing = next_brace(source, opening + 1)
        if closing < 0:
            raise GiftProblem(GiftCode.UNCLOSED_BRACE, opening)
        if source[closing] == "{":
            raise GiftProblem(GiftCode.NESTED_BRACE, closing)
        segments.append(source[start:opening])
        blocks.append((opening, source[opening + 1 : closing]))
        start = position = closing + 1
    segments.append(source[start:])
    return segments, blocks


def next_brace(source: str, position: int) -> int:
    """Index of the next unescaped brace, opening or closing, or -1."""
    while position < len(source):
        char = source[position]
        if char == "\\":
            position += 2
            continue
        if char in "{}":
            return position
        position += 1
    return -1
