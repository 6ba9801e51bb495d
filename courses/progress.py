"""Courses room: where a student stands — their marks and progress over a course's shape, the outline
the course page shows, whether an item is open to them, recording a view, and every student's
progress for the tutor. Touches ItemView."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from app.accounts import User
from app.cache_versions import bump
from app.extensions import db, rows_changed
from courses import rules
from courses.cache_keys import learner_key
from courses.course_shape import CourseShape, ItemShape, ModuleShape, course_shape
from courses.facts import load_facts, students_page
from courses.models import Assignment, Course, Item, ItemKind, ItemView, Module
from courses.structure import load_structure


def mark_viewed(item: Item, user: User, now: datetime) -> None:
    """Record the first view and commit (later views and two views at once change nothing)."""
    record_view(item.course_id, item.id, user.id, now)
    db.session.commit()


def has_viewed(item_id: int, user_id: int) -> bool:
    return (
        db.session.scalar(select(ItemView.id).where(ItemView.item_id == item_id, ItemView.user_id == user_id))
        is not None
    )


def record_view(course_id: int, item_id: int, user_id: int, now: datetime) -> None:
    """Insert the first view mark and move the student's progress on; a second view, or two at
    once, inserts nothing and moves nothing. The caller commits (pages run it after the response,
    app/after_response.py, so that reading an item stays a read)."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(ItemView)
        .values(item_id=item_id, user_id=user_id, viewed_at=now)
        .on_conflict_do_nothing(index_elements=["item_id", "user_id"])
    )
    if rows_changed(statement):
        bump(learner_key(course_id, user_id))


@dataclass(frozen=True)
class ItemMark:
    """Where one student stands on one visible item."""

    complete: bool
    locked_by: int | None  # the prerequisite still to complete
    status: rules.Status | None
    points: Decimal | None
    max_points: Decimal | None


@dataclass(frozen=True)
class Learner:
    """One student's marks on the items visible now and their progress (kept in a cache: never
    changed once built)."""

    marks: dict[int, ItemMark]
    progress: rules.Progress


def visible_parts(shape: CourseShape, now: datetime) -> list[tuple[ModuleShape, list[ItemShape]]]:
    """The modules and items a student sees now."""
    return [
        (module, [i for i in module.items if rules.is_visible(i.hidden, i.visible_from, now)])
        for module in shape.modules
        if rules.is_visible(module.hidden, module.visible_from, now)
    ]


def learner_state(shape: CourseShape, user_id: int, now: datetime) -> Learner:
    """A student's completion, locks, statuses and grades on the visible items: five queries."""
    items = [item for _module, shown in visible_parts(shape, now) for item in shown]
    facts = load_facts(shape.course_id, items, [user_id])
    known = [facts.item_facts(item, user_id) for item in items]
    state = rules.progress(known)
    marks = {}
    for item, item_facts in zip(items, known, strict=True):
        status = None
        maximum = item.max_points
        if item.kind == ItemKind.ASSIGNMENT and item.assignment_id is not None:
            submission = facts.submissions.get((item.assignment_id, user_id))
            status = rules.submission_status(
                submission is not None, bool(submission and submission.late), item_facts.points is not None
            )
        elif item.kind == ItemKind.QUIZ and item.quiz_id is not None:
            maximum = facts.quiz_max.get(item.quiz_id)
        marks[item.id] = ItemMark(
            state.complete[item.id], state.locked_by.get(item.id), status, item_facts.points, maximum
        )
    return Learner(marks, state)


@dataclass
class ItemState:
    item: ItemShape
    visible: bool
    complete: bool
    locked_by: ItemShape | None
    status: rules.Status | None = None
    points: Decimal | None = None
    max_points: Decimal | None = None


@dataclass
class ModuleState:
    module: ModuleShape
    visible: bool
    items: list[ItemState]


@dataclass
class Outline:
    course: Course
    modules: list[ModuleState]
    progress: rules.Progress | None


def outline(course: Course, shape: CourseShape, *, now: datetime, learner: Learner | None = None) -> Outline:
    """The course page's outline: for a teacher (no `learner`) every module and item, hidden ones
    marked; for a student the visible ones with their marks."""
    if learner is None:
        return Outline(
            course,
            [
                ModuleState(
                    module,
                    rules.is_visible(module.hidden, module.visible_from, now),
                    [
                        ItemState(item, rules.is_visible(item.hidden, item.visible_from, now), False, None)
                        for item in module.items
                    ],
                )
                for module in shape.modules
            ],
            None,
        )
    result = []
    for module, shown in visible_parts(shape, now):
        states = []
        for item in shown:
            mark = learner.marks[item.id]
            locked = shape.item(mark.locked_by) if mark.locked_by else None
            states.append(
                ItemState(item, True, mark.complete, locked, mark.status, mark.points, mark.max_points)
            )
        result.append(ModuleState(module, True, states))
    return Outline(course, result, learner.progress)


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
    return learner_state(course_shape(course.id), user.id, now).progress


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
