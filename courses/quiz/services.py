"""Quiz engine use cases: banks and questions, GIFT, quizzes, attempts, grading and regrading.

Each public function owns its transaction (commits once). Attempt writes are conditional updates
on the attempt's state, so two requests at once (two finishes, a save racing a finish) leave one
correct result on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.i18n import _, lazy_
from app.ticks import tick_job
from app.timeutil import utcnow
from courses.quiz import gift, grading, questions, rules
from courses.quiz.models import (
    AttemptState,
    GradingMethod,
    Question,
    QuestionBank,
    QuestionCategory,
    Quiz,
    QuizAnswer,
    QuizAttempt,
    QuizSlot,
    ReviewWhen,
)

OWNER_TYPES_BUILTIN = ("course", "contest")

# --- messages of the pure modules, translated here ---------------------------------------------------

_PURE_MESSAGES: dict[str, Any] = {
    "Expected text.": lazy_("Expected text."),
    "The answer is too long.": lazy_("The answer is too long."),
    "Expected a choice id.": lazy_("Expected a choice id."),
    "Unknown choice id.": lazy_("Unknown choice id."),
    "Expected a list of choice ids.": lazy_("Expected a list of choice ids."),
    "Expected true or false.": lazy_("Expected true or false."),
    "Expected an object mapping left item ids to right item ids.":
        lazy_("Expected an object mapping left item ids to right item ids."),
    "Expected a left item id.": lazy_("Expected a left item id."),
    "Unknown left item id.": lazy_("Unknown left item id."),
    "Expected a right item id.": lazy_("Expected a right item id."),
    "Unknown right item id.": lazy_("Unknown right item id."),
    "Expected an object mapping gap numbers to answers.": lazy_("Expected an object mapping gap numbers to answers."),
    "Expected a gap number.": lazy_("Expected a gap number."),
    "Unknown gap number.": lazy_("Unknown gap number."),
    "This question takes no answer.": lazy_("This question takes no answer."),
    gift.MSG_UNCLOSED_BRACE: lazy_("An answer block '{' is not closed."),
    gift.MSG_UNOPENED_BRACE: lazy_("A '}' has no matching '{' (write \\} for a literal brace)."),
    gift.MSG_NESTED_BRACE: lazy_("An answer block contains another '{' (write \\{ for a literal brace)."),
    gift.MSG_UNCLOSED_TITLE: lazy_("The question title '::' is not closed."),
    gift.MSG_NOTHING: lazy_("The question has neither text nor answers."),
    gift.MSG_NO_TEXT: lazy_("The question has no text."),
    gift.MSG_TWO_BLOCKS: lazy_("A question can have only one answer block."),
    gift.MSG_UNKNOWN_BLOCK: lazy_("Unknown answer block: each answer must start with '=' or '~'."),
    gift.MSG_ARROW: lazy_("'->' is only allowed in matching questions (write \\-> for a literal arrow)."),
    gift.MSG_EMPTY_ANSWER: lazy_("An answer is empty."),
    gift.MSG_NOT_A_NUMBER: lazy_("A numerical answer is not a number."),
    gift.MSG_BAD_RANGE: lazy_("A numerical range must go from the smaller number to the larger."),
    gift.MSG_NEGATIVE_TOLERANCE: lazy_("A numerical tolerance cannot be negative."),
    gift.MSG_WEIGHT: lazy_("An answer weight must lie between -100% and 100%."),
    gift.MSG_FEW_CHOICES: lazy_("A choice question needs at least two answers."),
    gift.MSG_NO_CORRECT: lazy_("No answer gives any marks."),
    gift.MSG_NO_ARROW: lazy_("A matching answer needs '->' between its two sides."),
    gift.MSG_FEW_PAIRS: lazy_("A matching question needs at least two pairs."),
    gift.MSG_UNKNOWN_GAP: lazy_("Unknown cloze gap type: use SHORTANSWER, SHORTANSWER_C, NUMERICAL or MULTICHOICE."),
    gift.MSG_GAP_WEIGHT: lazy_("A cloze gap weight must be at least 1."),
    gift.MSG_CLOZE_MIXED: lazy_("A cloze question cannot also have an answer block (only {####general feedback})."),
    gift.MSG_PLACEHOLDER: lazy_("The text of a cloze question cannot contain '{#n}' itself."),
    gift.MSG_BAD_OPTION: lazy_("Unknown or malformed option in a '// vmeste:' comment."),
    gift.MSG_INVALID: lazy_("The question is not valid."),
}


def translate_pure(message: str) -> str:
    """A pure module's English message in the user's language (unknown ones pass through)."""
    found = _PURE_MESSAGES.get(message)
    return str(found) if found is not None else message


# --- attempt policies --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptPolicy:
    """The owner's answer to "may this user start this quiz now?". `deadline_cap` bounds the
    attempt (a contest stage's close); `forbidden` makes a refusal a 403 instead of a 409."""

    allowed: bool
    reason: str = ""
    deadline_cap: datetime | None = None
    forbidden: bool = False


PolicyFn = Callable[[User, Quiz, datetime], AttemptPolicy]
_policies: dict[str, PolicyFn] = {}


def register_attempt_policy(owner_type: str, policy: PolicyFn) -> None:
    """The owning room (courses, contests) decides who may start its quizzes."""
    _policies[owner_type] = policy


def unregister_attempt_policy(owner_type: str) -> None:
    _policies.pop(owner_type, None)


# --- banks and categories ----------------------------------------------------------------------------


def create_bank(owner_type: str, owner_id: int, title: str) -> QuestionBank:
    """A bank for a new course or contest; flushed, not committed: the owner's service commits it
    together with the course or contest it belongs to."""
    bank = QuestionBank(owner_type=owner_type, owner_id=owner_id, title=title[:255])
    db.session.add(bank)
    db.session.flush()
    return bank


def bank_for(owner_type: str, owner_id: int) -> QuestionBank | None:
    return db.session.scalar(select(QuestionBank).where(QuestionBank.owner_type == owner_type,
                                                        QuestionBank.owner_id == owner_id)
                             .order_by(QuestionBank.id).limit(1))


def categories(bank: QuestionBank) -> list[QuestionCategory]:
    return list(db.session.scalars(select(QuestionCategory).where(QuestionCategory.bank_id == bank.id)
                                   .order_by(QuestionCategory.name, QuestionCategory.id)))


def category_paths(bank_id: int) -> dict[int, str]:
    """Each category's full path ("Algebra/Linear"), in one query."""
    rows = db.session.execute(select(QuestionCategory.id, QuestionCategory.parent_id, QuestionCategory.name)
                              .where(QuestionCategory.bank_id == bank_id)).all()
    by_id = {row.id: row for row in rows}
    paths: dict[int, str] = {}

    def path(category_id: int, depth: int = 0) -> str:
        if category_id in paths:
            return paths[category_id]
        row = by_id[category_id]
        parent = row.parent_id
        value = row.name if parent is None or parent not in by_id or depth > 50 else f"{path(parent, depth + 1)}/{row.name}"
        paths[category_id] = value
        return value

    for category_id in by_id:
        path(category_id)
    return dict(sorted(paths.items(), key=lambda item: item[1]))


def _clean_name(name: str) -> str:
    name = " ".join(name.replace("/", " ").split())
    if not name:
        raise Invalid(_("Give the category a name."), {"name": _("Give the category a name.")})
    return name[:255]


def create_category(bank: QuestionBank, name: str, *, parent_id: int | None = None,
                    actor: User | None) -> QuestionCategory:
    """A category; names are unique among siblings (the database says so too)."""
    name = _clean_name(name)
    if parent_id is not None:
        parent = db.session.get(QuestionCategory, parent_id)
        if parent is None or parent.bank_id != bank.id:
            raise Invalid(_("Unknown category."), {"parent_id": _("Unknown category.")})
    duplicate = db.session.scalar(select(QuestionCategory.id).where(
        QuestionCategory.bank_id == bank.id, QuestionCategory.name == name,
        QuestionCategory.parent_id.is_(None) if parent_id is None else QuestionCategory.parent_id == parent_id))
    if duplicate is not None:
        raise Invalid(_("A category with this name already exists here."),
                      {"name": _("A category with this name already exists here.")})
    category = QuestionCategory(bank_id=bank.id, parent_id=parent_id, name=name)
    db.session.add(category)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Invalid(_("A category with this name already exists here."),
                      {"name": _("A category with this name already exists here.")}) from None
    audit.record("quiz.category_created", actor=actor, scope_type="question_bank", scope_id=bank.id,
                 object_type="question_category", object_id=category.id, details={"name": name})
    db.session.commit()
    return category


def delete_category(category: QuestionCategory, *, actor: User | None) -> None:
    """Only an empty category goes (no questions, no subcategories, no random slot drawing from it)."""
    busy = db.session.scalar(select(func.count()).select_from(Question).where(
        Question.category_id == category.id, Question.hidden.is_(False)))
    children = db.session.scalar(select(func.count()).select_from(QuestionCategory)
                                 .where(QuestionCategory.parent_id == category.id))
    slots = db.session.scalar(select(func.count()).select_from(QuizSlot).where(QuizSlot.category_id == category.id))
    if busy or children or slots:
        raise Conflict(_("Only an empty category that no quiz draws from can be deleted."))
    audit.record("quiz.category_deleted", actor=actor, scope_type="question_bank", scope_id=category.bank_id,
                 object_type="question_category", object_id=category.id, details={"name": category.name})
    db.session.execute(update(Question).where(Question.category_id == category.id).values(category_id=None))
    db.session.delete(category)
    db.session.commit()


def ensure_category_path(bank: QuestionBank, path: str, known: dict[str, int] | None = None) -> int:
    """The id of the category at `path` ("A/B"), creating missing ones (flushed, not committed)."""
    known = known if known is not None else {v: k for k, v in category_paths(bank.id).items()}
    parent: int | None = None
    so_far = ""
    for part in [p.strip() for p in path.split("/") if p.strip()]:
        so_far = f"{so_far}/{part}" if so_far else part
        if so_far not in known:
            category = QuestionCategory(bank_id=bank.id, parent_id=parent, name=part[:255])
            db.session.add(category)
            db.session.flush()
            known[so_far] = category.id
        parent = known[so_far]
    if parent is None:
        raise Invalid(_("Give the category a name."))
    return parent


# --- questions ---------------------------------------------------------------------------------------


def load_question(row: Question) -> questions.AnyQuestion:
    return _decoded(row.id, row.version, row.data)


_DECODED: dict[tuple[int, int], tuple[dict[str, Any], questions.AnyQuestion]] = {}


def _decoded(question_id: int, version: int, data: dict[str, Any]) -> questions.AnyQuestion:
    """Decoded questions, cached per version: grading a class's attempts decodes each question once.
    The data is compared too, so a reused id (an emptied test database) never serves a stale one."""
    key = (question_id, version)
    found = _DECODED.get(key)
    if found is not None and (found[0] is data or found[0] == data):
        return found[1]
    question = questions.from_data(data)
    if len(_DECODED) > 20_000:
        _DECODED.clear()
    _DECODED[key] = (data, question)
    return question


def bank_questions(bank: QuestionBank, *, category_id: int | None = None) -> Any:
    """The bank's visible questions, newest last (a query for pagination)."""
    query = select(Question).where(Question.bank_id == bank.id, Question.hidden.is_(False))
    if category_id is not None:
        query = query.where(Question.category_id == category_id)
    return query.order_by(Question.id)


def _check_category(bank: QuestionBank, category_id: int | None) -> None:
    if category_id is None:
        return
    category = db.session.get(QuestionCategory, category_id)
    if category is None or category.bank_id != bank.id:
        raise Invalid(_("Unknown category."), {"category_id": _("Unknown category.")})


def save_question(bank: QuestionBank, question: questions.Question, *, category_id: int | None,
                  actor: User | None, row: Question | None = None) -> Question:
    """Create a question, or replace `row`'s content (its version grows; attempts keep pointing at
    it and are regraded on request)."""
    _check_category(bank, category_id)
    question = replace(question, category=None)
    data = questions.to_data(question)
    if row is None:
        row = Question(bank_id=bank.id, category_id=category_id, type=question.type, name=question.name[:255],
                       data=data, version=1)
        db.session.add(row)
        action = "quiz.question_created"
    else:
        if row.bank_id != bank.id:
            raise NotFound(_("Not found."))
        if row.type != question.type:
            raise Invalid(_("A question's type cannot change."))
        row.data = data
        row.name = question.name[:255]
        row.category_id = category_id
        row.version = row.version + 1
        row.updated_at = utcnow()
        action = "quiz.question_edited"
    db.session.flush()
    audit.record(action, actor=actor, scope_type="question_bank", scope_id=bank.id, object_type="question",
                 object_id=row.id, details={"name": row.name, "version": row.version})
    db.session.commit()
    return row


def duplicate_question(row: Question, *, actor: User | None) -> Question:
    bank = db.session.get(QuestionBank, row.bank_id)
    assert bank is not None
    copy = replace(load_question(row), name=_("%(name)s (copy)", name=row.name)[:255])
    return save_question(bank, copy, category_id=row.category_id, actor=actor)


def move_question(row: Question, category_id: int | None, *, actor: User | None) -> Question:
    bank = db.session.get(QuestionBank, row.bank_id)
    assert bank is not None
    _check_category(bank, category_id)
    row.category_id = category_id
    audit.record("quiz.question_moved", actor=actor, scope_type="question_bank", scope_id=bank.id,
                 object_type="question", object_id=row.id, details={"category_id": category_id})
    db.session.commit()
    return row


def delete_question(row: Question, *, actor: User | None) -> None:
    """A question no quiz or attempt uses is deleted; one still in use is hidden from the bank
    (its attempts keep their history) and cannot be added to new quizzes."""
    in_slot = db.session.scalar(select(func.count()).select_from(QuizSlot).where(QuizSlot.question_id == row.id))
    if in_slot:
        raise Conflict(_("The question is used in a quiz: remove it from the quiz first."))
    used = db.session.scalar(select(func.count()).select_from(QuizAnswer).where(QuizAnswer.question_id == row.id))
    audit.record("quiz.question_deleted", actor=actor, scope_type="question_bank", scope_id=row.bank_id,
                 object_type="question", object_id=row.id, details={"name": row.name})
    if used:
        row.hidden = True
    else:
        db.session.delete(row)
    db.session.commit()


@dataclass
class GiftImportReport:
    """What an import did: the questions it created and each question it could not read."""

    imported: list[Question] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def import_gift(bank: QuestionBank, text: str, *, actor: User | None, valid_only: bool = False,
                category_id: int | None = None) -> GiftImportReport:
    """Import GIFT: nothing is created when any question is bad, unless `valid_only` (then the good
    ones are). `$CATEGORY:` lines create categories under the bank."""
    _check_category(bank, category_id)
    result = gift.parse_gift(text)
    errors = [(error.line, translate_pure(error.message)) for error in result.errors]
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
        rows.append(Question(bank_id=bank.id, category_id=target, type=question.type, name=question.name[:255],
                             data=questions.to_data(replace(question, category=None)), version=1))
    db.session.add_all(rows)
    db.session.flush()
    audit.record("quiz.gift_imported", actor=actor, scope_type="question_bank", scope_id=bank.id,
                 details={"imported": len(rows), "errors": len(errors)})
    db.session.commit()
    report.imported = rows
    return report


def export_gift(bank: QuestionBank, *, category_id: int | None = None) -> str:
    """The bank (or one category) as GIFT, categories as `$CATEGORY:` lines."""
    paths = category_paths(bank.id)
    rows = db.session.scalars(bank_questions(bank, category_id=category_id)).all()
    ordered = sorted(rows, key=lambda r: (paths.get(r.category_id or -1, ""), r.id))
    pure = [replace(load_question(r), category=paths.get(r.category_id) if r.category_id else None) for r in ordered]
    return gift.export_gift(pure)


# --- quizzes -----------------------------------------------------------------------------------------


QUIZ_SETTINGS = ("title", "description", "opens_at", "closes_at", "time_limit_minutes", "attempts_allowed",
                 "grading_method", "max_grade", "shuffle_questions", "shuffle_answers", "review_when",
                 "review_score", "review_answers", "review_feedback")


def _validate_settings(values: dict[str, Any]) -> None:
    fields: dict[str, str] = {}
    if "title" in values and not str(values["title"] or "").strip():
        fields["title"] = _("Give the quiz a title.")
    opens, closes = values.get("opens_at"), values.get("closes_at")
    if opens and closes and closes <= opens:
        fields["closes_at"] = _("The quiz must close after it opens.")
    limit = values.get("time_limit_minutes")
    if limit is not None and not (0 < limit <= 10_000):
        fields["time_limit_minutes"] = _("The time limit is a number of minutes from 1 to 10000.")
    allowed = values.get("attempts_allowed")
    if allowed is not None and not (0 < allowed <= 1000):
        fields["attempts_allowed"] = _("Attempts allowed is a number from 1 to 1000, or empty for unlimited.")
    if "grading_method" in values and values["grading_method"] not in {m.value for m in GradingMethod}:
        fields["grading_method"] = _("Unknown grading method.")
    if "review_when" in values and values["review_when"] not in {m.value for m in ReviewWhen}:
        fields["review_when"] = _("Unknown review option.")
    grade = values.get("max_grade")
    if "max_grade" in values and (grade is None or not Decimal(grade).is_finite() or not 0 < Decimal(grade) <= 100_000):
        fields["max_grade"] = _("The maximum grade must be greater than 0.")
    if fields:
        raise Invalid(next(iter(fields.values())), fields)


def _bank_question_rows(bank: QuestionBank, question_ids: Sequence[int]) -> list[Question]:
    rows = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(list(question_ids)),
                                                                      Question.bank_id == bank.id,
                                                                      Question.hidden.is_(False)))}
    missing = [i for i in question_ids if i not in rows]
    if missing:
        raise Invalid(_("Unknown questions: %(ids)s.", ids=", ".join(map(str, missing))),
                      {"question_ids": _("Unknown questions: %(ids)s.", ids=", ".join(map(str, missing)))})
    if len(set(question_ids)) != len(question_ids):
        raise Invalid(_("A question appears twice."), {"question_ids": _("A question appears twice.")})
    return [rows[i] for i in question_ids]


def create_quiz(bank: QuestionBank, *, title: str, question_ids: Sequence[int], time_limit_minutes: int | None = None,
                attempts_allowed: int | None = 1, grading_method: str = "highest",
                max_grade: Decimal = Decimal("10"), opens_at: datetime | None = None,
                closes_at: datetime | None = None, shuffle_questions: bool = False, shuffle_answers: bool = False,
                description: str = "", review_when: str = "immediately", review_score: bool = True,
                review_answers: bool = True, review_feedback: bool = True, actor: User | None) -> Quiz:
    """A quiz over bank questions in the given order (slots 1, 2, …)."""
    values = dict(title=title, description=description, opens_at=opens_at, closes_at=closes_at,
                  time_limit_minutes=time_limit_minutes, attempts_allowed=attempts_allowed,
                  grading_method=str(grading_method), max_grade=Decimal(str(max_grade)),
                  shuffle_questions=shuffle_questions, shuffle_answers=shuffle_answers,
                  review_when=str(review_when), review_score=review_score, review_answers=review_answers,
                  review_feedback=review_feedback)
    _validate_settings(values)
    rows = _bank_question_rows(bank, list(question_ids))
    values["title"] = title.strip()[:255]
    quiz = Quiz(bank_id=bank.id, **values)
    db.session.add(quiz)
    db.session.flush()
    for position, row in enumerate(rows, start=1):
        db.session.add(QuizSlot(quiz_id=quiz.id, position=position, question_id=row.id, random_count=1))
    audit.record("quiz.created", actor=actor, scope_type="question_bank", scope_id=bank.id, object_type="quiz",
                 object_id=quiz.id, details={"title": quiz.title, "questions": len(rows)})
    db.session.commit()
    return quiz


def update_quiz(quiz: Quiz, *, actor: User | None, **values: Any) -> Quiz:
    """Change settings (any of QUIZ_SETTINGS); they apply to attempts started afterwards."""
    unknown = set(values) - set(QUIZ_SETTINGS)
    if unknown:
        raise Invalid(_("The data is invalid."), {name: _("Unknown field.") for name in unknown})
    merged = {name: getattr(quiz, name) for name in QUIZ_SETTINGS}
    merged.update(values)
    merged["grading_method"] = str(merged["grading_method"])
    merged["review_when"] = str(merged["review_when"])
    _validate_settings(merged)
    for name, value in values.items():
        setattr(quiz, name, value.strip() if name == "title" else value)
    audit.record("quiz.settings_changed", actor=actor, scope_type="question_bank", scope_id=quiz.bank_id,
                 object_type="quiz", object_id=quiz.id, details={k: str(v) for k, v in values.items()})
    db.session.commit()
    return quiz


def quiz_slots(quiz: Quiz) -> list[QuizSlot]:
    return list(db.session.scalars(select(QuizSlot).where(QuizSlot.quiz_id == quiz.id).order_by(QuizSlot.position)))


def _has_attempts(quiz: Quiz) -> bool:
    return bool(db.session.scalar(select(QuizAttempt.id).where(QuizAttempt.quiz_id == quiz.id).limit(1)))


def _refuse_if_attempted(quiz: Quiz) -> None:
    if _has_attempts(quiz):
        raise Conflict(_("Students have already attempted this quiz: its questions can no longer change."))


def _next_position(quiz: Quiz) -> int:
    return (db.session.scalar(select(func.max(QuizSlot.position)).where(QuizSlot.quiz_id == quiz.id)) or 0) + 1


def add_questions(quiz: Quiz, question_ids: Sequence[int], *, actor: User | None) -> list[QuizSlot]:
    _refuse_if_attempted(quiz)
    present = set(db.session.scalars(select(QuizSlot.question_id).where(QuizSlot.quiz_id == quiz.id)))
    rows = _bank_question_rows(quiz.bank, [i for i in question_ids if i not in present])
    position = _next_position(quiz)
    slots = []
    for offset, row in enumerate(rows):
        slots.append(QuizSlot(quiz_id=quiz.id, position=position + offset, question_id=row.id, random_count=1))
    db.session.add_all(slots)
    audit.record("quiz.questions_added", actor=actor, scope_type="question_bank", scope_id=quiz.bank_id,
                 object_type="quiz", object_id=quiz.id, details={"question_ids": [r.id for r in rows]})
    db.session.commit()
    return slots


def add_random_slot(quiz: Quiz, category_id: int, count: int, *, actor: User | None) -> QuizSlot:
    """A slot drawing `count` questions from a category, a fresh draw for each attempt."""
    _refuse_if_attempted(quiz)
    category = db.session.get(QuestionCategory, category_id)
    if category is None or category.bank_id != quiz.bank_id:
        raise Invalid(_("Unknown category."), {"category_id": _("Unknown category.")})
    available = db.session.scalar(select(func.count()).select_from(Question).where(
        Question.category_id == category_id, Question.hidden.is_(False), Question.type != "description")) or 0
    if not 1 <= count <= available:
        message = _("The category has %(n)s questions: draw from 1 to %(n)s.", n=available)
        raise Invalid(message, {"random_count": message})
    slot = QuizSlot(quiz_id=quiz.id, position=_next_position(quiz), category_id=category_id, random_count=count)
    db.session.add(slot)
    db.session.flush()
    audit.record("quiz.random_slot_added", actor=actor, scope_type="question_bank", scope_id=quiz.bank_id,
                 object_type="quiz", object_id=quiz.id, details={"category_id": category_id, "count": count})
    db.session.commit()
    return slot


def remove_slot(slot: QuizSlot, *, actor: User | None) -> None:
    quiz = db.session.get(Quiz, slot.quiz_id)
    assert quiz is not None
    _refuse_if_attempted(quiz)
    db.session.delete(slot)
    db.session.flush()
    _renumber(quiz)
    audit.record("quiz.slot_removed", actor=actor, scope_type="question_bank", scope_id=quiz.bank_id,
                 object_type="quiz", object_id=quiz.id)
    db.session.commit()


def move_slot(slot: QuizSlot, offset: int, *, actor: User | None) -> None:
    """Swap a slot with its neighbour above (-1) or below (+1)."""
    quiz = db.session.get(Quiz, slot.quiz_id)
    assert quiz is not None
    _refuse_if_attempted(quiz)
    slots = quiz_slots(quiz)
    index = next(i for i, s in enumerate(slots) if s.id == slot.id)
    other = index + (1 if offset > 0 else -1)
    if not 0 <= other < len(slots):
        return
    slots[index], slots[other] = slots[other], slots[index]
    _renumber(quiz, slots)
    db.session.commit()


def _renumber(quiz: Quiz, slots: list[QuizSlot] | None = None) -> None:
    slots = slots if slots is not None else quiz_slots(quiz)
    for i, s in enumerate(slots):  # two passes: positions are unique per quiz
        s.position = -(i + 1)
    db.session.flush()
    for i, s in enumerate(slots):
        s.position = i + 1
    db.session.flush()


# --- attempts ----------------------------------------------------------------------------------------


def _policy(quiz: Quiz, user: User, now: datetime) -> AttemptPolicy:
    policy = _policies.get(quiz.bank.owner_type)
    if policy is None:
        return AttemptPolicy(False, _("This quiz cannot be taken here."), None, True)
    return policy(user, quiz, now)


def in_progress_attempt(quiz: Quiz, user: User) -> QuizAttempt | None:
    return db.session.scalar(select(QuizAttempt).where(
        QuizAttempt.quiz_id == quiz.id, QuizAttempt.user_id == user.id,
        QuizAttempt.state == AttemptState.IN_PROGRESS).order_by(QuizAttempt.number.desc()).limit(1))


def user_attempts(quiz: Quiz, user: User) -> list[QuizAttempt]:
    return list(db.session.scalars(select(QuizAttempt).where(QuizAttempt.quiz_id == quiz.id,
                                                              QuizAttempt.user_id == user.id)
                                   .order_by(QuizAttempt.number)))


def start_attempt(quiz: Quiz, user: User, now: datetime) -> QuizAttempt:
    """Start (or resume) the user's attempt. Refusals: the owner's policy, the quiz's window, no
    attempts left. Two starts at once make one attempt (unique quiz, user, number)."""
    current = in_progress_attempt(quiz, user)
    if current is not None and is_overdue(current, now):
        finish_attempt(current, now)
        current = None
    policy = _policy(quiz, user, now)
    if not policy.allowed:
        error = Forbidden if policy.forbidden else Conflict
        raise error(policy.reason or _("You cannot start this quiz."))
    if current is not None:
        return current
    if not rules.is_open(quiz.opens_at, quiz.closes_at, now):
        if quiz.opens_at is not None and now < quiz.opens_at:
            raise Conflict(_("The quiz is not open yet."))
        raise Conflict(_("The quiz is closed."))
    last = db.session.execute(select(func.count(), func.max(QuizAttempt.number)).where(
        QuizAttempt.quiz_id == quiz.id, QuizAttempt.user_id == user.id)).one()
    used, number = last[0] or 0, (last[1] or 0) + 1
    if quiz.attempts_allowed is not None and used >= quiz.attempts_allowed:
        raise Conflict(_("No attempts are left."))
    deadline = rules.attempt_deadline(now, quiz.time_limit_minutes, quiz.closes_at, policy.deadline_cap)
    if deadline is not None and deadline <= now:
        raise Conflict(_("The quiz is closed."))
    seed = random.SystemRandom().randrange(1, 2**31 - 1)
    drawn = _draw(quiz, seed)
    if not drawn:
        raise Conflict(_("The quiz has no questions yet."))
    attempt = QuizAttempt(quiz_id=quiz.id, user_id=user.id, number=number, seed=seed, started_at=now,
                          deadline=deadline, state=AttemptState.IN_PROGRESS,
                          max_score=sum((mark for _q, mark, graded in drawn if graded), Decimal(0)))
    db.session.add(attempt)
    try:
        db.session.flush()
        db.session.add_all([QuizAnswer(attempt_id=attempt.id, slot=i, question_id=q.id, max_mark=mark)
                            for i, (q, mark, _graded) in enumerate(drawn, start=1)])
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = in_progress_attempt(quiz, user)
        if existing is None:
            raise Conflict(_("Another attempt was started at the same moment; reload the page.")) from None
        return existing
    return attempt


def _draw(quiz: Quiz, seed: int) -> list[tuple[Question, Decimal, bool]]:
    """The attempt's questions: fixed slots as they are, random slots drawn with the attempt's seed,
    shuffled when the quiz says so. (question row, its mark, whether it is graded)."""
    rng = random.Random(seed)
    slots = quiz_slots(quiz)
    fixed_ids = [s.question_id for s in slots if s.question_id is not None]
    category_ids = [s.category_id for s in slots if s.category_id is not None]
    query = select(Question).where(Question.id.in_(fixed_ids))
    if category_ids:
        query = select(Question).where(
            (Question.id.in_(fixed_ids)) | (and_(Question.category_id.in_(category_ids), Question.hidden.is_(False),
                                                 Question.type != "description")))
    rows = {q.id: q for q in db.session.scalars(query.order_by(Question.id))}
    used = set(fixed_ids)
    picked: list[tuple[Question, Decimal | None]] = []
    for slot in slots:
        if slot.question_id is not None:
            picked.append((rows[slot.question_id], slot.mark))
            continue
        pool = [q for q in rows.values() if q.category_id == slot.category_id and q.id not in used]
        for question in rng.sample(pool, min(slot.random_count, len(pool))):
            used.add(question.id)
            picked.append((question, slot.mark))
    if quiz.shuffle_questions:
        rng.shuffle(picked)
    drawn = []
    for row, mark in picked:
        question = load_question(row)
        graded = grading.is_graded(question)
        drawn.append((row, (mark if mark is not None else question.default_mark) if graded else Decimal(0), graded))
    return drawn


def is_overdue(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.state == AttemptState.IN_PROGRESS and attempt.deadline is not None and now >= attempt.deadline


@dataclass
class AttemptItem:
    """One slot of an attempt as pages and the API show it."""

    slot: int
    answer_row: QuizAnswer
    row: Question
    question: questions.AnyQuestion
    view: dict[str, Any]


def attempt_items(attempt: QuizAttempt, quiz: Quiz) -> list[AttemptItem]:
    """The attempt's questions with saved answers, in one query."""
    pairs = db.session.execute(select(QuizAnswer, Question).join(Question, Question.id == QuizAnswer.question_id)
                               .where(QuizAnswer.attempt_id == attempt.id).order_by(QuizAnswer.slot)).all()
    items = []
    for answer_row, row in pairs:
        question = load_question(row)
        seed = attempt.seed + answer_row.slot if quiz.shuffle_answers else None
        items.append(AttemptItem(answer_row.slot, answer_row, row, question,
                                 questions.public_view(question, shuffle_seed=seed)))
    return items


def get_attempt(attempt_id: int) -> tuple[QuizAttempt, Quiz] | None:
    found = db.session.execute(select(QuizAttempt, Quiz).join(Quiz, Quiz.id == QuizAttempt.quiz_id)
                               .where(QuizAttempt.id == attempt_id)).first()
    return (found[0], found[1]) if found else None


def save_answer(attempt: QuizAttempt, slot: int, raw: Any, now: datetime) -> QuizAnswer:
    """Autosave one answer. Refused once the attempt is finished or past its deadline; an overdue
    attempt is finished with the answers saved before the deadline.

    Race-safety: the attempt row is touched first with a conditional update (state, deadline), so
    a save and a finish never interleave: either the save lands before the finish grades, or it is
    refused.
    """
    found = db.session.execute(select(QuizAnswer, Question).join(Question, Question.id == QuizAnswer.question_id)
                               .where(QuizAnswer.attempt_id == attempt.id, QuizAnswer.slot == slot)).first()
    if found is None:
        raise NotFound(_("There is no question %(slot)s in this attempt.", slot=slot))
    answer_row, row = found
    question = load_question(row)
    try:
        value = grading.validate_answer(question, raw)
    except grading.AnswerShapeError as error:
        message = translate_pure(error.message)
        raise Invalid(message, {"answer": message}) from None
    _claim_open_attempt(attempt, now)
    db.session.execute(update(QuizAnswer).where(QuizAnswer.id == answer_row.id).values(answer=value, saved_at=now)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    return answer_row


def _claim_open_attempt(attempt: QuizAttempt, now: datetime) -> None:
    """Mark the attempt as saved now, but only while it is in progress and before its deadline
    (one conditional UPDATE, so a racing finish or a late answer cannot slip through). A late
    answer finishes the attempt with what was saved before and is refused."""
    condition = [QuizAttempt.id == attempt.id, QuizAttempt.state == AttemptState.IN_PROGRESS]
    if attempt.deadline is not None:
        condition.append(QuizAttempt.deadline > now)
    touched = db.session.execute(update(QuizAttempt).where(*condition).values(last_saved_at=now)
                                 .execution_options(synchronize_session=False)).rowcount
    if touched != 1:
        db.session.rollback()
        db.session.refresh(attempt)
        if attempt.state == AttemptState.IN_PROGRESS:
            finish_attempt(attempt, now)
            raise Conflict(_("Time is up: this answer came after the deadline and was not saved. "
                             "The attempt was finished with the answers saved before."))
        raise Conflict(_("This attempt is finished: answers can no longer change."))


def save_answers(attempt: QuizAttempt, raw_answers: dict[int, Any], now: datetime) -> dict[int, str]:
    """Save several answers at once (the one-page form and its autosave): the valid ones are saved
    in one statement, the invalid ones come back as {slot: message}. Same refusals as save_answer."""
    pairs = db.session.execute(select(QuizAnswer.id, QuizAnswer.slot, QuizAnswer.answer, Question.id,
                                      Question.version, Question.data)
                               .join(Question, Question.id == QuizAnswer.question_id)
                               .where(QuizAnswer.attempt_id == attempt.id)).all()
    errors: dict[int, str] = {}
    changes = []
    for answer_id, slot, stored, question_id, version, data in pairs:
        if slot not in raw_answers:
            continue
        try:
            value = grading.validate_answer(_decoded(question_id, version, data), raw_answers[slot])
        except grading.AnswerShapeError as error:
            errors[slot] = translate_pure(error.message)
            continue
        if value != stored:
            changes.append({"id": answer_id, "answer": value, "saved_at": now})
    _claim_open_attempt(attempt, now)
    if changes:
        db.session.execute(update(QuizAnswer), changes)
    db.session.commit()
    return errors


def _grade_one(question: questions.AnyQuestion, max_mark: Decimal, answer: Any) -> tuple[Fraction, Decimal, bool, str]:
    if not grading.is_graded(question):
        return Fraction(0), Decimal(0), False, ""
    try:
        result = grading.grade(question, answer)
    except grading.AnswerShapeError:  # the question changed since the answer was saved
        result = grading.GradeResult(Fraction(0))
    return result.fraction, grading.mark(max_mark, result.fraction), result.needs_grading, result.feedback


def finish_attempt(attempt: QuizAttempt, now: datetime) -> QuizAttempt:
    """Finish and grade every auto-gradable answer at once (essays wait for a tutor).

    Idempotent and race-safe: a conditional update claims the attempt (state in_progress →
    finished); whoever loses the claim just reads the winner's result, so grading happens once.
    """
    finished_at = min(now, attempt.deadline) if attempt.deadline is not None else now
    claimed = db.session.execute(update(QuizAttempt).where(QuizAttempt.id == attempt.id,
                                                           QuizAttempt.state == AttemptState.IN_PROGRESS)
                                 .values(state=AttemptState.FINISHED, finished_at=finished_at)
                                 .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        db.session.rollback()
        db.session.refresh(attempt)
        return attempt
    pairs = db.session.execute(select(QuizAnswer.id, QuizAnswer.answer, QuizAnswer.max_mark, Question.id,
                                      Question.version, Question.data)
                               .join(Question, Question.id == QuizAnswer.question_id)
                               .where(QuizAnswer.attempt_id == attempt.id)).all()
    score = Decimal(0)
    pending = False
    updates = []
    for answer_id, answer, max_mark, question_id, version, data in pairs:
        question = _decoded(question_id, version, data)
        fraction, points, needs, feedback = _grade_one(question, max_mark, answer)
        score += points
        pending = pending or needs
        updates.append({"id": answer_id, "fraction": str(fraction), "points": points, "needs_grading": needs,
                        "feedback": feedback})
    if updates:
        db.session.execute(update(QuizAnswer), updates)
    db.session.execute(update(QuizAttempt).where(QuizAttempt.id == attempt.id)
                       .values(score=score, needs_grading=pending)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    db.session.refresh(attempt)
    return attempt


@tick_job("quiz.finish_overdue")
def finish_overdue(now: datetime) -> list[str]:
    """Finish every attempt past its deadline with what was saved (the clock; idempotent)."""
    overdue = list(db.session.scalars(select(QuizAttempt).where(QuizAttempt.state == AttemptState.IN_PROGRESS,
                                                                QuizAttempt.deadline <= now)
                                      .order_by(QuizAttempt.id).limit(5000)))
    db.session.commit()
    for attempt in overdue:
        finish_attempt(attempt, now)
    return [f"finished {len(overdue)} overdue attempts"] if overdue else []


# --- tutor grading and regrading ---------------------------------------------------------------------


def _recompute(attempt_id: int) -> None:
    totals = db.session.execute(select(func.coalesce(func.sum(QuizAnswer.points), 0),
                                       func.count().filter(QuizAnswer.needs_grading.is_(True)))
                                .where(QuizAnswer.attempt_id == attempt_id)).one()
    db.session.execute(update(QuizAttempt).where(QuizAttempt.id == attempt_id)
                       .values(score=Decimal(str(totals[0])), needs_grading=bool(totals[1]))
                       .execution_options(synchronize_session=False))


def grade_answer(answer: QuizAnswer, points: Decimal, comment: str, *, actor: User | None, now: datetime) -> QuizAnswer:
    """A tutor's mark for one answer (an essay, or an override): 0..the question's mark."""
    attempt = db.session.get(QuizAttempt, answer.attempt_id)
    assert attempt is not None
    if attempt.state != AttemptState.FINISHED:
        raise Conflict(_("The attempt is still in progress."))
    if not Decimal(points).is_finite() or not Decimal(0) <= Decimal(points) <= answer.max_mark:
        message = _("Give from 0 to %(max)s points.", max=format(answer.max_mark.normalize(), "f"))
        raise Invalid(message, {"points": message})
    answer.points = Decimal(points)
    answer.fraction = str(Fraction(Decimal(points)) / Fraction(answer.max_mark)) if answer.max_mark else "0"
    answer.needs_grading = False
    answer.comment = comment.strip()
    answer.graded_by_id = actor.id if actor is not None else None
    answer.graded_at = now
    db.session.flush()
    _recompute(attempt.id)
    audit.record("quiz.answer_graded", actor=actor, scope_type="quiz", scope_id=attempt.quiz_id,
                 object_type="quiz_answer", object_id=answer.id, details={"points": str(points)})
    db.session.commit()
    return answer


@dataclass(frozen=True)
class RegradeChange:
    attempt_id: int
    user_id: int
    slot: int
    old_points: Decimal | None
    new_points: Decimal


def regrade_question(row: Question, *, actor: User | None) -> list[RegradeChange]:
    """Regrade every finished attempt's answer to this question with its current version; hand
    grades stay. Returns what changed (attempt, student, old → new points)."""
    question = load_question(row)
    found = db.session.execute(select(QuizAnswer, QuizAttempt.user_id)
                               .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
                               .where(QuizAnswer.question_id == row.id,
                                      QuizAttempt.state == AttemptState.FINISHED,
                                      QuizAnswer.graded_by_id.is_(None))
                               .order_by(QuizAnswer.attempt_id)).all()
    changes = []
    touched: set[int] = set()
    for answer, user_id in found:
        fraction, points, needs, feedback = _grade_one(question, answer.max_mark, answer.answer)
        if answer.points is None or Decimal(answer.points) != points or answer.needs_grading != needs:
            changes.append(RegradeChange(answer.attempt_id, user_id, answer.slot, answer.points, points))
            touched.add(answer.attempt_id)
        answer.fraction, answer.points, answer.needs_grading, answer.feedback = str(fraction), points, needs, feedback
    db.session.flush()
    for attempt_id in sorted(touched):
        _recompute(attempt_id)
    audit.record("quiz.question_regraded", actor=actor, scope_type="question_bank", scope_id=row.bank_id,
                 object_type="question", object_id=row.id,
                 details={"version": row.version, "answers": len(found), "changed": len(changes)})
    db.session.commit()
    return changes


def grading_queue(quiz_ids: Iterable[int]) -> Any:
    """Answers waiting for a tutor (a query for pagination, oldest first)."""
    return (select(QuizAnswer).join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
            .where(QuizAttempt.quiz_id.in_(list(quiz_ids)), QuizAttempt.state == AttemptState.FINISHED,
                   QuizAnswer.needs_grading.is_(True))
            .order_by(QuizAttempt.finished_at, QuizAnswer.id))


# --- grades ------------------------------------------------------------------------------------------


def _finished_rows(quiz_ids: list[int], user_ids: list[int] | None) -> Any:
    query = (select(QuizAttempt.quiz_id, QuizAttempt.user_id, QuizAttempt.number, QuizAttempt.score,
                    QuizAttempt.max_score, QuizAttempt.started_at, QuizAttempt.finished_at,
                    Quiz.grading_method, Quiz.max_grade)
             .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
             .where(QuizAttempt.quiz_id.in_(quiz_ids), QuizAttempt.state == AttemptState.FINISHED)
             .order_by(QuizAttempt.quiz_id, QuizAttempt.user_id, QuizAttempt.number))
    if user_ids is not None:
        query = query.where(QuizAttempt.user_id.in_(user_ids))
    return db.session.execute(query).all()


def quiz_grades(quiz_ids: Iterable[int], user_ids: Iterable[int] | None = None) -> dict[tuple[int, int], Decimal]:
    """(quiz id, user id) → the quiz grade by its grading method (2 places), in one query."""
    ids = list(quiz_ids)
    if not ids:
        return {}
    grouped: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for row in _finished_rows(ids, list(user_ids) if user_ids is not None else None):
        grouped[(row.quiz_id, row.user_id)].append(row)
    grades = {}
    for key, rows in grouped.items():
        attempts = [rules.FinishedAttempt(r.number, Decimal(r.score or 0), Decimal(r.max_score)) for r in rows]
        value = rules.quiz_grade(attempts, str(rows[0].grading_method), Decimal(rows[0].max_grade))
        if value is not None:
            grades[key] = value
    return grades


@dataclass(frozen=True)
class AttemptResult:
    """The attempt that stands for a student in a ranking: its grade (exact when it terminates,
    else to 7 places), the quiz's maximum, time used and when it finished."""

    user_id: int
    grade: Decimal
    max_grade: Decimal
    time_used_seconds: int
    finished_at: datetime


def attempt_results(quiz_id: int) -> list[AttemptResult]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in _finished_rows([quiz_id], None):
        grouped[row.user_id].append(row)
    results = []
    for user_id, rows in grouped.items():
        method = str(rows[0].grading_method)
        attempts = [rules.FinishedAttempt(r.number, Decimal(r.score or 0), Decimal(r.max_score)) for r in rows]
        number = rules.graded_attempt_number(attempts, method)
        chosen = next(r for r in rows if r.number == number)
        max_grade = Decimal(rows[0].max_grade)
        if method == "average":
            total = sum((rules.attempt_grade(a.score, a.max_score, max_grade) for a in attempts), Fraction(0))
            exact = total / len(attempts)
        else:
            exact = rules.attempt_grade(Decimal(chosen.score or 0), Decimal(chosen.max_score), max_grade)
        grade = grading.mark(Decimal(1), exact)
        used = int((chosen.finished_at - chosen.started_at).total_seconds()) if chosen.finished_at else 0
        results.append(AttemptResult(user_id, grade, max_grade, max(0, used), chosen.finished_at))
    return sorted(results, key=lambda r: r.user_id)


def attempt_grade_value(attempt: QuizAttempt, quiz: Quiz) -> Decimal | None:
    if attempt.score is None:
        return None
    return rules.to_decimal(rules.attempt_grade(Decimal(attempt.score), Decimal(attempt.max_score),
                                                Decimal(quiz.max_grade)))


def can_review(attempt: QuizAttempt, quiz: Quiz, now: datetime) -> bool:
    return rules.review_open(str(quiz.review_when), attempt.state == AttemptState.FINISHED, quiz.closes_at, now)
