"""Moodle course backup, pure: one `<question>` of questions.xml as one of our question types.

A question keeps its Moodle data under `plugin_qtype_<type>_question` (answers with a decimal
`fraction`, then the type's own options). Types we have: multichoice (single and multiple), truefalse,
shortanswer, numerical (units ignored), match, essay, description and multianswer (cloze, whose
sub-questions are separate `<question>` elements naming it as parent). Anything else, or data our
types refuse, gives a problem code instead of a question (the restore reports it).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any
from xml.etree.ElementTree import Element

from courses.moodle_backup_read import ident, text
from courses.quiz.questions import (
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
    RightItem,
    ShortAnswer,
    ShortAnswerGap,
    SingleChoice,
    TextFormat,
    TrueFalse,
)

#: Moodle's text formats: 0 "Moodle auto-format", 1 HTML, 2 plain text, 4 Markdown.
TEXT_FORMATS: dict[str, TextFormat] = {"0": "moodle", "1": "html", "2": "plain", "4": "markdown"}
SUPPORTED = frozenset(
    {"multichoice", "truefalse", "shortanswer", "numerical", "match", "essay", "description", "multianswer"}
)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


class QuestionProblem(ValueError):
    """The question cannot become one of ours; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def plain(value: str) -> str:
    """Answer and item texts are plain in our questions: tags dropped, entities decoded, spaces joined."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", value))).strip()


def fraction(raw: str) -> Fraction:
    """Moodle's 7-place decimals (0.3333333) as the fraction they stand for (1/3), within -1..1."""
    try:
        value = Fraction(Decimal(raw.strip() or "0")).limit_denominator(1000)
    except (InvalidOperation, ValueError):
        raise QuestionProblem("malformed") from None
    return max(Fraction(-1), min(Fraction(1), value))


def decimal(raw: str, default: str = "0") -> Decimal:
    try:
        value = Decimal((raw or default).strip())
    except InvalidOperation:
        raise QuestionProblem("malformed") from None
    if not value.is_finite() or abs(value) > 10**9:
        raise QuestionProblem("malformed")
    return value.normalize() if value != value.to_integral() else value.quantize(Decimal(1))


def _plugin(question: Element, qtype: str) -> Element | None:
    return question.find(f"plugin_qtype_{qtype}_question")


def _answers(plugin: Element | None) -> list[tuple[int, str, Fraction, str]]:
    """(id, text, fraction, feedback) of each answer, blank ones left out as Moodle does."""
    found = []
    for answer in plugin.findall("answers/answer") if plugin is not None else []:
        body = text(answer, "answertext")
        if body.strip():
            found.append(
                (
                    ident(answer.get("id")),
                    body,
                    fraction(text(answer, "fraction")),
                    plain(text(answer, "feedback")),
                )
            )
    return found


def _choices(plugin: Element | None) -> tuple[Choice, ...]:
    return tuple(
        Choice(id=n, text=plain(body) or body.strip(), fraction=value, feedback=feedback)
        for n, (_id, body, value, feedback) in enumerate(_answers(plugin), start=1)
    )


def _short_answers(plugin: Element | None) -> tuple[Answer, ...]:
    return tuple(
        Answer(text=plain(body), fraction=value, feedback=fb) for _id, body, value, fb in _answers(plugin)
    )


def _numerical_answers(plugin: Element | None) -> tuple[NumericalAnswer, ...]:
    tolerances = {
        number: text(record, "tolerance")
        for record in (plugin.findall("numerical_records/numerical_record") if plugin is not None else [])
        if (number := text(record, "answer"))
    }
    answers = []
    for answer_id, body, value, feedback in _answers(plugin):
        if body.strip() == "*":  # "any other answer": our numerical questions mark it wrong anyway
            continue
        tolerance = abs(decimal(tolerances.get(str(answer_id), "0")))
        answers.append(
            NumericalAnswer(
                value=decimal(plain(body)), tolerance=tolerance, fraction=value, feedback=feedback
            )
        )
    return tuple(answers)


def _single(plugin: Element | None, qtype: str) -> bool:
    options = plugin.find(qtype) if plugin is not None else None
    return text(options, "single", "1") != "0"


def _matching(plugin: Element | None, common: dict[str, Any]) -> Matching:
    pairs = [
        (plain(text(m, "questiontext")), plain(text(m, "answertext")))
        for m in (plugin.findall("matches/match") if plugin is not None else [])
    ]
    right_ids: dict[str, int] = {}
    for _prompt, answer in pairs:
        if answer:
            right_ids.setdefault(answer, len(right_ids) + 1)
    left = tuple(
        LeftItem(id=n, text=prompt, right_id=right_ids[answer])
        for n, (prompt, answer) in enumerate(((p, a) for p, a in pairs if p and a), start=1)
    )
    right = tuple(RightItem(id=i, text=t) for t, i in right_ids.items())
    return Matching(**common, left=left, right=right)


def _truefalse(question: Element, plugin: Element | None, common: dict[str, Any]) -> TrueFalse:
    options = plugin.find("truefalse") if plugin is not None else None
    answers = {str(a_id): (value, feedback) for a_id, _body, value, feedback in _answers(plugin)}
    true_value, feedback_true = answers.get(text(options, "trueanswer"), (Fraction(0), ""))
    _false, feedback_false = answers.get(text(options, "falseanswer"), (Fraction(0), ""))
    return TrueFalse(
        **common, correct=true_value > 0, feedback_true=feedback_true, feedback_false=feedback_false
    )


def _case_sensitive(plugin: Element | None) -> bool:
    return text(plugin.find("shortanswer") if plugin is not None else None, "usecase") == "1"


def gap(number: int, child: Element) -> AnyGap:
    """A cloze gap from one of the multianswer's sub-questions (its mark is the gap's weight)."""
    qtype = text(child, "qtype")
    weight = min(100, max(1, int(decimal(text(child, "defaultmark"), "1").to_integral_value())))
    plugin = _plugin(child, qtype)
    if qtype == "shortanswer":
        return ShortAnswerGap(
            number=number,
            weight=weight,
            answers=_short_answers(plugin),
            case_sensitive=_case_sensitive(plugin),
        )
    if qtype == "numerical":
        return NumericalGap(number=number, weight=weight, answers=_numerical_answers(plugin))
    if qtype == "multichoice" and _single(plugin, "multichoice"):
        return ChoiceGap(number=number, weight=weight, choices=_choices(plugin))
    raise QuestionProblem("cloze_gap_unsupported")


def to_question(
    question: Element, category: str | None, children: Callable[[int], Element | None]
) -> AnyQuestion:
    """Our question for a Moodle `<question>`; `children(id)` finds a cloze's sub-question by id."""
    qtype = text(question, "qtype")
    if qtype not in SUPPORTED:
        raise QuestionProblem("unsupported_type")
    common: dict[str, Any] = {
        "name": plain(text(question, "name"))[:255] or "—",
        "text": text(question, "questiontext"),
        "text_format": TEXT_FORMATS.get(text(question, "questiontextformat", "1"), "html"),
        "default_mark": abs(decimal(text(question, "defaultmark"), "1")),
        "general_feedback": text(question, "generalfeedback"),
        "category": category,
    }
    plugin = _plugin(question, qtype)
    try:
        if qtype == "multichoice":
            kind = SingleChoice if _single(plugin, "multichoice") else MultipleChoice
            return kind(**common, choices=_choices(plugin))
        if qtype == "truefalse":
            return _truefalse(question, plugin, common)
        if qtype == "shortanswer":
            return ShortAnswer(
                **common, answers=_short_answers(plugin), case_sensitive=_case_sensitive(plugin)
            )
        if qtype == "numerical":
            return Numerical(**common, answers=_numerical_answers(plugin))
        if qtype == "match":
            return _matching(plugin, common)
        if qtype == "essay":
            return Essay(**common)
        if qtype == "description":
            return Description(**{**common, "default_mark": Decimal(0)})
        sequence = text(plugin.find("multianswer") if plugin is not None else None, "sequence")
        gaps = []
        for number, part in enumerate(sequence.split(","), start=1):
            child = children(int(part)) if part.strip().isdecimal() else None
            if child is None:
                raise QuestionProblem("cloze_gap_missing")
            gaps.append(gap(number, child))
        return Cloze(**common, gaps=tuple(gaps))
    except QuestionProblem:
        raise
    except (ValueError, TypeError, ArithmeticError):
        raise QuestionProblem("not_valid") from None
