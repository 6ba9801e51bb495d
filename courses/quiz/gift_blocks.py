"""Quiz room, pure core: reading one GIFT answer block (or the cloze gaps) into a question's fields.

`gift_read` cuts the text into blocks; this module decides each block's question type in Moodle's
order of tests and reads its answers, raising GiftProblem with a code for anything it cannot read."""

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from courses.quiz.gift_syntax import GiftCode, GiftProblem, clean, cut, find, other_number, split, unescape
from courses.quiz.questions import (
    GAP_PLACEHOLDER,
    Answer,
    AnyGap,
    Choice,
    ChoiceGap,
    Essay,
    LeftItem,
    Matching,
    MultipleChoice,
    Numerical,
    NumericalAnswer,
    NumericalGap,
    RightItem,
    ShortAnswer,
    ShortAnswerGap,
    SingleChoice,
    TrueFalse,
)

_WEIGHT = re.compile(r"\s*%(-?\d+(?:[.,]\d+)?)%")
_GAP = re.compile(r"\s*(\d*):([A-Za-z_]+):(.*)\Z", re.DOTALL)
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_FORMAT_TAG = re.compile(r"\A\[(?:html|moodle|plain|markdown)\]")
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


def is_gap(content: str) -> bool:
    """Whether a block is a cloze gap in Moodle's multianswer syntax ``{weight:TYPE:answers}``."""
    return _GAP.match(content) is not None


def read_block(offset: int, content: str) -> tuple[type, dict[str, Any]]:
    """The question class and fields an ordinary answer block makes, in Moodle's order of tests:
    empty (essay), ``#`` first (numerical), any ``~`` (choice: ``->`` inside is text), ``=`` with
    ``->`` (matching), exactly T/TRUE/F/FALSE (true/false), anything else a short answer."""
    body, general = cut(content, "####")
    fields: dict[str, Any] = {"general_feedback": answer_text(general)}
    stripped = body.strip()
    if not stripped:
        return Essay, fields
    if stripped.startswith("#"):
        fields["answers"] = _read_numerical(stripped[1:], offset)
        return Numerical, fields
    if find(body, "~") >= 0:
        choices = _read_choices(body, offset)
        return (SingleChoice if find(body, "=") >= 0 else MultipleChoice), {**fields, "choices": choices}
    if find(body, "=") >= 0 and find(body, "->") >= 0:
        return Matching, {**fields, **_read_matching(body, offset)}
    head = cut(stripped, "#")[0].strip()
    if head in _TRUE_FALSE:
        wrong, right = cut(cut(stripped, "#")[1] or "", "#")
        correct = _TRUE_FALSE[head]
        fields["correct"] = correct
        fields["feedback_true" if correct else "feedback_false"] = answer_text(right)
        fields["feedback_false" if correct else "feedback_true"] = answer_text(wrong)
        return TrueFalse, fields
    # Moodle's default: a short answer, even when the first answer is written without `=`.
    answers = [Answer(text, fraction, feedback) for text, fraction, feedback in _read_answers(body, offset)]
    _require_marks(answers, offset)
    return ShortAnswer, {**fields, "answers": tuple(answers)}


def answer_text(raw: str | None) -> str:
    """An answer's or feedback's text: unescaped, stripped, and without the ``[html]``-style format
    tag Moodle allows in front of it (we keep one format per question)."""
    return _FORMAT_TAG.sub("", clean(raw), count=1).strip()


def _read_answers(body: str, offset: int) -> list[tuple[str, Fraction, str]]:
    """Answers of a choice or short answer block: (text, fraction, feedback)."""
    (_, prefix), *parts = split(body, "=~")
    if prefix.strip():
        # Moodle keeps text before the first marker as an answer: full marks in a short answer
        # (``{Paris}``), none in a choice question, unless a %weight% says otherwise.
        parts.insert(0, ("" if find(body, "~") >= 0 else "=", prefix))
    answers = []
    for marker, raw in parts:
        fraction, raw = _read_weight(raw, Fraction(1 if marker == "=" else 0), offset)
        text, feedback = cut(raw, "#")
        if not answer_text(text):
            raise GiftProblem(GiftCode.EMPTY_ANSWER, offset)
        answers.append((answer_text(text), fraction, answer_text(feedback)))
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
        raise GiftProblem(GiftCode.WEIGHT, offset, found.group(0).strip())
    return fraction, raw[found.end() :]


def _read_choices(body: str, offset: int) -> tuple[Choice, ...]:
    choices = tuple(
        Choice(number, text, fraction, feedback)
        for number, (text, fraction, feedback) in enumerate(_read_answers(body, offset), 1)
    )
    if len(choices) < 2:
        raise GiftProblem(GiftCode.FEW_CHOICES, offset)
    _require_marks(choices, offset)
    return choices


def _require_marks(answers: Iterable[Any], offset: int) -> None:
    if not any(answer.fraction > 0 for answer in answers):
        raise GiftProblem(GiftCode.NO_CORRECT, offset)


def _read_numerical(body: str, offset: int) -> tuple[NumericalAnswer, ...]:
    """Numerical answers; as in Moodle, text before the first ``=`` is an answer too and a ``~#…``
    after them is the feedback for any other number."""
    body, other = cut(body, "~")
    (_, prefix), *rest = split(body, "=")
    if prefix.strip():
        rest.insert(0, ("=", prefix))
    parts = [_read_weight(raw, Fraction(1), offset) for _, raw in rest]
    answers = [_read_number_answer(raw, fraction, offset) for fraction, raw in parts]
    if not answers:
        raise GiftProblem(GiftCode.EMPTY_ANSWER, offset)
    if other is not None:
        answers.append(other_number(answer_text(cut(other, "#")[1])))
    _require_marks(answers, offset)
    return tuple(answers)


def _read_number_answer(raw: str, fraction: Fraction, offset: int) -> NumericalAnswer:
    spec, feedback = cut(raw, "#")
    spec = spec.strip()
    if not spec:
        raise GiftProblem(GiftCode.EMPTY_ANSWER, offset)
    low, high = cut(spec, "..")
    if high is not None:
        start, end = read_number(low, offset), read_number(high, offset)
        if start > end:
            raise GiftProblem(GiftCode.BAD_RANGE, offset, spec)
        value, tolerance = (start + end) / 2, (end - start) / 2
    else:
        value_text, tolerance_text = cut(spec, ":")
        value = read_number(value_text, offset)
        tolerance = Decimal(0) if tolerance_text is None else read_number(tolerance_text, offset)
        if tolerance < 0:
            raise GiftProblem(GiftCode.NEGATIVE_TOLERANCE, offset, spec)
    return NumericalAnswer(value, tolerance, fraction, answer_text(feedback))


def read_number(text: str, offset: int | None, code: GiftCode = GiftCode.NOT_A_NUMBER) -> Decimal:
    """A number as GIFT writes it (a decimal comma accepted), or a GiftProblem with `code`."""
    try:
        number = Decimal(unescape(text).strip().replace(",", "."))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise GiftProblem(code, offset, text.strip())
    return number


def _read_matching(body: str, offset: int) -> dict[str, Any]:
    (_, prefix), *parts = split(body, "=")
    if prefix.strip():
        parts.insert(0, ("=", prefix))
    right_ids: dict[str, int] = {}
    pairs = []
    for _, raw in parts:
        left, right = cut(raw, "->")
        if right is None:
            raise GiftProblem(GiftCode.NO_ARROW, offset, raw.strip()[:40])
        if not clean(right):
            raise GiftProblem(GiftCode.EMPTY_ANSWER, offset)
        right_id = right_ids.setdefault(clean(right), len(right_ids) + 1)
        if answer_text(left):
            pairs.append((answer_text(left), right_id))
    if len(pairs) < 2:
        raise GiftProblem(GiftCode.FEW_PAIRS, offset)
    return {
        "left": tuple(LeftItem(number, text, right_id) for number, (text, right_id) in enumerate(pairs, 1)),
        "right": tuple(RightItem(right_id, text) for text, right_id in right_ids.items()),
    }


def read_cloze(texts: list[str], blocks: list[tuple[int, str]]) -> dict[str, Any]:
    """A cloze question's text (gaps replaced by {#n}), its gaps and its general feedback."""
    if any(GAP_PLACEHOLDER.search(text) for text in texts):
        raise GiftProblem(GiftCode.PLACEHOLDER)
    parts = [texts[0]]
    gaps: list[AnyGap] = []
    general: str | None = None
    for (offset, content), after in zip(blocks, texts[1:], strict=True):
        found = _GAP.match(content)
        if found:
            gaps.append(_read_gap(len(gaps) + 1, found, offset))
            parts.append(f"{{#{len(gaps)}}}")
        else:
            body, feedback = cut(content, "####")
            if body.strip() or feedback is None or general is not None:
                raise GiftProblem(GiftCode.CLOZE_MIXED, offset)
            general = clean(feedback)
        parts.append(after)
    return {"text": "".join(parts).strip(), "gaps": tuple(gaps), "general_feedback": general or ""}


def _read_gap(number: int, found: re.Match[str], offset: int) -> AnyGap:
    weight_text, type_name, body = found.groups()
    weight = int(weight_text) if weight_text else 1
    if weight < 1:
        raise GiftProblem(GiftCode.GAP_WEIGHT, offset, weight_text)
    if type_name.upper() not in _GAP_TYPES:
        raise GiftProblem(GiftCode.UNKNOWN_GAP, offset, type_name)
    kind, case_sensitive = _GAP_TYPES[type_name.upper()]
    answers = []
    for index, (_, raw) in enumerate(split(body, "~")):
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
        text, feedback = cut(raw, "#")
        if not clean(text):
            raise GiftProblem(GiftCode.EMPTY_ANSWER, offset)
        answers.append(Answer(answer_text(text), fraction, answer_text(feedback)))
    if not answers:
        raise GiftProblem(GiftCode.EMPTY_ANSWER, offset)
    _require_marks(answers, offset)
    if kind == "numerical":
        return NumericalGap(number=number, weight=weight, answers=tuple(answers))
    if kind == "shortanswer":
        return ShortAnswerGap(
            number=number, weight=weight, answers=tuple(answers), case_sensitive=case_sensitive
        )
    if len(answers) < 2:
        raise GiftProblem(GiftCode.FEW_CHOICES, offset)
    choices = (Choice(index, a.text, a.fraction, a.feedback) for index, a in enumerate(answers, 1))
    return ChoiceGap(number=number, weight=weight, choices=tuple(choices))
