"""Question bank room, pure core: reading Moodle XML (the question bank's own export format) into
questions, each with the line its ``<question>`` starts on, and one error per question that is not
ours to read (an unknown type, a malformed answer), as `gift_read` does for GIFT.

Parsed with defusedxml's SAX reader, so entities and external references are refused, and every
element keeps its line. What is read per type is `moodle_questions.to_question`'s dict; category
pseudo-questions (``$course$/top/Алгебра/Линейные``) give the questions after them their path.
"""

from __future__ import annotations

import xml.sax
from dataclasses import dataclass, field
from typing import Any
from xml.sax.xmlreader import AttributesImpl, Locator

import defusedxml.sax
from defusedxml import DefusedXmlException

from courses.quiz.moodle_questions import MoodleCode, MoodleProblem, category_path, html_to_text, to_question
from courses.quiz.questions import AnyQuestion


@dataclass
class Node:
    """An XML element: its tag, attributes, the line it starts on, its text and child elements."""

    tag: str
    attrs: dict[str, str]
    line: int
    text: str = ""
    children: list[Node] = field(default_factory=list)

    def child(self, tag: str) -> Node | None:
        return next((node for node in self.children if node.tag == tag), None)

    def every(self, tag: str) -> list[Node]:
        return [node for node in self.children if node.tag == tag]

    def text_of(self, tag: str) -> str:
        """The ``<text>`` inside child `tag` (``<name><text>…</text></name>``), or its own text."""
        node = self.child(tag)
        if node is None:
            return ""
        inner = node.child("text")
        return (inner.text if inner is not None else node.text).strip()


@dataclass(frozen=True)
class MoodleError:
    """A question that could not be read: its line, a stable code to word, the culprit."""

    line: int
    code: MoodleCode
    snippet: str = ""


@dataclass(frozen=True)
class XmlImportResult:
    """Questions read, each with the line it starts on, and one error per question that was not."""

    questions: list[tuple[AnyQuestion, int]]
    errors: list[MoodleError]


class _Builder(xml.sax.ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[Node] = []
        self.root: Node | None = None
        self.locator: Locator | None = None

    def setDocumentLocator(self, locator: Locator) -> None:  # noqa: N802 (SAX's name)
        self.locator = locator

    def startElement(self, name: str, attrs: AttributesImpl) -> None:  # noqa: N802
        line = (self.locator.getLineNumber() if self.locator else None) or 1
        node = Node(name, dict(attrs.items()), line)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def endElement(self, name: str) -> None:  # noqa: N802
        self.stack.pop()

    def characters(self, content: str) -> None:
        if self.stack:
            self.stack[-1].text += content


def parse_tree(data: str | bytes) -> Node:
    """The document's root element; MoodleProblem BAD_XML (its line in `snippet`) when malformed."""
    builder = _Builder()
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        defusedxml.sax.parseString(raw.removeprefix(b"\xef\xbb\xbf"), builder)
    except xml.sax.SAXParseException as error:
        raise MoodleProblem(MoodleCode.BAD_XML, str(error.getLineNumber())) from error
    except DefusedXmlException as error:
        raise MoodleProblem(MoodleCode.BAD_XML, "1") from error
    assert builder.root is not None
    return builder.root


def parse_moodle_xml(data: str | bytes) -> XmlImportResult:
    """Read a Moodle XML question file; a file that is no Moodle XML at all is one error at line 1
    (or at the line where the XML breaks)."""
    try:
        root = parse_tree(data)
    except MoodleProblem as problem:
        return XmlImportResult([], [MoodleError(int(problem.snippet or 1), problem.code)])
    if root.tag != "quiz":
        return XmlImportResult([], [MoodleError(root.line, MoodleCode.NOT_MOODLE_XML)])
    questions: list[tuple[AnyQuestion, int]] = []
    errors: list[MoodleError] = []
    category: str | None = None
    for node in root.every("question"):
        qtype = node.attrs.get("type", "")
        if qtype == "category":
            category = category_path(node.text_of("category"))
            continue
        try:
            questions.append((to_question({**parsed_question(node, qtype), "category": category}), node.line))
        except MoodleProblem as problem:
            errors.append(MoodleError(node.line, problem.code, problem.snippet))
    return XmlImportResult(questions, errors)


def _answer(node: Node) -> dict[str, Any]:
    return {
        "text": _plain(node, node.text_of("text") if node.child("text") else ""),
        "fraction": _percent(node.attrs.get("fraction", "0")),
        "feedback": _plain(node.child("feedback"), node.text_of("feedback")),
        "tolerance": node.text_of("tolerance") or "0",
    }


def _plain(node: Node | None, text: str) -> str:
    """An answer's, item's or feedback's text as plain text: HTML ones lose their tags."""
    return html_to_text(text) if node is not None and node.attrs.get("format") == "html" else text


def _percent(raw: str) -> str:
    """Moodle XML's grade percentage on the database's 0..1 scale, exactly (as a decimal string)."""
    text = raw.strip().replace(",", ".") or "0"
    negative = text.startswith("-")
    whole, _, part = text.lstrip("+-").partition(".")
    digits = (whole or "0").rjust(3, "0")
    shifted = f"{digits[:-2]}.{digits[-2:]}{part}".lstrip("0") or "0"
    return ("-" if negative else "") + ("0" + shifted if shifted.startswith(".") else shifted)


def parsed_question(node: Node, qtype: str) -> dict[str, Any]:
    """One ``<question>`` as `moodle_questions.to_question`'s dict."""
    text_node = node.child("questiontext")
    parsed: dict[str, Any] = {
        "qtype": qtype,
        "name": node.text_of("name"),
        "text": node.text_of("questiontext"),
        "format": text_node.attrs.get("format", "html") if text_node is not None else "html",
        "general_feedback": node.text_of("generalfeedback"),
        "default_mark": node.text_of("defaultgrade") or None,
        "answers": [_answer(answer) for answer in node.every("answer")],
        "single": node.text_of("single").lower() not in ("false", "0"),
        "case_sensitive": node.text_of("usecase") == "1",
        "subquestions": [
            {
                "text": _plain(sub, sub.text_of("text") if sub.child("text") else ""),
                "answer": sub.text_of("answer"),
            }
            for sub in node.every("subquestion")
        ],
    }
    if qtype == "truefalse":
        answers = parsed["answers"]
        by_text = {answer["text"].lower(): answer for answer in answers}
        true = by_text.get("true", answers[0] if answers else {})
        false = by_text.get("false", answers[1] if len(answers) > 1 else {})
        parsed["correct"] = float(true.get("fraction", "0")) > 0
        parsed["feedback_true"] = true.get("feedback", "")
        parsed["feedback_false"] = false.get("feedback", "")
    return parsed
