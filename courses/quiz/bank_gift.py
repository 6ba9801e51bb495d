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
    check_category(bank, category_id)
    result = gift_read.parse_gift(text)
    errors = [(error.line, gift_text(error)) for error in result.errors]
    report = GiftImportReport(errors=errors)
    if not result.questions and not errors:
        report.errors.append((1, _("The file holds no questions.")))
        return report
    if errors and not valid_only:
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
    audit.record(
        "quiz.gift_imported",
        actor=actor,
        scope_type="question_bank",
        scope_id=bank.id,
        details={"imported": len(rows), "errors": len(errors)},
    )
    db.session.commit()
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
