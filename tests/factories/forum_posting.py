"""Forums for posting tests, made as rows (a slot of their own, so they never meet the place's default
forums), and topics opened through the posting service."""

from __future__ import annotations

import itertools

from app.accounts import User
from app.extensions import db
from app.timeutil import utcnow
from community.forums import topics
from community.forums.models import Forum, ForumKind, ForumScope, Post, Topic
from courses.models import Course
from tests.factories.accounts import teacher
from tests.factories.courses import course, enrolled

_slots = itertools.count(1)


def forum(
    scope: ForumScope = ForumScope.NETWORK, scope_id: int = 0, kind: ForumKind = ForumKind.DISCUSSION
) -> Forum:
    row = Forum(
        scope=scope, scope_id=scope_id, slot=f"test-{next(_slots)}", kind=kind, title="Форум учителей"
    )
    db.session.add(row)
    db.session.flush()
    return row


def course_forum(kind: ForumKind = ForumKind.DISCUSSION) -> tuple[Forum, Course, User]:
    """A forum of a new course and the course's author (who moderates it)."""
    author = teacher(full_name="Ирина Сергеевна Автор")
    made = course(author)
    return forum(ForumScope.COURSE, made.id, kind), made, author


def member(course_: Course, role: str = "student", user: User | None = None) -> User:
    return enrolled(course_, user, role)


def topic(
    forum_: Forum, author: User, title: str = "Как объяснить дроби", text: str = "Поделитесь опытом."
) -> tuple[Topic, Post]:
    return topics.open_topic(forum_, author, title, text, now=utcnow())
