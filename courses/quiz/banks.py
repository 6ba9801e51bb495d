"""Quiz room: question banks and their categories (create, list as paths, delete when empty).
Touches question_bank, question_category, and question rows only to clear a deleted category."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from courses.quiz.models import Question, QuestionBank, QuestionCategory, QuizSlot


def create_bank(owner_type: str, owner_id: int, title: str) -> QuestionBank:
    """A bank for a new course or contest; flushed, not committed: the owner's service commits it
    together with the course or contest it belongs to."""
    bank = QuestionBank(owner_type=owner_type, owner_id=owner_id, title=title[:255])
    db.session.add(bank)
    db.session.flush()
    return bank


def bank_for(owner_type: str, owner_id: int) -> QuestionBank | None:
    """The owner's bank (a course or contest has one), or None."""
    return db.session.scalar(
        select(QuestionBank)
        .where(QuestionBank.owner_type == owner_type, QuestionBank.owner_id == owner_id)
        .order_by(QuestionBank.id)
        .limit(1)
    )


def category_paths(bank_id: int) -> dict[int, str]:
    """Each category's full path ("Algebra/Linear"), in one query."""
    rows = db.session.execute(
        select(QuestionCategory.id, QuestionCategory.parent_id, QuestionCategory.name).where(
            QuestionCategory.bank_id == bank_id
        )
    ).all()
    by_id = {row.id: row for row in rows}
    paths: dict[int, str] = {}

    def path(category_id: int, depth: int = 0) -> str:
        if category_id in paths:
            return paths[category_id]
        row = by_id[category_id]
        parent = row.parent_id
        value = (
            row.name
            if parent is None or parent not in by_id or depth > 50
            else f"{path(parent, depth + 1)}/{row.name}"
        )
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


def create_category(
    bank: QuestionBank, name: str, *, parent_id: int | None = None, actor: User | None
) -> QuestionCategory:
    """A category; names are unique among siblings (the database says so too)."""
    name = _clean_name(name)
    if parent_id is not None:
        parent = db.session.get(QuestionCategory, parent_id)
        if parent is None or parent.bank_id != bank.id:
            raise Invalid(_("Unknown category."), {"parent_id": _("Unknown category.")})
    duplicate = db.session.scalar(
        select(QuestionCategory.id).where(
            QuestionCategory.bank_id == bank.id,
            QuestionCategory.name == name,
            QuestionCategory.parent_id.is_(None)
            if parent_id is None
            else QuestionCategory.parent_id == parent_id,
        )
    )
    if duplicate is not None:
        raise Invalid(
            _("A category with this name already exists here."),
            {"name": _("A category with this name already exists here.")},
        )
    category = QuestionCategory(bank_id=bank.id, parent_id=parent_id, name=name)
    db.session.add(category)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Invalid(
            _("A category with this name already exists here."),
            {"name": _("A category with this name already exists here.")},
        ) from None
    audit.record(
        "quiz.category_created",
        actor=actor,
        scope_type="question_bank",
        scope_id=bank.id,
        object_type="question_category",
        object_id=category.id,
        details={"name": name},
    )
    db.session.commit()
    return category


def delete_category(category: QuestionCategory, *, actor: User | None) -> None:
    """Only an empty category goes (no questions, no subcategories, no random slot drawing from it)."""
    busy = db.session.scalar(
        select(func.count())
        .select_from(Question)
        .where(Question.category_id == category.id, Question.hidden.is_(False))
    )
    children = db.session.scalar(
        select(func.count()).select_from(QuestionCategory).where(QuestionCategory.parent_id == category.id)
    )
    slots = db.session.scalar(
        select(func.count()).select_from(QuizSlot).where(QuizSlot.category_id == category.id)
    )
    if busy or children or slots:
        raise Conflict(_("Only an empty category that no quiz draws from can be deleted."))
    audit.record(
        "quiz.category_deleted",
        actor=actor,
        scope_type="question_bank",
        scope_id=category.bank_id,
        object_type="question_category",
        object_id=category.id,
        details={"name": category.name},
    )
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


def check_category(bank: QuestionBank, category_id: int | None) -> None:
    """Refuse a category of another bank (ids come from forms and the API)."""
    if category_id is None:
        return
    category = db.session.get(QuestionCategory, category_id)
    if category is None or category.bank_id != bank.id:
        raise Invalid(_("Unknown category."), {"category_id": _("Unknown category.")})
