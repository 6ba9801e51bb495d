"""Courses room: the user's courses on the dashboard — progress for a student, the next assignment
deadlines. Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.accounts import User
from app.extensions import db
from courses import rules
from courses.facts import facts_across_courses
from courses.models import Course, CourseMember, CourseRole, EnrolmentMode, Item, Module


@dataclass
class DashboardCourse:
    course: Course
    role: str
    percent: int | None


@dataclass
class Deadline:
    course: Course
    item_id: int
    title: str
    due_at: datetime
    # The item to complete first when the assignment is still locked behind it (no link then: the
    # page would only say it is locked).
    opens_after: str | None = None


def dashboard_summary(
    user: User, now: datetime, limit: int = 8
) -> tuple[list[DashboardCourse], list[Deadline]]:
    """The user's courses with progress (students) and the next assignment deadlines.
    A fixed number of queries: memberships, the items of those courses with their modules'
    visibility, the user's facts."""
    memberships = db.session.execute(
        select(Course, CourseMember.role)
        .join(CourseMember, CourseMember.course_id == Course.id)
        .where(CourseMember.user_id == user.id)
        .order_by(CourseMember.enrolled_at.desc(), Course.id)
        .limit(limit)
    ).all()
    if not memberships:
        return [], []
    student_course_ids = [c.id for c, role in memberships if role == CourseRole.STUDENT]
    items: list[Item] = []
    visible: list[Item] = []
    if student_course_ids:
        # The items with their module's visibility in one statement (the module rows themselves
        # are not needed here).
        rows = db.session.execute(
            select(Item, Module.hidden, Module.visible_from)
            .join(Module, Module.id == Item.module_id)
            .where(Item.course_id.in_(student_course_ids))
            .options(joinedload(Item.assignment))
        ).all()
        items = [item for item, _hidden, _from in rows]
        visible = [
            item
            for item, module_hidden, module_from in rows
            if rules.is_visible(module_hidden, module_from, now)
            and rules.is_visible(item.hidden, item.visible_from, now)
        ]
    facts = facts_across_courses(student_course_ids, visible, user.id)
    result: list[DashboardCourse] = []
    deadlines: list[Deadline] = []
    courses = {c.id: c for c, _r in memberships}
    for course, role in memberships:
        percent = None
        if role == CourseRole.STUDENT:
            course_items = [i for i in visible if i.course_id == course.id]
            percent = rules.progress([facts.item_facts(i, user.id) for i in course_items]).percent
        result.append(DashboardCourse(course, str(role), percent))
    items_by_id = {i.id: i for i in items}
    for item in visible:
        if (
            item.assignment is not None
            and item.assignment.due_at
            and item.assignment.due_at >= now
            and (item.assignment_id, user.id) not in facts.submissions
        ):
            deadlines.append(
                Deadline(
                    courses[item.course_id],
                    item.id,
                    item.title,
                    item.assignment.due_at,
                    _locked_behind(item, items_by_id, facts, user.id),
                )
            )
    deadlines.sort(key=lambda d: d.due_at)
    return result, deadlines[:5]


def joinable_count(user: User) -> int:
    """How many courses the user could join by themselves (open, or with a key from the teacher):
    what an empty dashboard points a pupil to. One query."""
    mine = select(CourseMember.course_id).where(CourseMember.user_id == user.id)
    query = (
        select(func.count())
        .select_from(Course)
        .where(Course.enrolment_mode != EnrolmentMode.INVITATION, Course.id.not_in(mine))
    )
    return db.session.scalar(query) or 0


def _locked_behind(item: Item, items_by_id: dict[int, Item], facts: Any, user_id: int) -> str | None:
    """The title of the prerequisite the student has still to complete, as the item page decides
    (courses.progress.item_access), from the rows already loaded."""
    prerequisite = items_by_id.get(item.prerequisite_id) if item.prerequisite_id else None
    if prerequisite is None or rules.is_complete(facts.item_facts(prerequisite, user_id)):
        return None
    return prerequisite.title
