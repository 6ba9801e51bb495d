"""Question bank room, pure core: writing questions as Moodle XML, which Moodle's question bank
imports and `moodlexml_read.parse_moodle_xml` reads back into equal questions (ids numbered 1, 2, …
as import numbers them, texts without surrounding spaces).

Each type as Moodle writes it: a category pseudo-question wherever the category changes
(``$course$/top/<path>``), grades as percentages (exact when they terminate, else 5 decimals, read
back as the nearest fraction with a denominator up to 100), a cloze question's gaps as Moodle's
embedded codes in its text, the "any other number" answer as ``*``. Penalties are Moodle's
defaults: our quizzes have none to carry.
"""

import xml.etree.ElementTree as ET  # only builds documents: reading goes through defusedxml
from collections.abc import Iterable
from decimal import Context, Decimal
from fractions import Fraction

from courses.quiz.gift_syntax import is_other_number
from courses.quiz.gift_write import write_gap
from courses.quiz.questions import (
    GAP_PLACEHOLDER,
    Cloze,
    Description,
    Essay,
    Matching,
    MultipleChoice,
    Numerical,
    Question,
    ShortAnswer,
    SingleChoice,
    TextFormat,
    TrueFalse,
)

_EXACT = Context(prec=1_000)
_FORMATS: dict[TextFormat, str] = {
    "html": "html",
    "moodle": "moodle_auto_format",
    "plain": "plain_text",
    "markdown": "markdown",
}
_TYPES = {
    SingleChoice: "multichoice",
    MultipleChoice: "multichoice",
    TrueFalse: "truefalse",
    ShortAnswer: "shortanswer",
    Numerical: "numerical",
    Matching: "match",
    Essay: "essay",
    Cloze: "multianswer",
    Description: "description",
}


def export_moodle_xml(questions: Iterable[Question]) -> str:
    """Moodle XML for the questions, with a category question wherever the category changes."""
    quiz = ET.Element("quiz")
    category: str | None = None
    first = True
    for question in questions:
        if first or question.category != category:
            category, first = question.category, False
            node = ET.SubElement(quiz, "question", type="category")
            _text(node, "category", "$course$/top" + (f"/{category}" if category else ""))
        quiz.append(_question(question))
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


def percent(fraction: Fraction) -> str:
    """A grade as Moodle XML writes it: exact when it terminates, else to 5 decimals (33.33333)."""
    value = fraction * 100
    denominator = value.denominator
    for factor in (2, 5):
        while denominator % factor == 0:
            denominator //= factor
    if denominator == 1:
        return format(_EXACT.divide(Decimal(value.numerator), Decimal(value.denominator)), "f")
    return format(Decimal(round(value * 10**5)).scaleb(-5), "f")


def _text(parent: ET.Element, tag: str, text: str, text_format: str | None = None) -> ET.Element:
    node = ET.SubElement(parent, tag, {"format": text_format} if text_format else {})
    ET.SubElement(node, "text").text = text
    return node


def _question(question: Question) -> ET.Element:
    kind = _TYPES[type(question)]
    node = ET.Element("question", type=kind)
    text_format = _FORMATS[question.text_format]
    _text(node, "name", question.name)
    text = _cloze_text(question) if isinstance(question, Cloze) else question.text
    _text(node, "questiontext", text, text_format)
    _text(node, "generalfeedback", question.general_feedback, text_format)
    ET.SubElement(node, "defaultgrade").text = str(question.default_mark)
    penalty = (
        "1" if isinstance(question, TrueFalse) else "0" if kind in ("essay", "description") else "0.3333333"
    )
    ET.SubElement(node, "penalty").text = penalty
    ET.SubElement(node, "hidden").text = "0"
    _body(node, question, text_format)
    return node


def _answer(parent: ET.Element, fraction: Fraction, text: str, feedback: str) -> ET.Element:
    """Answers and their feedback are plain text in our questions, so Moodle gets them as such."""
    node = _text(parent, "answer", text, "plain_text")
    node.set("fraction", percent(fraction))
    _text(node, "feedback", feedback, "plain_text")
    return node


def _body(node: ET.Element, question: Question, text_format: str) -> None:
    if isinstance(question, SingleChoice | MultipleChoice):
        ET.SubElement(node, "single").text = "true" if isinstance(question, SingleChoice) else "false"
        ET.SubElement(node, "shuffleanswers").text = "true"
        ET.SubElement(node, "answernumbering").text = "abc"
        for choice in question.choices:
            _answer(node, choice.fraction, choice.text, choice.feedback)
    elif isinstance(question, TrueFalse):
        _answer(node, Fraction(int(question.correct)), "true", question.feedback_true)
        _answer(node, Fraction(int(not question.correct)), "false", question.feedback_false)
    elif isinstance(question, ShortAnswer):
        ET.SubElement(node, "usecase").text = "1" if question.case_sensitive else "0"
        for answer in question.answers:
            _answer(node, answer.fraction, answer.text, answer.feedback)
    elif isinstance(question, Numerical):
        for number in question.answers:
            other = is_other_number(number)
            value = "*" if other else str(number.value)
            written = _answer(node, number.fraction, value, number.feedback)
            ET.SubElement(written, "tolerance").text = "0" if other else str(number.tolerance)
        for tag, value in (("unitgradingtype", "0"), ("unitpenalty", "0.1"), ("showunits", "3")):
            ET.SubElement(node, tag).text = value
        ET.SubElement(node, "unitsleft").text = "0"
    elif isinstance(question, Matching):
        ET.SubElement(node, "shuffleanswers").text = "true"
        texts = {item.id: item.text for item in question.right}
        used = {item.right_id for item in question.left}
        pairs = [(item.text, texts[item.right_id]) for item in question.left]
        pairs += [("", item.text) for item in question.right if item.id not in used]
        for left, right in pairs:
            sub = _text(node, "subquestion", left, "plain_text")
            _text(sub, "answer", right)
    elif isinstance(question, Essay):
        for tag, value in (
            ("responseformat", "editor"),
            ("responserequired", "1"),
            ("responsefieldlines", "15"),
        ):
            ET.SubElement(node, tag).text = value
        ET.SubElement(node, "attachments").text = "0"
        ET.SubElement(node, "attachmentsrequired").text = "0"
        _text(node, "graderinfo", "", "html")
        _text(node, "responsetemplate", "", "html")


def _cloze_text(question: Cloze) -> str:
    """The text with each ``{#n}`` replaced by its gap's code; braces and backslashes of the text
    itself escaped, as the code reader expects."""
    pieces = GAP_PLACEHOLDER.split(question.text)
    return "".join(
        piece.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
        if index % 2 == 0
        else write_gap(question.gaps[int(piece) - 1])
        for index, piece in enumerate(pieces)
    )
