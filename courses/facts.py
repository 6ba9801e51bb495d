"""Courses room: what is known about students in one course — views, hand-ins, typed-in grades and
quiz grades — loaded with a fixed number of queries for progress, the gradebook and the dashboard.
Reads only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import func, select

from app.accounts import User
from app.extensions import db
from courses import rules
from courses.models import (
    Assignment,
    CourseMember,
    CourseRole,
    GradeOverride,
    Item,
    ItemKind,
    ItemView,
    Submission,
)
from courses.quiz.grades import quiz_grades as read_quiz_grades
from courses.quiz.models import Quiz


class ItemLike(Protocol):
    """An item row or its cached shape (courses.course_shape.ItemShape): what the facts read."""

    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def assignment_id(self) -> int | None: ...
    @property
    def quiz_id(self) -> int | None: ...
    @property
    def completion(self) -> str: ...
    @property
    def completion_points(self) -> Decimal | None: ...
    @property
    def prerequisite_id(self) -> int | None: ...


@dataclass
class StudentFacts:
    """Everything about some students in one course, loaded with a fixed number of queries."""

    viewed: set[tuple[int, int]]  # (item id, user id)
    submissions: dict[tuple[int, int], Any]  # (assignment id, user id) → row: id, points, late
    overrides: dict[tuple[int, int], Any]  # (item id, user id) → row: points
    quiz_grades: dict[tuple[int, int], Decimal]  # (quiz id, user id)
    quiz_max: dict[int, Decimal]

    def points(self, item: ItemLike, user_id: int) -> tuple[Decimal | None, bool]:
        """The grade that counts and whether a tutor typed it in."""
        override = self.overrides.get((item.id, user_id))
        if override is not None:
            return override.points, True
        if item.kind == ItemKind.ASSIGNMENT and item.assignment_id is not None:
            submission = self.submissions.get((item.assignment_id, user_id))
            return (submission.points if submission else None), False
        if item.kind == ItemKind.QUIZ and item.quiz_id is not None:
            return self.quiz_grades.get((item.quiz_id, user_id)), False
        return None, False

    def max_points(self, item: Item) -> Decimal | None:
        if item.kind == ItemKind.ASSIGNMENT and item.assignment is not None:
            return item.assignment.max_points
        if item.kind == ItemKind.QUIZ and item.quiz_id is not None:
            return self.quiz_max.get(item.quiz_id)
        return None

    def item_facts(self, item: ItemLike, user_id: int) -> rules.ItemFacts:
        points, _overridden = self.points(item, user_id)
        submitted = False
        if item.kind == ItemKind.ASSIGNMENT and item.assignment_id is not None:
            submitted = (item.assignment_id, user_id) in self.submissions
        elif item.kind == ItemKind.QUIZ and item.quiz_id is not None:
            submitted = (item.quiz_id, user_id) in self.quiz_grades
        return rules.ItemFacts(
            item_id=item.id,
            rule=str(item.completion),
            completion_points=item.completion_points,
            prerequisite_id=item.prerequisite_id,
            viewed=(item.id, user_id) in self.viewed,
            submitted=submitted,
            points=points,
        )


def load_facts(
    course_id: int, items: Sequence[ItemLike], user_ids: list[int] | None, *, with_views: bool = True
) -> StudentFacts:
    """Views, submissions, overrides and quiz grades of these users (None: all) in one course
    (`with_views=False`: no views, for the gradebook, which never reads them)."""
    view_query = (
        select(ItemView.item_id, ItemView.user_id)
        .join(Item, Item.id == ItemView.item_id)
        .where(Item.course_id == course_id)
    )
    # Plain rows, not ORM objects: the gradebook reads thousands of them and needs four columns.
    sub_query = (
        select(
            Submission.id, Submission.assignment_id, Submission.user_id, Submission.points, Submission.late
        )
        .join(Assignment, Assignment.id == Submission.assignment_id)
        .where(Assignment.course_id == course_id)
    )
    override_query = (
        select(GradeOverride.item_id, GradeOverride.user_id, GradeOverride.points)
        .join(Item, Item.id == GradeOverride.item_id)
        .where(Item.course_id == course_id)
    )
    if user_ids is not None:
        view_query = view_query.where(ItemView.user_id.in_(user_ids))
        sub_query = sub_query.where(Submission.user_id.in_(user_ids))
        override_query = override_query.where(GradeOverride.user_id.in_(user_ids))
    quiz_ids = [i.quiz_id for i in items if i.quiz_id is not None]
    return StudentFacts(
        viewed={(row.item_id, row.user_id) for row in db.session.execute(view_query)}
        if with_views
        else set(),
        submissions={(s.assignment_id, s.user_id): s for s in db.session.execute(sub_query)},
        overrides={(o.item_id, o.user_id): o for o in db.session.execute(override_query)},
        quiz_grades=_quiz_grades(quiz_ids, user_ids),
        quiz_max=quiz_max_grades(quiz_ids),
    )


def facts_across_courses(course_ids: list[int], items: list[Item], user_id: int) -> StudentFacts:
    """One user's facts in several courses at once (the dashboard lists them all)."""
    if not course_ids:
        return StudentFacts(set(), {}, {}, {}, {})
    views = {
        (r.item_id, r.user_id)
        for r in db.session.execute(
            select(ItemView.item_id, ItemView.user_id)
            .join(Item, Item.id == ItemView.item_id)
            .where(Item.course_id.in_(course_ids), ItemView.user_id == user_id)
        )
    }
    subs = {
        (s.assignment_id, s.user_id): s
        for s in db.session.execute(
            select(
                Submission.id,
                Submission.assignment_id,
                Submission.user_id,
                Submission.points,
                Submission.late,
            )
            .join(Assignment, Assignment.id == Submission.assignment_id)
            .where(Assignment.course_id.in_(course_ids), Submission.user_id == user_id)
        )
    }
    overrides = {
        (o.item_id, o.user_id): o
        for o in db.session.execute(
            select(GradeOverride.item_id, GradeOverride.user_id, GradeOverride.points)
            .join(Item, Item.id == GradeOverride.item_id)
            .where(Item.course_id.in_(course_ids), GradeOverride.user_id == user_id)
        )
    }
    quiz_ids = [i.quiz_id for i in items if i.quiz_id is not None]
    return StudentFacts(views, subs, overrides, _quiz_grades(quiz_ids, [user_id]), quiz_max_grades(quiz_ids))


def students_page(course_id: int, page: int, per_page: int) -> tuple[list[User], int]:
    """One page of the course's students by name, and how many there are."""
    where = (CourseMember.course_id == course_id) & (CourseMember.role == CourseRole.STUDENT)
    total = db.session.scalar(select(func.count()).select_from(CourseMember).where(where)) or 0
    students = list(
        db.session.scalars(
            select(User)
            .join(CourseMember, CourseMember.user_id == User.id)
            .where(where)
            .order_by(User.full_name, User.id)
            .limit(per_page)
            .offset((max(page, 1) - 1) * per_page)
        )
    )
    return students, total


def quiz_max_grades(quiz_ids: Iterable[int]) -> dict[int, Decimal]:
    """Each quiz's maximum grade (the gradebook column's maximum), one query."""
    ids = list(quiz_ids)
    if not ids:
        return {}
    return {
        row.id: Decimal(row.max_grade)
        for row in db.session.execute(select(Quiz.id, Quiz.max_grade).where(Quiz.id.in_(ids)))
    }


def _quiz_grades(quiz_ids: list[int], user_ids: list[int] | None) -> dict[tuple[int, int], Decimal]:
    if not quiz_ids or (user_ids is not None and not user_ids):
        return {}
    return {key: Decimal(value) for key, value in read_quiz_grades(quiz_ids, user_ids).items()}
