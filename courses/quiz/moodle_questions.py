"""Question bank room, pure core: one Moodle question, as any Moodle reader parsed it (Moodle XML here,
a course backup's questions.xml elsewhere), becomes our question. Shared so both readers agree.

The parsed question is a plain dict with Moodle's names:

- ``qtype``: ``multichoice``, ``truefalse``, ``shortanswer``, ``numerical``, ``match``, ``essay``,
  ``multianswer``, ``description`` (anything else is refused with UNSUPPORTED_TYPE);
- ``name``, ``text`` (the question text, cloze codes included for ``multianswer``), ``format``
  (``html``, ``moodle_auto_format``, ``plain_text``, ``markdown`` or Moodle's numbers 0, 1, 2, 4),
  ``general_feedback``, ``default_mark`` (a decimal string), ``category`` (a ``/`` path or None);
- ``answers``: ``[{"text", "fraction", "feedback", "tolerance"}]``, plain text (our choices and items
  are shown as text: pass Moodle's HTML ones through `html_to_text`), with ``fraction`` on Moodle's
  database scale, a decimal string from -1 to 1 (Moodle XML's percentages are divided by 100 first);
  a numerical answer ``*`` is Moodle's "any other number" (`gift_syntax.other_number`);
- ``single`` (multichoice), ``case_sensitive`` (shortanswer), ``subquestions``: ``[{"text",
  "answer"}]`` (match; an empty text makes a distractor), and for truefalse ``correct``,
  ``feedback_true``, ``feedback_false``.

Penalties (Moodle's deduction per extra try in its interactive modes) do not map: our quizzes take
one answer per question, so they are dropped; combined feedback, hints, tags and files likewise.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from html import unescape as unescape_html
from typing import Any, cast

from courses.quiz.gift_blocks import read_cloze
from courses.quiz.gift_syntax import GiftProblem, other_number, scan_blocks, unescape
from courses.quiz.questions import (
    Answer,
    AnyQuestion,
    Choice,
    Cloze,
    Description,
    Essay,
    LeftItem,
    Matching,
    MultipleChoice,
    Numerical,
    NumericalAnswer,
    RightItem,
    ShortAnswer,
    SingleChoice,
    TextFormat,
    TrueFalse,
)

_FORMATS: dict[str, TextFormat] = {
    "html": "html",
    "1": "html",
    "moodle_auto_format": "moodle",
    "moodle": "moodle",
    "0": "moodle",
    "plain_text": "plain",
    "plain": "plain",
    "2": "plain",
    "markdown": "markdown",
    "4": "markdown",
}


_BREAK = re.compile(r"<br\s*/?>|</p\s*>\s*<p[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_DEFAULT_CATEGORY = ("Default for ", "По умолчанию для ")
MAX_MARK = 10**9  # the bound the .mbz reader (courses/moodle_question_types.py) puts on marks too


class MoodleCode(StrEnum):
    """Why a Moodle question could not become ours; courses/quiz/messages.py words each code."""

    UNSUPPORTED_TYPE = "unsupported_type"
    NO_TEXT = "no_text"
    NOT_A_NUMBER = "not_a_number"
    WEIGHT = "weight"
    FEW_CHOICES = "few_choices"
    NO_CORRECT = "no_correct"
    FEW_PAIRS = "few_pairs"
    EMPTY_ANSWER = "empty_answer"
    CLOZE = "cloze"
    INVALID = "invalid"
    BAD_XML = "bad_xml"
    NOT_MOODLE_XML = "not_moodle_xml"


@dataclass(frozen=True)
class MoodleProblem(Exception):
    """A Moodle question that cannot be ours: a code and the culprit (a type name, a value)."""

    code: MoodleCode
    snippet: str = ""


def category_path(raw: str) -> str | None:
    """Our ``/`` path of a Moodle category (GIFT ``$CATEGORY:``, Moodle XML, a backup): the context
    and ``top`` dropped, so ``$course$/top/Алгебра`` is ``Алгебра``; the top itself is None."""
    parts = [part.strip() for part in raw.strip().split("/")]
    if parts and parts[0].startswith("$") and parts[0].endswith("$"):
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    if parts and parts[0].startswith(_DEFAULT_CATEGORY):
        # The source course's own default category ("Default for 7 класс"): the bank is ours.
        parts = parts[1:]
    return "/".join(part for part in parts if part) or None


def html_to_text(html: str) -> str:
    """An answer Moodle kept as HTML (``<p dir="ltr">Ньютон</p>``) as the plain text we show:
    paragraph and line breaks kept as newlines, other tags dropped, entities decoded."""
    text = _BREAK.sub("\n", html)
    return "\n".join(" ".join(unescape_html(_TAG.sub("", line)).split()) for line in text.split("\n")).strip()


def text_format(value: Any) -> TextFormat:
    """Our name of a Moodle text format (Moodle's own name or number); unknown ones are HTML."""
    return _FORMATS.get(str(value).strip().lower(), "html")


def fraction(value: Any, *, scale: int = 1) -> Fraction:
    """A grade fraction from Moodle's decimal (``0.3333333`` is a third), divided by `scale` (100 for
    percentages); MoodleProblem WEIGHT unless it lies between -1 and 1."""
    number = decimal(value, code=MoodleCode.WEIGHT)
    if not -scale <= number <= scale:  # before Fraction(): 1e999999999 would be a billion-digit integer
        raise MoodleProblem(MoodleCode.WEIGHT, str(value).strip()[:40])
    exact = Fraction(number) / scale
    places = max(0, -int(number.as_tuple().exponent)) + len(str(scale)) - 1
    if places >= 5:
        nearest = exact.limit_denominator(100)
        if abs(nearest - exact) * 2 * 10**places <= 1:
            exact = nearest
    if not -1 <= exact <= 1:
        raise MoodleProblem(MoodleCode.WEIGHT, str(value))
    return exact


def decimal(value: Any, *, code: MoodleCode = MoodleCode.NOT_A_NUMBER) -> Decimal:
    """A finite decimal from Moodle's text (a decimal comma accepted)."""
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise MoodleProblem(code, str(value).strip()[:40])
    return number


def to_question(parsed: dict[str, Any]) -> AnyQuestion:
    """Our question for one parsed Moodle question; MoodleProblem with a code when it cannot be."""
    qtype = str(parsed.get("qtype", ""))
    if qtype not in _BUILDERS:
        raise MoodleProblem(MoodleCode.UNSUPPORTED_TYPE, qtype)
    text = str(parsed.get("text") or "").strip()
    if not text:
        raise MoodleProblem(MoodleCode.NO_TEXT)
    common: dict[str, Any] = {
        "name": str(parsed.get("name") or "").strip()[:255] or " ".join(text.split())[:40],
        "text": text,
        "text_format": text_format(parsed.get("format", "html")),
        "general_feedback": str(parsed.get("general_feedback") or "").strip(),
        "category": parsed.get("category") or None,
    }
    if parsed.get("default_mark") not in (None, ""):
        mark = decimal(parsed["default_mark"])
        if not -MAX_MARK <= mark <= MAX_MARK:  # 1e999 would not fit quantize()'s precision
            raise MoodleProblem(MoodleCode.INVALID, str(parsed["default_mark"]).strip()[:40])
        # Moodle writes 1.0000000: keep the number, not the seven zeros.
        common["default_mark"] = mark.quantize(Decimal(1)) if mark == mark.to_integral() else mark.normalize()
    kind, fields = _BUILDERS[qtype](parsed)
    common.update(fields)
    try:
        return cast(AnyQuestion, kind(**common))
    except ValueError as error:
        raise MoodleProblem(MoodleCode.INVALID, str(error)) from error


def _answers(parsed: dict[str, Any]) -> list[dict[str, Any]]:
    return [answer for answer in parsed.get("answers") or [] if isinstance(answer, dict)]


def _text(value: Any) -> str:
    return str(value or "").strip()


def _choices(parsed: dict[str, Any]) -> tuple[type, dict[str, Any]]:
    choices = tuple(
        Choice(
            number,
            _nonempty(answer.get("text")),
            fraction(answer.get("fraction", 0)),
            _text(answer.get("feedback")),
        )
        for number, answer in enumerate(_answers(parsed), 1)
    )
    if len(choices) < 2:
        raise MoodleProblem(MoodleCode.FEW_CHOICES)
    _require_marks(choices)
    return (SingleChoice if parsed.get("single", True) else MultipleChoice), {"choices": choices}


def _nonempty(value: Any) -> str:
    text = _text(value)
    if not text:
        raise MoodleProblem(MoodleCode.EMPTY_ANSWER)
    return text


def _require_marks(answers: tuple[Any, ...]) -> None:
    if not any(answer.fraction > 0 for answer in answers):
        raise MoodleProblem(MoodleCode.NO_CORRECT)


def _true_false(parsed: dict[str, Any]) -> tuple[type, dict[str, Any]]:
    return TrueFalse, {
        "correct": bool(parsed.get("correct")),
        "feedback_true": _text(parsed.get("feedback_true")),
        "feedback_false": _text(parsed.get("feedback_false")),
    }


def _short_answer(parsed: dict[str, Any]) -> tuple[type, dict[str, Any]]:
    answers = tuple(
        Answer(
            _nonempty(answer.get("text")), fraction(answer.get("fraction", 1)), _text(answer.get("feedback"))
        )
        for answer in _answers(parsed)
    )
    _require_marks(answers)
    return ShortAnswer, {"answers": answers, "case_sensitive": bool(parsed.get("case_sensitive"))}


def _numerical(parsed: dict[str, Any]) -> tuple[type, dict[str, Any]]:
    answers = []
    for answer in _answers(parsed):
        feedback = _text(answer.get("feedback"))
        value = _text(answer.get("text"))
        if value == "*":
            answers.append(other_number(feedback))
            continue
        tolerance = decimal(answer.get("tolerance") or 0)
        if tolerance < 0:
            raise MoodleProblem(MoodleCode.NOT_A_NUMBER, str(tolerance))
        answers.append(
            NumericalAnswer(decimal(value), tolerance, fraction(answer.get("fraction", 1)), feedback)
        )
    _require_marks(tuple(answers))
    return Numerical, {"answers": tuple(answers)}


def _matching(parsed: dict[str, Any]) -> tuple[type, dict[str, Any]]:
    right_ids: dict[str, int] = {}
    pairs = []
    for item in parsed.get("subquestions") or []:
        right = _nonempty(item.get("answer"))
        right_id = right_ids.setdefault(right, len(right_ids) + 1)
        if _text(item.get("text")):
            pairs.append((_text(item.get("text")), right_id))
    if len(pairs) < 2:
        raise MoodleProblem(MoodleCode.FEW_PAIRS)
    return Matching, {
        "left": tuple(LeftItem(number, text, right_id) for number, (text, right_id) in enumerate(pairs, 1)),
        "right": tuple(RightItem(right_id, text) for text, right_id in right_ids.items()),
    }


def _cloze(parsed: dict[str, Any]) -> tuple[type, dict[str, Any]]:
    """Moodle keeps a cloze question's gaps as codes in its text (``{1:SHORTANSWER:=Paris}``)."""
    try:
        segments, blocks = scan_blocks(str(parsed.get("text") or ""), 0)
        fields = read_cloze([unescape(segment) for segment in segments], blocks)
    except GiftProblem as problem:
        raise MoodleProblem(MoodleCode.CLOZE, str(problem.code)) from problem
    if not fields["gaps"]:
        raise MoodleProblem(MoodleCode.CLOZE)
    fields["general_feedback"] = _text(parsed.get("general_feedback")) or fields["general_feedback"]
    return Cloze, fields


_Builder = Callable[[dict[str, Any]], tuple[type, dict[str, Any]]]
_BUILDERS: dict[str, _Builder] = {
    "multichoice": _choices,
    "truefalse": _true_false,
    "shortanswer": _short_answer,
    "numerical": _numerical,
    "match": _matching,
    "essay": lambda parsed: (Essay, {}),
    "multianswer": _cloze,
    "description": lambda parsed: (Description, {}),
}
