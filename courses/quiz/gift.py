"""Question bank room, pure core: GIFT import and export (Moodle's format plus cloze gaps).

What is read, as Moodle reads it: questions separated by blank lines; whole-line ``//`` comments;
``$CATEGORY: path`` lines (the latest applies to the questions after it; an empty path clears it);
``::title::``; ``[markdown]``/``[html]``/``[plain]``/``[moodle]`` before the text; ``\\`` escapes for
``~ = # { } :`` and ``\\\\`` (``\\n`` is a newline, ``\\%`` and ``\\-`` are also accepted so that an answer
may start with ``%`` or contain ``->``); ``%50%`` weights (negative allowed); ``#`` feedback per
answer and ``####`` general feedback; an answer block anywhere in the text ("missing word": the
blank is shown as ``_____``); blocks spanning lines.

Answer blocks: ``{}`` essay; ``{T}``/``{TRUE}``/``{F}``/``{FALSE}`` true/false (``#wrong answer
feedback#right answer feedback``); ``{=a =%50%b}`` short answer; any ``~`` makes a choice question,
``single`` when some answer starts with ``=`` and ``multiple`` otherwise (Moodle's rule);
``{=a -> 1 =b -> 2 = -> distractor}`` matching; ``{#3.5:0.1}``, ``{#2..5}``, ``{#=3.5:0.1 =%50%3:1}``
numerical (a decimal comma is accepted); no block at all: a description.

Extension, cloze: blocks in Moodle's multianswer syntax ``{weight:TYPE:answers}`` anywhere in the
text make a ``cloze`` question, one gap per block, numbered in order; the text keeps ``{#1}``,
``{#2}`` … where the gaps were. TYPE is SHORTANSWER (SA, MW), SHORTANSWER_C (SAC, MWC: case
sensitive), NUMERICAL (NM) or MULTICHOICE (MC, and the _V/_H/_S layouts, all read as one choice).
Answers are separated by ``~``; each starts with ``=`` (100%), ``%n%`` or nothing (0%), may end
with ``#feedback``; numerical answers are ``value:tolerance``. Example::

    ::Capital:: The capital of France is {1:SHORTANSWER:=Paris#Yes~%50%Parigi}, 2+2 = {2:NM:=4:0.5}
    and the sky is {1:MC:~green~=blue}. {####General feedback}

A trailing ``{####…}`` block gives a cloze question its general feedback. Also an extension: a
``// vmeste: mark=2.5, case_sensitive`` comment in a question's block keeps its default mark and a
short answer's case sensitivity, which GIFT cannot say; Moodle reads it as a comment.

Export writes GIFT that `parse_gift` reads back into equal questions when ids are numbered 1, 2, …
in order (as import numbers them) and texts carry no surrounding spaces. Weights that are not
terminating decimals are written with 5 decimals (33.33333%) and read back as the nearest fraction
with a denominator up to 100; a description's general feedback cannot be written.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from courses.quiz.questions import (
    GAP_PLACEHOLDER,
    Answer,
    AnyGap,
    AnyQuestion,
    Choice,
    ChoiceGap,
    Cloze,
    Description,
    Essay,
    LeftItem,
    Matching,
    MultipleChoice,
    Numerical,
    NumericalAnswer,
    NumericalGap,
    Question,
    RightItem,
    ShortAnswer,
    ShortAnswerGap,
    SingleChoice,
    TextFormat,
    TrueFalse,
)

MSG_UNCLOSED_BRACE = "An answer block '{' is not closed."
MSG_UNOPENED_BRACE = "A '}' has no matching '{' (write \\} for a literal brace)."
MSG_NESTED_BRACE = "An answer block contains another '{' (write \\{ for a literal brace)."
MSG_UNCLOSED_TITLE = "The question title '::' is not closed."
MSG_NOTHING = "The question has neither text nor answers."
MSG_NO_TEXT = "The question has no text."
MSG_TWO_BLOCKS = "A question can have only one answer block."
MSG_UNKNOWN_BLOCK = "Unknown answer block: each answer must start with '=' or '~'."
MSG_ARROW = "'->' is only allowed in matching questions (write \\-> for a literal arrow)."
MSG_EMPTY_ANSWER = "An answer is empty."
MSG_NOT_A_NUMBER = "A numerical answer is not a number."
MSG_BAD_RANGE = "A numerical range must go from the smaller number to the larger."
MSG_NEGATIVE_TOLERANCE = "A numerical tolerance cannot be negative."
MSG_WEIGHT = "An answer weight must lie between -100% and 100%."
MSG_FEW_CHOICES = "A choice question needs at least two answers."
MSG_NO_CORRECT = "No answer gives any marks."
MSG_NO_ARROW = "A matching answer needs '->' between its two sides."
MSG_FEW_PAIRS = "A matching question needs at least two pairs."
MSG_UNKNOWN_GAP = "Unknown cloze gap type: use SHORTANSWER, SHORTANSWER_C, NUMERICAL or MULTICHOICE."
MSG_GAP_WEIGHT = "A cloze gap weight must be at least 1."
MSG_CLOZE_MIXED = "A cloze question cannot also have an answer block (only {####general feedback})."
MSG_PLACEHOLDER = "The text of a cloze question cannot contain '{#n}' itself."
MSG_BAD_OPTION = "Unknown or malformed option in a '// vmeste:' comment."
MSG_INVALID = "The question is not valid."

#: Characters a backslash escapes (``\\n`` is a newline instead).
ESCAPABLE = "\\~=#{}:%-"
#: The blank a "missing word" question shows where its answer block was.
BLANK = "_____"

_FORMAT = re.compile(r"\s*\[(markdown|html|plain|moodle)\]")
_WEIGHT = re.compile(r"\s*%(-?\d+(?:[.,]\d+)?)%")
_GAP = re.compile(r"\s*(\d*):([A-Za-z_]+):(.*)\Z", re.DOTALL)
_OPTIONS = re.compile(r"//\s*vmeste:(.*)")
_TAG = re.compile(r"<[^>]*>")
_EXACT = Context(prec=1_000)
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_GAP_TYPES: dict[str, tuple[str, bool]] = {
    **dict.fromkeys(["SHORTANSWER", "SA", "MW"], ("shortanswer", False)),
    **dict.fromkeys(["SHORTANSWER_C", "SAC", "MWC"], ("shortanswer", True)),
    **dict.fromkeys(["NUMERICAL", "NM"], ("numerical", False)),
    **dict.fromkeys(
        ["MULTICHOICE", "MC", "MULTICHOICE_V", "MCV", "MULTICHOICE_H", "MCH", "MULTICHOICE_S", "MCS"]
        + ["MULTICHOICE_VS", "MCVS", "MULTICHOICE_HS", "MCHS"],
        ("single", False),
    ),
}


@dataclass(frozen=True)
class GiftError:
    """A question that could not be read: where it is, a stable message to translate, the culprit."""

    line: int
    message: str
    snippet: str = ""


@dataclass(frozen=True)
class ImportResult:
    """Questions read, each with the line it starts on, and one error per question that was not."""

    questions: list[tuple[AnyQuestion, int]]
    errors: list[GiftError]


class _Problem(Exception):
    def __init__(self, message: str, offset: int | None = None, snippet: str = "") -> None:
        super().__init__(message)
        self.message, self.offset, self.snippet = message, offset, snippet


# --- scanning ---------------------------------------------------------------------------------------


def _find(text: str, target: str, start: int = 0, end: int | None = None) -> int:
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


def _split(text: str, markers: str) -> list[tuple[str, str]]:
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


def _cut(text: str, separator: str) -> tuple[str, str | None]:
    """Split at the first unescaped `separator`; None when there is none."""
    position = _find(text, separator)
    if position < 0:
        return text, None
    return text[:position], text[position + len(separator) :]


def _unescape(text: str) -> str:
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


def _clean(raw: str | None) -> str:
    return "" if raw is None else _unescape(raw).strip()


# --- reading --------------------------------------------------------------------------------------


def parse_gift(text: str) -> ImportResult:
    """Read GIFT text; every question that cannot be read becomes an error with its line instead."""
    questions: list[tuple[AnyQuestion, int]] = []
    errors: list[GiftError] = []
    category: str | None = None
    for block in _blocks(text):
        lines: list[tuple[int, str]] = []
        options: list[str] = []
        for number, line in block:
            stripped = line.strip()
            if stripped.startswith("//"):
                found = _OPTIONS.match(stripped)
                if found:
                    options.append(found.group(1))
            elif not lines and stripped.startswith("$CATEGORY:"):
                category = stripped[len("$CATEGORY:") :].strip() or None
            else:
                lines.append((number, line))
        if not lines:
            continue
        source = "\n".join(line for _, line in lines)
        try:
            questions.append((_read_question(source, category, options), lines[0][0]))
        except _Problem as problem:
            offset = 0 if problem.offset is None else problem.offset
            line_no = lines[source.count("\n", 0, offset)][0]
            errors.append(GiftError(line_no, problem.message, problem.snippet))
    return ImportResult(questions, errors)


def _blocks(text: str) -> Iterable[list[tuple[int, str]]]:
    block: list[tuple[int, str]] = []
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, 1):
        if line.strip():
            block.append((number, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _read_question(source: str, category: str | None, options: list[str]) -> AnyQuestion:
    position = len(source) - len(source.lstrip())
    title = ""
    if source.startswith("::", position):
        end = _find(source, "::", position + 2)
        if end < 0:
            raise _Problem(MSG_UNCLOSED_TITLE, position)
        title = _clean(source[position + 2 : end])
        position = end + 2
    text_format: TextFormat = "moodle"
    found = _FORMAT.match(source, position)
    if found:
        text_format = found.group(1)  # type: ignore[assignment]
        position = found.end()
    segments, blocks = _scan(source, position)
    texts = [_unescape(segment) for segment in segments]
    common: dict[str, Any] = {"text_format": text_format, "category": category}
    if not blocks:
        kind, fields = Description, {}
        common["text"] = texts[0].strip()
        if not common["text"]:
            raise _Problem(MSG_NOTHING)
    elif any(_GAP.match(content) for _, content in blocks):
        kind, fields = Cloze, _read_cloze(texts, blocks)
    elif len(blocks) > 1:
        raise _Problem(MSG_TWO_BLOCKS, blocks[1][0])
    else:
        before, after = texts
        common["text"] = (before + BLANK + after).strip() if after.strip() else before.strip()
        kind, fields = _read_block(*blocks[0])
    if not fields.setdefault("text", common.pop("text", "")):
        raise _Problem(MSG_NO_TEXT)
    fields.setdefault("general_feedback", "")
    _apply_options(kind, fields, options)
    fields["name"] = title or _default_name(fields["text"], text_format)
    try:
        return kind(**common, **fields)  # type: ignore[no-any-return]
    except ValueError as error:
        raise _Problem(MSG_INVALID, None, str(error)) from error


def _scan(source: str, position: int) -> tuple[list[str], list[tuple[int, str]]]:
    """Cut the text into plain segments and answer blocks (offset of `{`, raw content)."""
    segments, blocks = [], []
    start = position
    while True:
        opening = _next_brace(source, position)
        if opening < 0:
            break
        if source[opening] == "}":
            raise _Problem(MSG_UNOPENED_BRACE, opening)
        closing = _next_brace(source, opening + 1)
        if closing < 0:
            raise _Problem(MSG_UNCLOSED_BRACE, opening)
        if source[closing] == "{":
            raise _Problem(MSG_NESTED_BRACE, closing)
        segments.append(source[start:opening])
        blocks.append((opening, source[opening + 1 : closing]))
        start = position = closing + 1
    segments.append(source[start:])
    return segments, blocks


def _next_brace(source: str, position: int) -> int:
    while position < len(source):
        char = source[position]
        if char == "\\":
            position += 2
            continue
        if char in "{}":
            return position
        position += 1
    return -1


def _default_name(text: str, text_format: str) -> str:
    """Moodle's habit: a question without a title is named after the start of its text."""
    plain = " ".join((_TAG.sub(" ", text) if text_format == "html" else text).split()) or " ".join(
        text.split()
    )
    return plain[:40].rstrip()


def _apply_options(kind: type, fields: dict[str, Any], options: list[str]) -> None:
    for token in (token for option in options for token in re.split(r"[\s,]+", option.strip()) if token):
        name, _, value = token.partition("=")
        if name == "mark" and value:
            fields["default_mark"] = _number(value, None, MSG_BAD_OPTION)
        elif token == "case_sensitive":
            if kind is ShortAnswer:
                fields["case_sensitive"] = True
        else:
            raise _Problem(MSG_BAD_OPTION, None, token)


def _read_block(offset: int, content: str) -> tuple[type, dict[str, Any]]:
    body, general = _cut(content, "####")
    fields: dict[str, Any] = {"general_feedback": _clean(general)}
    stripped = body.strip()
    if not stripped:
        return Essay, fields
    # Moodle's order of tests: numerical, then any `~` (choice), then `=` with `->` (matching), T/F.
    has_arrow = _find(body, "->") >= 0
    head = _cut(stripped, "#")[0].strip().upper()
    if has_arrow and (_find(body, "~") >= 0 or _find(body, "=") < 0 or stripped.startswith("#")):
        raise _Problem(MSG_ARROW, offset)
    if stripped.startswith("#"):
        fields["answers"] = _read_numerical(stripped[1:], offset)
        return Numerical, fields
    if _find(body, "~") >= 0:
        choices = _read_choices(body, offset)
        return (SingleChoice if _find(body, "=") >= 0 else MultipleChoice), {**fields, "choices": choices}
    if has_arrow:
        return Matching, {**fields, **_read_matching(body, offset)}
    if head in _TRUE_FALSE:
        wrong, right = _cut(_cut(stripped, "#")[1] or "", "#")
        correct = _TRUE_FALSE[head]
        fields["correct"] = correct
        fields["feedback_true" if correct else "feedback_false"] = _clean(right)
        fields["feedback_false" if correct else "feedback_true"] = _clean(wrong)
        return TrueFalse, fields
    if not stripped.startswith("="):
        raise _Problem(MSG_UNKNOWN_BLOCK, offset, stripped[:40])
    answers = [Answer(text, fraction, feedback) for text, fraction, feedback in _read_answers(body, offset)]
    _require_marks(answers, offset)
    return ShortAnswer, {**fields, "answers": tuple(answers)}


def _read_answers(body: str, offset: int) -> list[tuple[str, Fraction, str]]:
    """Answers of a choice or short answer block: (text, fraction, feedback)."""
    (_, prefix), *parts = _split(body, "=~")
    if prefix.strip():
        raise _Problem(MSG_UNKNOWN_BLOCK, offset, prefix.strip()[:40])
    answers = []
    for marker, raw in parts:
        fraction, raw = _read_weight(raw, Fraction(1 if marker == "=" else 0), offset)
        text, feedback = _cut(raw, "#")
        if not _clean(text):
            raise _Problem(MSG_EMPTY_ANSWER, offset)
        answers.append((_clean(text), fraction, _clean(feedback)))
    return answers


def _read_weight(raw: str, default: Fraction, offset: int) -> tuple[Fraction, str]:
    found = _WEIGHT.match(raw)
    if not found:
        return default, raw
    digits = found.group(1).replace(",", ".")
    fraction = Fraction(digits) / 100
    decimals = len(digits.partition(".")[2])
    if decimals >= 5:
        # 33.33333% is how Moodle writes a third: take the simple fraction it stands for.
        nearest = fraction.limit_denominator(100)
        if abs(nearest - fraction) * 2 * 10 ** (decimals + 2) <= 1:
            fraction = nearest
    if not -1 <= fraction <= 1:
        raise _Problem(MSG_WEIGHT, offset, found.group(0).strip())
    return fraction, raw[found.end() :]


def _read_choices(body: str, offset: int) -> tuple[Choice, ...]:
    choices = tuple(
        Choice(number, text, fraction, feedback)
        for number, (text, fraction, feedback) in enumerate(_read_answers(body, offset), 1)
    )
    if len(choices) < 2:
        raise _Problem(MSG_FEW_CHOICES, offset)
    _require_marks(choices, offset)
    return choices


def _require_marks(answers: Iterable[Any], offset: int) -> None:
    if not any(answer.fraction > 0 for answer in answers):
        raise _Problem(MSG_NO_CORRECT, offset)


def _read_numerical(body: str, offset: int) -> tuple[NumericalAnswer, ...]:
    if _find(body, "=") < 0:
        parts = [(Fraction(1), body)]
    else:
        (_, prefix), *rest = _split(body, "=")
        if prefix.strip():
            raise _Problem(MSG_UNKNOWN_BLOCK, offset, prefix.strip()[:40])
        parts = [_read_weight(raw, Fraction(1), offset) for _, raw in rest]
    answers = tuple(_read_number_answer(raw, fraction, offset) for fraction, raw in parts)
    _require_marks(answers, offset)
    return answers


def _read_number_answer(raw: str, fraction: Fraction, offset: int) -> NumericalAnswer:
    spec, feedback = _cut(raw, "#")
    spec = spec.strip()
    if not spec:
        raise _Problem(MSG_EMPTY_ANSWER, offset)
    low, high = _cut(spec, "..")
    if high is not None:
        start, end = _number(low, offset), _number(high, offset)
        if start > end:
            raise _Problem(MSG_BAD_RANGE, offset, spec)
        value, tolerance = (start + end) / 2, (end - start) / 2
    else:
        value_text, tolerance_text = _cut(spec, ":")
        value = _number(value_text, offset)
        tolerance = Decimal(0) if tolerance_text is None else _number(tolerance_text, offset)
        if tolerance < 0:
            raise _Problem(MSG_NEGATIVE_TOLERANCE, offset, spec)
    return NumericalAnswer(value, tolerance, fraction, _clean(feedback))


def _number(text: str, offset: int | None, message: str = MSG_NOT_A_NUMBER) -> Decimal:
    try:
        number = Decimal(_unescape(text).strip().replace(",", "."))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise _Problem(message, offset, text.strip())
    return number


def _read_matching(body: str, offset: int) -> dict[str, Any]:
    (_, prefix), *parts = _split(body, "=")
    if prefix.strip():
        raise _Problem(MSG_UNKNOWN_BLOCK, offset, prefix.strip()[:40])
    right_ids: dict[str, int] = {}
    pairs = []
    for _, raw in parts:
        left, right = _cut(raw, "->")
        if right is None:
            raise _Problem(MSG_NO_ARROW, offset, raw.strip()[:40])
        if not _clean(right):
            raise _Problem(MSG_EMPTY_ANSWER, offset)
        right_id = right_ids.setdefault(_clean(right), len(right_ids) + 1)
        if _clean(left):
            pairs.append((_clean(left), right_id))
    if len(pairs) < 2:
        raise _Problem(MSG_FEW_PAIRS, offset)
    return {
        "left": tuple(LeftItem(number, text, right_id) for number, (text, right_id) in enumerate(pairs, 1)),
        "right": tuple(RightItem(right_id, text) for text, right_id in right_ids.items()),
    }


def _read_cloze(texts: list[str], blocks: list[tuple[int, str]]) -> dict[str, Any]:
    if any(GAP_PLACEHOLDER.search(text) for text in texts):
        raise _Problem(MSG_PLACEHOLDER)
    parts = [texts[0]]
    gaps: list[AnyGap] = []
    general: str | None = None
    for (offset, content), after in zip(blocks, texts[1:], strict=True):
        found = _GAP.match(content)
        if found:
            gaps.append(_read_gap(len(gaps) + 1, found, offset))
            parts.append(f"{{#{len(gaps)}}}")
        else:
            body, feedback = _cut(content, "####")
            if body.strip() or feedback is None or general is not None:
                raise _Problem(MSG_CLOZE_MIXED, offset)
            general = _clean(feedback)
        parts.append(after)
    return {"text": "".join(parts).strip(), "gaps": tuple(gaps), "general_feedback": general or ""}


def _read_gap(number: int, found: re.Match[str], offset: int) -> AnyGap:
    weight_text, type_name, body = found.groups()
    weight = int(weight_text) if weight_text else 1
    if weight < 1:
        raise _Problem(MSG_GAP_WEIGHT, offset, weight_text)
    if type_name.upper() not in _GAP_TYPES:
        raise _Problem(MSG_UNKNOWN_GAP, offset, type_name)
    kind, case_sensitive = _GAP_TYPES[type_name.upper()]
    answers = []
    for index, (_, raw) in enumerate(_split(body, "~")):
        if index == 0 and not raw.strip():
            continue
        stripped = raw.lstrip()
        if stripped.startswith("="):
            fraction, raw = Fraction(1), stripped[1:]
        else:
            fraction, raw = _read_weight(raw, Fraction(0), offset)
        if kind == "numerical":
            answers.append(_read_number_answer(raw, fraction, offset))
            continue
        text, feedback = _cut(raw, "#")
        if not _clean(text):
            raise _Problem(MSG_EMPTY_ANSWER, offset)
        answers.append(Answer(_clean(text), fraction, _clean(feedback)))
    if not answers:
        raise _Problem(MSG_EMPTY_ANSWER, offset)
    _require_marks(answers, offset)
    if kind == "numerical":
        return NumericalGap(number=number, weight=weight, answers=tuple(answers))
    if kind == "shortanswer":
        return ShortAnswerGap(
            number=number, weight=weight, answers=tuple(answers), case_sensitive=case_sensitive
        )
    if len(answers) < 2:
        raise _Problem(MSG_FEW_CHOICES, offset)
    choices = (Choice(index, a.text, a.fraction, a.feedback) for index, a in enumerate(answers, 1))
    return ChoiceGap(number=number, weight=weight, choices=tuple(choices))


# --- writing --------------------------------------------------------------------------------------


def export_gift(questions: Iterable[Question]) -> str:
    """GIFT for the questions, with a ``$CATEGORY:`` line wherever the category changes."""
    chunks = []
    category: str | None = None
    for question in questions:
        if question.category != category:
            category = question.category
            chunks.append(f"$CATEGORY: {category}" if category else "$CATEGORY:")
        chunks.append(_write_question(question))
    return "\n\n".join(chunks) + "\n" if chunks else ""


def _escape(text: str, *, answer: bool = False) -> str:
    out = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        out = out.replace(char, "\\" + char)
    out = out.replace("->", "\\->").replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return "\\" + out if answer and out.startswith("%") else out


def _percent(fraction: Fraction) -> str:
    """A weight as GIFT writes it: exact when it terminates, else to 5 decimals (33.33333)."""
    percent = fraction * 100
    denominator = percent.denominator
    for factor in (2, 5):
        while denominator % factor == 0:
            denominator //= factor
    if denominator == 1:
        return format(_EXACT.divide(Decimal(percent.numerator), Decimal(percent.denominator)), "f")
    return format(Decimal(round(percent * 10**5)).scaleb(-5), "f")


def _options(question: Question) -> str:
    options = []
    default = "0" if isinstance(question, Description) else "1"
    if str(question.default_mark) != default:
        options.append(f"mark={question.default_mark}")
    if isinstance(question, ShortAnswer) and question.case_sensitive:
        options.append("case_sensitive")
    return f"// vmeste: {', '.join(options)}\n" if options else ""


def _write_question(question: Question) -> str:
    head = f"{_options(question)}::{_escape(question.name)}::[{question.text_format}]"
    general = f" ####{_escape(question.general_feedback)}" if question.general_feedback else ""
    if isinstance(question, Description):
        return head + _escape(question.text)
    if isinstance(question, Cloze):
        pieces = GAP_PLACEHOLDER.split(question.text)
        body = "".join(
            _escape(piece) if index % 2 == 0 else _write_gap(question.gaps[int(piece) - 1])
            for index, piece in enumerate(pieces)
        )
        return head + body + (f" {{{general.strip()}}}" if general else "")
    block = "{" + _write_block(question) + general + "}"
    before, blank, after = question.text.partition(BLANK)
    if blank and after.strip():
        return head + _escape(before) + block + _escape(after)
    return f"{head}{_escape(question.text)} {block}"


def _write_answer(marker: str, fraction: Fraction | None, text: str, feedback: str) -> str:
    weight = "" if fraction is None else f"%{_percent(fraction)}%"
    return marker + weight + _escape(text, answer=True) + (f"#{_escape(feedback)}" if feedback else "")


def _write_block(question: Question) -> str:
    if isinstance(question, SingleChoice):
        best = max(question.choices, key=lambda choice: choice.fraction)
        return " ".join(
            _write_answer("=", None if c.fraction == 1 else c.fraction, c.text, c.feedback)
            if c is best
            else _write_answer("~", None if c.fraction == 0 else c.fraction, c.text, c.feedback)
            for c in question.choices
        )
    if isinstance(question, MultipleChoice):
        return " ".join(
            _write_answer("~", None if c.fraction == 0 else c.fraction, c.text, c.feedback)
            for c in question.choices
        )
    if isinstance(question, TrueFalse):
        right, wrong = (question.feedback_true, question.feedback_false)
        if not question.correct:
            right, wrong = wrong, right
        tail = f"#{_escape(wrong)}#{_escape(right)}" if right else f"#{_escape(wrong)}" if wrong else ""
        return ("TRUE" if question.correct else "FALSE") + tail
    if isinstance(question, ShortAnswer):
        return " ".join(
            _write_answer("=", None if a.fraction == 1 else a.fraction, a.text, a.feedback)
            for a in question.answers
        )
    if isinstance(question, Numerical):
        return "#" + " ".join(_write_number(answer) for answer in question.answers)
    if isinstance(question, Matching):
        texts = {item.id: item.text for item in question.right}
        used = {item.right_id for item in question.left}
        pairs = [f"={_escape(item.text)} -> {_escape(texts[item.right_id])}" for item in question.left]
        pairs += [f"= -> {_escape(item.text)}" for item in question.right if item.id not in used]
        return " ".join(pairs)
    assert isinstance(question, Essay)
    return ""


def _write_number(answer: NumericalAnswer, *, in_gap: bool = False) -> str:
    weight = "=" if answer.fraction == 1 else ("" if in_gap else "=") + f"%{_percent(answer.fraction)}%"
    feedback = f"#{_escape(answer.feedback)}" if answer.feedback else ""
    return f"{weight}{answer.value}:{answer.tolerance}{feedback}"


def _write_gap(gap: AnyGap) -> str:
    if isinstance(gap, NumericalGap):
        answers = "~".join(_write_number(answer, in_gap=True) for answer in gap.answers)
        return f"{{{gap.weight}:NUMERICAL:{answers}}}"
    items: tuple[Answer | Choice, ...] = gap.choices if isinstance(gap, ChoiceGap) else gap.answers
    answers = "~".join(
        _write_answer("=", None, item.text, item.feedback)
        if item.fraction == 1
        else _write_answer("", item.fraction, item.text, item.feedback)
        for item in items
    )
    name = (
        "MULTICHOICE"
        if isinstance(gap, ChoiceGap)
        else "SHORTANSWER_C"
        if gap.case_sensitive
        else "SHORTANSWER"
    )
    return f"{{{gap.weight}:{name}:{answers}}}"
