"""Course deadlines in a person's calendar feed (community.events.feed_items): the due date of each
assignment and the closing of each quiz in the courses the person studies, tutors or authors.
Students see only what is not hidden from them; tutors and authors see every deadline they mark.
Two queries whatever the number of courses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from app.extensions import db
from app.i18n import _
from community.events.feed_items import FeedItem
from courses.models import Assignment, Course, CourseMember, CourseRole, Item, ItemKind, Module
from courses.quiz.models import Quiz


def course_deadlines(user_id: int, since: datetime) -> list[FeedItem]:
    """Assignment due dates and quiz closings from `since` on, as feed items (moments)."""
    shown = or_(
        CourseMember.role != CourseRole.STUDENT, (Item.hidden.is_(False)) & (Module.hidden.is_(False))
    )
    base = (
        select(Item.id, Item.title, Course.title)
        .join(Module, Module.id == Item.module_id)
        .join(Course, Course.id == Item.course_id)
        .join(CourseMember, (CourseMember.course_id == Item.course_id) & (CourseMember.user_id == user_id))
        .where(shown)
    )
    assignments = db.session.execute(
        base.add_columns(Assignment.due_at)
        .join(Assignment, Assignment.id == Item.assignment_id)
        .where(Item.kind == ItemKind.ASSIGNMENT, Assignment.due_at.is_not(None), Assignment.due_at >= since)
    ).all()
    quizzes = db.session.execute(
        base.add_columns(Quiz.closes_at)
        .join(Quiz, Quiz.id == Item.quiz_id)
        .where(Item.kind == ItemKind.QUIZ, Quiz.closes_at.is_not(None), Quiz.closes_at >= since)
    ).all()
    items = [
        FeedItem(
            uid=f"course-item-{item_id}-due@vmeste",
            title=_("Due: %(item)s (%(course)s)", item=title, course=course),
            starts_at=moment,
            url=f"/courses/items/{item_id}",
        )
        for item_id, title, course, moment in assignments
    ]
    items += [
        FeedItem(
            uid=f"course-item-{item_id}-closes@vmeste",
            title=_("Quiz closes: %(item)s (%(course)s)", item=title, course=course),
            starts_at=moment,
            url=f"/courses/items/{item_id}",
        )
        for item_id, title, course, moment in quizzes
    ]
    return items
