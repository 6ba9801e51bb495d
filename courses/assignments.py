"""Courses room: setting up an assignment — hand-in kinds, file limits, dates, points or a rubric.
Touches Assignment and its Item; hand-ins are courses/submissions.py, grading courses/grading.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.extensions import db
from app.i18n import _
from courses import rules
from courses.cache_keys import course_key
from courses.catalogue import audit_scope
from courses.items import ItemSettings, apply_item, check_item, new_item
from courses.messages import invalid, text
from courses.models import Assignment, Item, ItemKind, Module, Submission


@dataclass
class AssignmentSettings:
    description: str = ""
    due_at: datetime | None = None
    cutoff_at: datetime | None = None
    max_points: Decimal = Decimal("10")
    rubric: list[dict[str, Any]] = field(default_factory=list)
    allow_text: bool = True
    allow_files: bool = True
    allowed_extensions: str = "pdf,doc,docx,odt,txt,jpg,jpeg,png"
    max_file_mb: int = 10
    max_files: int = 5
    resubmission: bool = True


def create_assignment(
    module: Module, settings: ItemSettings, assignment_settings: AssignmentSettings, *, actor: User
) -> Item:
    """An assignment item at the end of the module, its settings checked as the editor and backup do."""
    check_item(settings, ItemKind.ASSIGNMENT, module.course_id, None)
    check_assignment(assignment_settings)
    assignment = Assignment(course_id=module.course_id)
    apply_assignment(assignment, assignment_settings)
    db.session.add(assignment)
    db.session.flush()
    item = new_item(module, ItemKind.ASSIGNMENT, settings)
    item.assignment_id = assignment.id
    db.session.flush()
    audit.record(
        "course.item_added",
        actor=actor,
        object_type="item",
        object_id=item.id,
        details={"kind": "assignment"},
        **audit_scope(module.course_id),
    )
    bump(course_key(module.course_id))
    db.session.commit()
    return item


def update_assignment(
    item: Item, settings: ItemSettings, assignment_settings: AssignmentSettings, *, actor: User
) -> Item:
    """Once anything is graded the maximum stays: grades already given were out of it."""
    check_item(settings, ItemKind.ASSIGNMENT, item.course_id, item.id)
    check_assignment(assignment_settings)
    assignment = db.session.get(Assignment, item.assignment_id)
    assert assignment is not None
    graded = (
        db.session.scalar(
            select(func.count())
            .select_from(Submission)
            .where(Submission.assignment_id == assignment.id, Submission.points.is_not(None))
        )
        or 0
    )
    if graded and assignment_settings.max_points != assignment.max_points:
        raise invalid({"max_points": _("Submissions are already graded: the maximum can no longer change.")})
    apply_assignment(assignment, assignment_settings)
    apply_item(item, settings)
    audit.record(
        "course.item_updated",
        actor=actor,
        object_type="item",
        object_id=item.id,
        **audit_scope(item.course_id),
    )
    bump(course_key(item.course_id))
    db.session.commit()
    return item


def check_assignment(settings: AssignmentSettings) -> None:
    """Normalise and check (the backup import uses the same check); with a rubric the maximum is
    the sum of its best levels."""
    fields: dict[str, str] = {}
    if settings.due_at and settings.cutoff_at and settings.cutoff_at < settings.due_at:
        fields["cutoff_at"] = _("The cut-off cannot be before the due date.")
    try:
        settings.rubric = rules.check_rubric(settings.rubric)
    except rules.RubricError as error:
        fields[error.field] = text(error)
    else:
        if settings.rubric:
            settings.max_points = rules.rubric_max(settings.rubric)
    if (
        settings.max_points < Decimal("0.01") or settings.max_points > 10000
    ):  # stored with 2 places: 0.001 is 0
        fields.setdefault("max_points", _("Points must be between 0.01 and 10000."))
    if not settings.allow_text and not settings.allow_files:
        fields["allow_text"] = _("Allow online text, files or both.")
    extensions = [e.strip().lower().lstrip(".") for e in settings.allowed_extensions.split(",") if e.strip()]
    if settings.allow_files and not extensions:
        fields["allowed_extensions"] = _("List the allowed file types, e.g. pdf, docx.")
    settings.allowed_extensions = ",".join(dict.fromkeys(extensions))[:255]
    if not 1 <= settings.max_file_mb <= 64:
        fields["max_file_mb"] = _("Must be between %(lo)s and %(hi)s.", lo=1, hi=64)
    if not 1 <= settings.max_files <= 20:
        fields["max_files"] = _("Must be between %(lo)s and %(hi)s.", lo=1, hi=20)
    if fields:
        raise invalid(fields)


def apply_assignment(assignment: Assignment, settings: AssignmentSettings) -> None:
    """Copy checked settings onto the row (shared by the editor and the backup import)."""
    for name in (
        "description",
        "due_at",
        "cutoff_at",
        "max_points",
        "rubric",
        "allow_text",
        "allow_files",
        "allowed_extensions",
        "max_file_mb",
        "max_files",
        "resubmission",
    ):
        setattr(assignment, name, getattr(settings, name))
