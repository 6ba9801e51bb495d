"""Courses room: a course's structure as one immutable value (modules, items, what each counts for),
built once per edit and shared by every request (app/memo.py).

The shape is cached under `course_key` (courses.cache_keys), a student's progress under
`progress_versions`: their `learner_key` and the quiz engine's grade keys (courses.quiz.grade_keys)."""

from __future__ import annotations

import itertools
from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from courses.cache_keys import learner_key
from courses.models import ItemKind
from courses.quiz.grade_keys import quiz_grades_key, user_grades_key
from courses.structure import load_structure

# A number no other shape of this worker has: the cached rows and progress built from a shape are
# keyed by it, so they are rebuilt exactly when the shape is.
_tokens = itertools.count(1)


@dataclass(frozen=True)
class ItemShape:
    """What the course page and progress need of an item (the names match Item's columns, so the
    progress facts read either)."""

    id: int
    module_id: int
    kind: str
    title: str
    hidden: bool
    visible_from: datetime | None
    completion: str
    completion_points: Decimal | None
    prerequisite_id: int | None
    assignment_id: int | None
    quiz_id: int | None
    due_at: datetime | None
    max_points: Decimal | None  # an assignment's (a quiz's comes with the progress)


@dataclass(frozen=True)
class ModuleShape:
    id: int
    title: str
    hidden: bool
    visible_from: datetime | None
    items: tuple[ItemShape, ...]


@dataclass(frozen=True)
class CourseShape:
    course_id: int
    modules: tuple[ModuleShape, ...]
    moments: tuple[datetime, ...]  # every "visible from" moment, sorted
    token: int

    @property
    def quiz_ids(self) -> tuple[int, ...]:
        return tuple(sorted({i.quiz_id for m in self.modules for i in m.items if i.quiz_id is not None}))

    def item(self, item_id: int) -> ItemShape | None:
        for module in self.modules:
            for item in module.items:
                if item.id == item_id:
                    return item
        return None

    def epoch(self, now: datetime) -> int:
        """How many "visible from" moments have passed: what is visible changes only when it does,
        so caches of what a student sees are keyed by it rather than by the time."""
        return bisect_right(self.moments, now)


def progress_versions(shape: CourseShape, user_id: int) -> tuple[str, ...]:
    """The versions a student's progress in the course is built from (the structure is keyed by
    the shape's token)."""
    return (
        learner_key(shape.course_id, user_id),
        user_grades_key(user_id),
        *(quiz_grades_key(q) for q in shape.quiz_ids),
    )


def course_shape(course_id: int) -> CourseShape:
    """The structure read from the database: two queries at any size. A quiz's maximum is not part
    of it (the quiz engine may change it without the course knowing): progress reads it."""
    modules = load_structure(course_id, with_files=False)
    shaped = []
    moments = set()
    for module in modules:
        items = []
        for item in module.items:
            assignment = item.assignment if item.kind == ItemKind.ASSIGNMENT else None
            items.append(
                ItemShape(
                    id=item.id,
                    module_id=module.id,
                    kind=str(item.kind),
                    title=item.title,
                    hidden=item.hidden,
                    visible_from=item.visible_from,
                    completion=str(item.completion),
                    completion_points=item.completion_points,
                    prerequisite_id=item.prerequisite_id,
                    assignment_id=item.assignment_id,
                    quiz_id=item.quiz_id,
                    due_at=assignment.due_at if assignment is not None else None,
                    max_points=assignment.max_points if assignment is not None else None,
                )
            )
            if item.visible_from is not None:
                moments.add(item.visible_from)
        if module.visible_from is not None:
            moments.add(module.visible_from)
        shaped.append(ModuleShape(module.id, module.title, module.hidden, module.visible_from, tuple(items)))
    return CourseShape(course_id, tuple(shaped), tuple(sorted(moments)), next(_tokens))
