"""Moodle course restore: the question bank (questions.xml) into the course's bank, and each quiz
(quiz.xml) over it — fixed questions with their marks, random draws from a category, the dates,
time limit, attempts, grading method and maximum grade. Rows join the restore's one transaction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.i18n import _
from courses.moodle_backup_read import Activity, text
from courses.moodle_files import MoodleFiles, Report
from courses.moodle_questions_read import MoodleBank, ReadQuestion, SlotRef, read_slots
from courses.quiz import quizzes as quiz_quizzes
from courses.quiz.banks import category_paths, ensure_category_path
from courses.quiz.models import Question, QuestionBank, Quiz, QuizSlot
from courses.quiz.question_data import to_data

GRADING_METHODS = {"1": "highest", "2": "average", "3": "first", "4": "last"}


def problem_text(code: str, qtype: str) -> str:
    """Why a question stayed behind, in words."""
    if code == "unsupported_type":
        return _("Questions of the type “%(type)s” are not supported; left out.", type=qtype)
    if code == "cloze_gap_unsupported":
        return _("An embedded answer (cloze) gap of a type we lack (several answers to tick); left out.")
    if code == "cloze_gap_missing":
        return _("An embedded answer (cloze) question misses one of its gaps; left out.")
    return _("The question's data is incomplete or inconsistent; left out.")


def moment(value: str) -> datetime | None:
    """A Moodle time (Unix seconds; 0 means none) as an aware UTC time."""
    try:
        seconds = int(float(value or 0))
    except (ValueError, OverflowError):
        return None
    if seconds <= 0 or seconds > 7_000_000_000:
        return None
    return datetime.fromtimestamp(seconds, UTC)


def decimal_or(value: str, default: Decimal) -> Decimal:
    """A number from the backup, the default when it is not one (bounded, so sums cannot overflow)."""
    try:
        number = Decimal(value or "")
    except InvalidOperation:
        return default
    return max(Decimal(-(10**9)), min(Decimal(10**9), number)) if number.is_finite() else default


@dataclass
class BankRestore:
    """The Moodle bank as added to the course's bank: our question ids by Moodle's."""

    bank: QuestionBank
    moodle: MoodleBank
    rows: dict[int, Question] = field(default_factory=dict)
    categories: dict[int, int | None] = field(default_factory=dict)

    def add_questions(self, files: MoodleFiles, course: Any, actor_id: int, report: Report) -> None:
        known = {v: k for k, v in category_paths(self.bank.id).items()}
        for read in self.moodle.questions:
            if read.question is None:
                report(read.name, problem_text(read.problem, read.qtype))
                continue
            category = self.moodle.categories.get(read.category_id)
            context = category.context_id if category else 0
            what = _("Question “%(name)s”", name=read.name)
            question = replace(
                read.question,
                text=files.relink(
                    read.question.text,
                    course,
                    (context, "question", "questiontext", read.source_id),
                    actor_id,
                    what,
                    report,
                ),
                category=None,
            )
            row = Question(
                bank_id=self.bank.id,
                category_id=self.category(read.category_id, known),
                type=question.type,
                name=question.name[:255],
                data=to_data(question),
                version=1,
            )
            db.session.add(row)
            self.rows[read.source_id] = row
        db.session.flush()

    def category(self, moodle_id: int, known: dict[str, int] | None = None) -> int | None:
        if moodle_id not in self.categories:
            path = self.moodle.path(moodle_id)
            self.categories[moodle_id] = ensure_category_path(self.bank, path, known) if path else None
        return self.categories[moodle_id]

    def slot_question(self, ref: SlotRef) -> ReadQuestion | None:
        return (
            self.moodle.by_entry.get(ref.entry_id) if ref.entry_id else self.moodle.by_id.get(ref.question_id)
        )


def quiz_settings(activity: Activity, description: str) -> dict[str, Any]:
    """The quiz's settings in our terms, kept within the quiz rules' ranges."""
    fields = activity.fields
    attempts = int(decimal_or(fields.get("attempts_number") or fields.get("attempts", "0"), Decimal(0)))
    seconds = int(decimal_or(fields.get("timelimit", "0"), Decimal(0)))
    grade = decimal_or(fields.get("grade", "10"), Decimal(10))
    opens, closes = moment(fields.get("timeopen", "0")), moment(fields.get("timeclose", "0"))
    shuffled = fields.get("shufflequestions") == "1" or any(
        text(s, "shufflequestions") == "1" for s in activity.element.findall("sections/section")
    )
    return {
        "description": description,
        "time_limit_minutes": min(10_000, math.ceil(seconds / 60)) if seconds > 0 else None,
        "attempts_allowed": min(1000, attempts) if attempts > 0 else None,
        "grading_method": GRADING_METHODS.get(fields.get("grademethod", "1"), "highest"),
        "max_grade": min(Decimal(100_000), grade) if grade > 0 else Decimal(10),
        "opens_at": opens,
        "closes_at": closes if closes and (opens is None or closes > opens) else None,
        "shuffle_questions": shuffled,
        # Moodle's default is on: only an explicit "0" keeps the author's order.
        "shuffle_answers": fields.get("shuffleanswers", "1") != "0",
    }


def add_quiz(restore: BankRestore, title: str, activity: Activity, description: str, report: Report) -> Quiz:
    """The quiz with its slots in Moodle's order; a question left out of the bank is left out here."""
    quiz = quiz_quizzes.add_quiz(
        restore.bank, title=title, question_ids=[], **quiz_settings(activity, description)
    )
    slots: list[QuizSlot] = []
    used: set[int] = set()
    for ref in read_slots(activity.element):
        mark = decimal_or(ref.max_mark, Decimal(-1))
        if ref.question_id in restore.moodle.randoms or ref.random_category:
            category, sub = restore.moodle.randoms.get(
                ref.question_id, (ref.random_category, ref.include_subcategories)
            )
            _random_slot(restore, quiz, slots, category, mark, title, report, sub)
            continue
        read = restore.slot_question(ref)
        row = restore.rows.get(read.source_id) if read else None
        if read is None or row is None or row.id in used:
            name = read.name if read else str(ref.slot)
            report(
                title, _("Question “%(name)s” is not in this quiz (it could not be carried over).", name=name)
            )
            continue
        used.add(row.id)
        question_mark = Decimal(str(row.data.get("default_mark", "1")))
        slots.append(
            QuizSlot(
                quiz_id=quiz.id,
                position=len(slots) + 1,
                question_id=row.id,
                random_count=1,
                mark=min(mark, Decimal(10_000)) if mark >= 0 and mark != question_mark else None,
            )
        )
    db.session.add_all(slots)
    db.session.flush()
    return quiz


def _random_slot(
    restore: BankRestore,
    quiz: Quiz,
    slots: list[QuizSlot],
    moodle_category: int,
    mark: Decimal,
    title: str,
    report: Report,
    subcategories: bool,
) -> None:
    """A random draw; consecutive draws from one category become one slot drawing several."""
    category_id = restore.category(moodle_category) if moodle_category in restore.moodle.categories else None
    available = 0
    if category_id is not None:
        available = (
            db.session.scalar(
                select(func.count())
                .select_from(Question)
                .where(Question.category_id == category_id, Question.type != "description")
            )
            or 0
        )
    last = slots[-1] if slots else None
    wanted = (last.random_count + 1) if last is not None and last.category_id == category_id else 1
    if category_id is None or available < wanted:
        report(title, _("A random question could not be drawn: its category has too few questions here."))
        return
    if subcategories and wanted == 1:
        report(title, _("A random question draws from its category only, not from its subcategories."))
    if last is not None and last.category_id == category_id:
        last.random_count = wanted
        return
    slots.append(
        QuizSlot(
            quiz_id=quiz.id,
            position=len(slots) + 1,
            category_id=category_id,
            random_count=1,
            mark=min(mark, Decimal(10_000)) if mark >= 0 and mark != 1 else None,
        )
    )
