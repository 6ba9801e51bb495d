"""Quiz room: a bank's question import and export, in GIFT or Moodle XML (the pure reading and
writing are gift_read/gift_write and moodlexml_read/moodlexml_write; question_formats tells the
two apart). Touches question and question_category rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from app import audit
from app.accounts import User
from app.extensions import db
from app.i18n import _
from courses.quiz import gift_read, gift_write, moodlexml_read, moodlexml_write
from courses.quiz.bank_questions import bank_questions, load_question
from courses.quiz.banks import category_paths, check_category, ensure_category_path
from courses.quiz.messages import gift_text, moodle_text
from courses.quiz.models import Question, QuestionBank
from courses.quiz.question_data import to_data
from courses.quiz.question_formats import QuestionFormat, detect_format
from courses.quiz.questions import AnyQuestion


@dataclass
class GiftImportReport:
    """What an import did: the questions it created, each question it could not read (by line), the
    warnings about questions it read all the same, and the format it read."""

    imported: list[Question] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    refused: bool = False  # nothing was added (bad questions without `valid_only`, or none at all)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    format: QuestionFormat = "gift"


def import_questions(
    bank: QuestionBank,
    text: str,
    *,
    actor: User | None,
    question_format: QuestionFormat | None = None,
    valid_only: bool = False,
    category_id: int | None = None,
) -> GiftImportReport:
    """Import GIFT or Moodle XML (told by content unless `question_format` is given): nothing is
    created when any question is bad, unless `valid_only` (then the good ones are). Categories in
    the file are created under the bank."""
    report = add_questions(
        bank, text, question_format=question_format, valid_only=valid_only, category_id=category_id
    )
    if report.refused:
        return report
    audit.record(
        f"quiz.{report.format}_imported",
        actor=actor,
        scope_type="question_bank",
        scope_id=bank.id,
        details={"imported": len(report.imported), "errors": len(report.errors)},
    )
    db.session.commit()
    return report


def import_gift(
    bank: QuestionBank,
    text: str,
    *,
    actor: User | None,
    valid_only: bool = False,
    category_id: int | None = None,
) -> GiftImportReport:
    """`import_questions` with GIFT (a contest's bank and older callers)."""
    return import_questions(
        bank, text, actor=actor, question_format="gift", valid_only=valid_only, category_id=category_id
    )


def add_gift_questions(
    bank: QuestionBank, text: str, *, valid_only: bool = False, category_id: int | None = None
) -> GiftImportReport:
    """`add_questions` with GIFT (a course backup's questions.gift)."""
    return add_questions(bank, text, question_format="gift", valid_only=valid_only, category_id=category_id)


def add_questions(
    bank: QuestionBank,
    text: str,
    *,
    question_format: QuestionFormat | None = None,
    valid_only: bool = False,
    category_id: int | None = None,
) -> GiftImportReport:
    """`import_questions`'s rows added to the current transaction (flushed), with no audit entry and
    no commit: the caller commits, so a larger all-or-nothing change (a course backup) can include
    them. A refused import (`report.refused`) adds nothing."""
    check_category(bank, category_id)
    detected = detect_format(text)
    chosen = question_format or detected
    report = GiftImportReport(format=chosen)
    if chosen == "gift" and detected == "moodlexml":
        report.errors.append((1, _("This file is Moodle XML, not GIFT: import it as Moodle XML.")))
        report.refused = True
        return report
    questions = _parse(text, chosen, report)
    if not questions and not report.errors:
        report.errors.append((1, _("The file holds no questions.")))
    if not questions or (report.errors and not valid_only):
        report.refused = True
        return report
    report.imported = _add_rows(bank, questions, category_id)
    return report


def _parse(text: str, chosen: QuestionFormat, report: GiftImportReport) -> list[tuple[AnyQuestion, int]]:
    if chosen == "moodlexml":
        xml = moodlexml_read.parse_moodle_xml(text)
        report.errors.extend((error.line, moodle_text(error.code, error.snippet)) for error in xml.errors)
        return xml.questions
    gift = gift_read.parse_gift(text)
    report.errors.extend((error.line, gift_text(error)) for error in gift.errors)
    report.warnings.extend((warning.line, gift_text(warning)) for warning in gift.warnings)
    return gift.questions


def _add_rows(
    bank: QuestionBank, questions: Sequence[tuple[AnyQuestion, int]], category_id: int | None
) -> list[Question]:
    known = {v: k for k, v in category_paths(bank.id).items()}
    rows = []
    for question, _line in questions:
        target = ensure_category_path(bank, question.category, known) if question.category else category_id
        rows.append(
            Question(
                bank_id=bank.id,
                category_id=target,
                type=question.type,
                name=question.name[:255],
                data=to_data(replace(question, category=None)),
                version=1,
            )
        )
    db.session.add_all(rows)
    db.session.flush()
    return rows


def export_questions(
    bank: QuestionBank, question_format: QuestionFormat = "gift", *, category_id: int | None = None
) -> str:
    """The bank (or one category) as GIFT (categories as ``$CATEGORY:`` lines) or Moodle XML."""
    paths = category_paths(bank.id)
    rows = db.session.scalars(bank_questions(bank, category_id=category_id)).all()
    ordered = sorted(rows, key=lambda r: (paths.get(r.category_id or -1, ""), r.id))
    pure = [
        replace(load_question(r), category=paths.get(r.category_id) if r.category_id else None)
        for r in ordered
    ]
    if question_format == "moodlexml":
        return moodlexml_write.export_moodle_xml(pure)
    return gift_write.export_gift(pure)


def export_gift(bank: QuestionBank, *, category_id: int | None = None) -> str:
    """`export_questions` as GIFT (a contest's bank, a course backup)."""
    return export_questions(bank, "gift", category_id=category_id)
