"""Moodle course backup, pure: questions.xml — the question categories and their questions — read
into our questions, for Moodle 3.x (`question_category/questions/question`) and 4.x
(`question_category/question_bank_entries/question_bank_entry/question_version/question_versions/
questions/question`, one bank entry per question with its versions; the newest is taken).

Quizzes name their questions by question id (3.x), by bank entry (4.x `question_reference`), or
draw at random from a category (3.x `random` questions, 4.x `question_set_reference`). Those
lookups are here; the quiz itself is `courses.moodle_restore`'s business.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from courses.moodle_backup_read import ident, number, parse, text
from courses.moodle_question_types import QuestionProblem, plain, to_question
from courses.quiz.questions import AnyQuestion


@dataclass(frozen=True)
class Category:
    id: int
    name: str
    parent_id: int
    context_id: int


@dataclass(frozen=True)
class ReadQuestion:
    """One top-level question of the bank: ours, or the code of why it could not be carried over."""

    source_id: int
    category_id: int
    name: str
    qtype: str
    question: AnyQuestion | None
    problem: str = ""


@dataclass
class MoodleBank:
    categories: dict[int, Category] = field(default_factory=dict)
    questions: list[ReadQuestion] = field(default_factory=list)
    by_id: dict[int, ReadQuestion] = field(default_factory=dict)
    by_entry: dict[int, ReadQuestion] = field(default_factory=dict)
    randoms: dict[int, tuple[int, bool]] = field(default_factory=dict)  # id → (category, subcategories)

    def path(self, category_id: int) -> str | None:
        """The category's path ("Курс/Алгебра") without Moodle's invisible "top" categories."""
        parts: list[str] = []
        seen: set[int] = set()
        current = self.categories.get(category_id)
        while current is not None and current.id not in seen:
            seen.add(current.id)
            name = plain(current.name).replace("/", "-").strip()
            if not (current.parent_id == 0 and name == "top") and name:
                parts.append(name[:255])
            current = self.categories.get(current.parent_id)
        return "/".join(reversed(parts)) or None


def _version(entry: Element) -> tuple[int, Element | None]:
    """A 4.x bank entry's newest version (its number and its `<question>`)."""
    best: tuple[int, Element | None] = (-1, None)
    for version in entry.findall("question_version/question_versions"):
        found = version.find("questions/question")
        if found is not None and number(version, "version") > best[0]:
            best = (number(version, "version"), found)
    return best


def read_questions(data: bytes) -> MoodleBank:
    root = parse(data, "questions.xml", "question_categories")
    bank = MoodleBank()
    elements: dict[int, Element] = {}
    tops: list[tuple[int, int, Element]] = []  # (category, entry id or 0, question)
    for category in root.findall("question_category"):
        cat_id = ident(category.get("id"))
        bank.categories[cat_id] = Category(
            cat_id, text(category, "name"), number(category, "parent"), number(category, "contextid")
        )
        found: list[tuple[int, Element]] = [(0, q) for q in category.findall("questions/question")]
        for entry in category.findall("question_bank_entries/question_bank_entry"):
            _number, question = _version(entry)
            if question is not None:
                found.append((ident(entry.get("id")), question))
        for entry_id, question in found:
            elements[ident(question.get("id"))] = question
            parent = number(question, "parent")
            if parent == 0 or parent == ident(question.get("id")):
                tops.append((cat_id, entry_id, question))
    for cat_id, entry_id, question in tops:
        source_id = ident(question.get("id"))
        qtype = text(question, "qtype")
        if qtype == "random":
            bank.randoms[source_id] = (cat_id, text(question, "questiontext").strip() == "1")
            continue
        read = _read_one(bank, cat_id, source_id, question, elements)
        bank.questions.append(read)
        bank.by_id[source_id] = read
        if entry_id:
            bank.by_entry[entry_id] = read
    return bank


def _read_one(
    bank: MoodleBank, cat_id: int, source_id: int, question: Element, elements: dict[int, Element]
) -> ReadQuestion:
    name, qtype = plain(text(question, "name"))[:255] or "—", text(question, "qtype")
    try:
        ours = to_question(question, bank.path(cat_id), elements.get)
    except QuestionProblem as problem:
        return ReadQuestion(source_id, cat_id, name, qtype, None, problem.code)
    return ReadQuestion(source_id, cat_id, name, qtype, ours)


@dataclass(frozen=True)
class SlotRef:
    """One quiz slot as quiz.xml has it: a question (by id or bank entry) or a random draw."""

    slot: int
    max_mark: str
    question_id: int = 0
    entry_id: int = 0
    random_category: int = 0
    include_subcategories: bool = False


def random_filter(raw: str) -> tuple[int, bool]:
    """The category a 4.x random slot draws from, in the 4.0–4.2 and the 4.3+ filter forms."""
    try:
        condition = json.loads(raw or "{}")
    except ValueError:
        return 0, False
    if not isinstance(condition, dict):
        return 0, False
    category = condition.get("questioncategoryid")
    subcategories = str(condition.get("includingsubcategories", "0")) in ("1", "True", "true")
    found = condition.get("filter", {}).get("category") if isinstance(condition.get("filter"), dict) else None
    if isinstance(found, dict) and found.get("values"):
        category = found["values"][0]
        subcategories = bool((found.get("filteroptions") or {}).get("includesubcategories"))
    try:
        return int(category or 0), subcategories
    except (TypeError, ValueError):
        return 0, False


def read_slots(quiz: Element) -> list[SlotRef]:
    """The quiz's slots in order (3.x `questionid`, 2.x `question`, 4.x references)."""
    slots = []
    for n, instance in enumerate(quiz.findall("question_instances/question_instance"), start=1):
        position = number(instance, "slot", n)
        mark = text(instance, "maxmark") or text(instance, "grade")
        reference = instance.find("question_reference")
        chosen = instance.find("question_set_reference")
        if reference is not None:
            slots.append(SlotRef(position, mark, entry_id=number(reference, "questionbankentryid")))
        elif chosen is not None:
            category, sub = random_filter(text(chosen, "filtercondition"))
            slots.append(SlotRef(position, mark, random_category=category, include_subcategories=sub))
        else:
            question_id = number(instance, "questionid") or number(instance, "question")
            slots.append(SlotRef(position, mark, question_id=question_id))
    return sorted(slots, key=lambda s: s.slot)
