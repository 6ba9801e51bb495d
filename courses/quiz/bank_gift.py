"""Quiz room: a bank's GIFT import and export (the pure reading and writing are gift_read and
gift_write). Touches question and question_category rows."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from app import audit
from app.accounts import User
from app.extensions import db
from app.i18n import _
from courses.quiz import gift_read, gift_write
from courses.quiz.bank_questions import bank_questions, load_question
from courses.quiz.banks import category_paths, check_category, ensure_category_path
from courses.quiz.messages import gift_text
from courses.quiz.models import Question, QuestionBank
from courses.quiz.question_data import to_data


@dataclass
class GiftImportReport:
    """What an import did: the questions it created and each question it could not read."""

    imported: list[Question] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    refused: bool = False  # nothing was added (bad questions without `valid_only`, or none at all)


def import_gift(
    bank: QuestionBank,
    text: str,
    *,
    actor: User | None,
    valid_only: bool = False,
    category_id: int | None = None,
) -> GiftImportReport:
    """Import GIFT: nothing is created when any question is bad, unless `valid_only` (then the good
    ones are). `$CATEGORY:` lines create categories under the bank."""
    report = add_gift_questions(bank, text, valid_only=valid_only, category_id=category_id)
    if report.refused:
        return report
    audit.record(
        "quiz.gift_imported",
        actor=actor,
        scope_type="question_bank",
        scope_id=bank.id,
        details={"imported": len(report.imported), "errors": len(report.errors)},
    )
    db.session.commit()
    return report


def add_gift_questions(
    bank: QuestionBank, text: str, *, valid_only: bool = False, category_id: int | None = None
) -> GiftImportReport:
    """`import_gift`'s rows added to the current transaction (flushed), with no audit entry and no
    commit: the caller commits, so a larger all-or-nothing change (a course backup) can include them.
    A refused import (`report.refused`) adds nothing."""
    check_category(bank, category_id)
    result = gift_read.parse_gift(text)
    errors = [(error.line, gift_text(error)) for error in result.errors]
    report = GiftImportReport(errors=errors)
    if not result.questions and not errors:
        report.errors.append((1, _("The file holds no questions.")))
        report.refused = True
        return report
    if errors and not valid_only:
        report.refused = True
        return report
    known = {v: k for k, v in category_paths(bank.id).items()}
    rows = []
    for question, _line in result.questions:
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
    report.imported = rows
    return report


def export_gift(bank: QuestionBank, *, category_id: int | None = None) -> str:
    """The bank (or one category) as GIFT, categories as `$CATEGORY:` lines."""
    paths = category_paths(bank.id)
    rows = db.session.scalars(bank_questions(bank, category_id=category_id)).all()
    ordered = sorted(rows, key=lambda r: (paths.get(r.category_id or -1, ""), r.id))
    pure = [
        replace(load_question(r), category=paths.get(r.category_id) if r.category_id else None)
        for r in ordered
    ]
    return gift_write.export_gift(pure)
