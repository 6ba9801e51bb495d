"""Question bank room, pure core: reading GIFT (Moodle's format plus cloze gaps) into questions.

What is read, as Moodle reads it: questions separated by blank lines; whole-line ``//`` comments;
``$CATEGORY: path`` lines (the latest applies to the questions after it; an empty path clears it;
Moodle's ``$course$/top/`` in front is dropped);
``::title::``; ``[markdown]``/``[html]``/``[plain]``/``[moodle]`` before the text; ``\\`` escapes for
``~ = # { } :`` and ``\\\\`` (``\\n`` is a newline, ``\\%`` and ``\\-`` are also accepted so that an answer
may start with ``%`` or contain ``->``); ``%50%`` weights (negative allowed); ``#`` feedback per
answer and ``####`` general feedback; an answer block anywhere in the text ("missing word": the
blank is shown as ``_____``); blocks spanning lines.

Answer blocks, tested in Moodle's order: ``{}`` essay; ``{#3.5:0.1}``, ``{#2..5}``,
``{#=3.5:0.1 =%50%3:1 ~#any other number}`` numerical (a decimal comma is accepted; ``~#…`` is the
feedback for any other number); any ``~`` makes a choice question, ``single`` when some answer
starts with ``=`` and ``multiple`` otherwise, ``->`` inside a choice being text;
``{=a -> 1 =b -> 2 = -> distractor}`` matching; exactly ``{T}``/``{TRUE}``/``{F}``/``{FALSE}``
true/false (``#wrong answer feedback#right answer feedback``); anything else a short answer
(``{=a =%50%b}``, or ``{Paris}`` without ``=``); no block at all: a description. As in Moodle,
text before the first ``=``/``~`` is an answer too, and an answer or feedback may begin with a
``[html]``-style tag, which is dropped. A blank line missing between two questions is found
(`_glued_questions`) and reported as a warning, both questions being read.

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

`gift_write.export_gift` writes GIFT that `parse_gift` reads back into equal questions when ids
are numbered 1, 2, … in order (as import numbers them) and texts carry no surrounding spaces.
Weights that are not terminating decimals are written with 5 decimals (33.33333%) and read back as
the nearest fraction with a denominator up to 100; a description's general feedback cannot be written.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from courses.quiz.gift_blocks import is_gap, read_block, read_cloze, read_number
from courses.quiz.gift_syntax import (
    BLANK,
    GiftCode,
    GiftProblem,
    clean,
    find,
    next_brace,
    scan_blocks,
    unescape,
)
from courses.quiz.moodle_questions import category_path
from courses.quiz.questions import AnyQuestion, Cloze, Description, ShortAnswer, TextFormat

_FORMAT = re.compile(r"\s*\[(markdown|html|plain|moodle)\]")
_OPTIONS = re.compile(r"//\s*vmeste:(.*)")
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class GiftError:
    """A question that could not be read: where it is, a stable code to word, the culprit."""

    line: int
    code: GiftCode
    snippet: str = ""


@dataclass(frozen=True)
class ImportResult:
    """Questions read, each with the line it starts on, one error per question that was not, and
    warnings about questions read all the same (a blank line missing before one)."""

    questions: list[tuple[AnyQuestion, int]]
    errors: list[GiftError]
    warnings: list[GiftError] = field(default_factory=list)


def parse_gift(text: str) -> ImportResult:
    """Read GIFT text; every question that cannot be read becomes an error with its line instead."""
    questions: list[tuple[AnyQuestion, int]] = []
    errors: list[GiftError] = []
    warnings: list[GiftError] = []
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
                category = category_path(stripped[len("$CATEGORY:") :])
            else:
                lines.append((number, line))
        for index, glued in enumerate(_glued_questions(lines)):
            group = glued
            while group and group[0][1].strip().startswith("$CATEGORY:"):
                category = category_path(group[0][1].strip()[len("$CATEGORY:") :])
                group = group[1:]
            if not group:
                continue
            if index:
                warnings.append(GiftError(glued[0][0], GiftCode.MISSING_BLANK_LINE))
            source = "\n".join(line for _, line in group)
            try:
                questions.append((_read_question(source, category, options), group[0][0]))
            except GiftProblem as problem:
                offset = 0 if problem.offset is None else problem.offset
                line_no = group[source.count("\n", 0, offset)][0]
                errors.append(GiftError(line_no, problem.code, problem.snippet))
    return ImportResult(questions, errors, warnings)


def _glued_questions(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """A block cut where a blank line is missing between two questions. After a closed ordinary
    answer block, a line outside braces starts a new question when it opens with a ``::title::``
    or when an answer block follows (else it is the rest of a "missing word" text); after a cloze
    gap only a title does, so cloze questions may span lines."""
    groups: list[list[tuple[int, str]]] = [[]]
    depth, content, closed = 0, "", ""
    for index, (number, line) in enumerate(lines):
        if groups[-1] and depth == 0 and closed:
            rest = "\n".join(text for _, text in lines[index:])
            brace = next_brace(rest, 0)
            opens_block = closed == "plain" and brace >= 0 and rest[brace] == "{"
            if line.lstrip().startswith("::") or opens_block:
                groups.append([])
                closed = ""
        groups[-1].append((number, line))
        position = 0
        while position < len(line):
            char = line[position]
            if char == "\\":
                content += line[position : position + 2] if depth else ""
                position += 2
                continue
            if char == "{":
                depth, content = depth + 1, ""
            elif char == "}" and depth:
                depth -= 1
                gap = is_gap(content) or content.strip().startswith("####")
                closed = "gap" if gap else "plain"
            elif depth:
                content += char
            position += 1
        if depth:
            content += "\n"
    return [group for group in groups if group]


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
        end = find(source, "::", position + 2)
        if end < 0:
            raise GiftProblem(GiftCode.UNCLOSED_TITLE, position)
        title = clean(source[position + 2 : end])
        position = end + 2
    text_format: TextFormat = "moodle"
    found = _FORMAT.match(source, position)
    if found:
        text_format = found.group(1)  # type: ignore[assignment]
        position = found.end()
    segments, blocks = scan_blocks(source, position)
    texts = [unescape(segment) for segment in segments]
    common: dict[str, Any] = {"text_format": text_format, "category": category}
    if not blocks:
        kind, fields = Description, {}
        common["text"] = texts[0].strip()
        if not common["text"]:
            raise GiftProblem(GiftCode.NOTHING)
    elif any(is_gap(content) for _, content in blocks):
        kind, fields = Cloze, read_cloze(texts, blocks)
    elif len(blocks) > 1:
        raise GiftProblem(GiftCode.TWO_BLOCKS, blocks[1][0])
    else:
        before, after = texts
        common["text"] = (before + BLANK + after).strip() if after.strip() else before.strip()
        kind, fields = read_block(*blocks[0])
    if not fields.setdefault("text", common.pop("text", "")):
        raise GiftProblem(GiftCode.NO_TEXT)
    fields.setdefault("general_feedback", "")
    _apply_options(kind, fields, options)
    fields["name"] = title or _default_name(fields["text"], text_format)
    try:
        return kind(**common, **fields)  # type: ignore[no-any-return]
    except ValueError as error:
        raise GiftProblem(GiftCode.INVALID, None, str(error)) from error


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
            fields["default_mark"] = read_number(value, None, GiftCode.BAD_OPTION)
        elif token == "case_sensitive":
            if kind is ShortAnswer:
                fields["case_sensitive"] = True
        else:
            raise GiftProblem(GiftCode.BAD_OPTION, None, token)
