"""Courses room: where a student stands — the course outline with completion and locks, whether an
item is open to them, recording a view, and every student's progress for the tutor. Touches ItemView."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts import User
from app.extensions import db
from courses import rules
from courses.facts import load_facts, students_page
from courses.models import Assignment, Course, Item, ItemKind, ItemView, Module
from courses.structure import load_structure


def mark_viewed(item: Item, user: User, now: datetime) -> None:
    """Record the first view; later views and two views at once change nothing."""
    exists = db.session.scalar(
        select(ItemView.id).where(ItemView.item_id == item.id, ItemView.user_id == user.id)
    )
    if exists:
        return
    try:
        with db.session.begin_nested():
            db.session.add(ItemView(item_id=item.id, user_id=user.id, viewed_at=now))
    except IntegrityError:
        pass
    db.session.commit()


@dataclass
class ItemState:
    item: Item
    visible: bool
    complete: bool
    locked_by: Item | None
    status: rules.Status | None = None
    points: Decimal | None = None
    max_points: Decimal | None = None


@dataclass
class ModuleState:
    module: Module
    visible: bool
    items: list[ItemState]


@dataclass
class Outline:
    course: Course
    modules: list[ModuleState]
    progress: rules.Progress | None
    items_by_id: dict[int, Item]


def outline(course: Course, user: User, *, teaching: bool, now: datetime) -> Outline:
    """The course page: visible modules and items, each with its completion and lock for a student
    (teachers see everything, hidden parts marked). A fixed number of queries at any size."""
    modules = load_structure(course.id, with_files=False)
    items = [item for module in modules for item in module.items]
    items_by_id = {item.id: item for item in items}
    result: list[ModuleState] = []
    if teaching:
        for module in modules:
            result.append(
                ModuleState(
                    module,
                    rules.is_visible(module.hidden, module.visible_from, now),
                    [
                        ItemState(item, rules.is_visible(item.hidden, item.visible_from, now), False, None)
                        for item in module.items
                    ],
                )
            )
        return Outline(course, result, None, items_by_id)
    user_id = user.id  # read once: `user` may be a proxy (current_user), costly per item
    facts = load_facts(course.id, items, [user_id])
    # Each visible item's facts, grade and status computed once, then reused for the progress
    # (completion and locks) and for the rows.
    visible: list[tuple[Module, list[tuple[Item, Decimal | None, rules.Status | None]]]] = []
    item_facts: list[rules.ItemFacts] = []
    for module in modules:
        if not rules.is_visible(module.hidden, module.visible_from, now):
            continue
        rows = []
        for item in module.items:
            if not rules.is_visible(item.hidden, item.visible_from, now):
                continue
            known = facts.item_facts(item, user_id)
            item_facts.append(known)
            status = None
            if item.kind == ItemKind.ASSIGNMENT and item.assignment_id is not None:
                submission = facts.submissions.get((item.assignment_id, user_id))
                status = rules.submission_status(
                    submission is not None, bool(submission and submission.late), known.points is not None
                )
            rows.append((item, known.points, status))
        visible.append((module, rows))
    state = rules.progress(item_facts)
    complete, locked_by = state.complete, state.locked_by
    for module, rows in visible:
        states = []
        for item, points, status in rows:
            locked = locked_by.get(item.id)
            states.append(
                ItemState(
                    item,
                    True,
                    complete[item.id],
                    items_by_id.get(locked) if locked else None,
                    status,
                    points,
                    facts.max_points(item),
                )
            )
        result.append(ModuleState(module, True, states))
    return Outline(course, result, state, items_by_id)


def item_access(item: Item, user: User, *, now: datetime) -> tuple[bool, Item | None]:
    """For a student: (visible, the prerequisite still to complete or None)."""
    module = db.session.get(Module, item.module_id)
    assert module is not None
    visible = rules.is_visible(module.hidden, module.visible_from, now) and rules.is_visible(
        item.hidden, item.visible_from, now
    )
    if not visible or item.prerequisite_id is None:
        return visible, None
    prerequisite = db.session.get(Item, item.prerequisite_id)
    if prerequisite is None:
        return visible, None
    if prerequisite.kind == ItemKind.ASSIGNMENT:
        db.session.get(Assignment, prerequisite.assignment_id)
    facts = load_facts(item.course_id, [prerequisite], [user.id])
    complete = rules.is_complete(facts.item_facts(prerequisite, user.id))
    return visible, None if complete else prerequisite


def student_progress(course: Course, user: User, now: datetime) -> rules.Progress:
    """One student's completion of the course, as the course page computes it (the certificate asks it)."""
    result = outline(course, user, teaching=False, now=now).progress
    assert result is not None
    return result


@dataclass
class ProgressRow:
    student: User
    progress: rules.Progress


def progress_table(
    course: Course, *, page: int, per_page: int, now: datetime
) -> tuple[list[ProgressRow], int]:
    """Every student's completion, paginated; a fixed number of queries."""
    modules = load_structure(course.id)
    items = [
        i
        for m in modules
        if rules.is_visible(m.hidden, m.visible_from, now)
        for i in m.items
        if rules.is_visible(i.hidden, i.visible_from, now)
    ]
    students, total = students_page(course.id, page, per_page)
    facts = load_facts(course.id, items, [s.id for s in students])
    rows = [ProgressRow(s, rules.progress([facts.item_facts(i, s.id) for i in items])) for s in students]
    return rows, total
