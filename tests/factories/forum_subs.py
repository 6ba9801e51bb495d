"""Subscriptions' test data: a course with its news forum and students, network forums with topics
opened through the posting service (so the delivery hook runs as in the app), subscriptions set
through the service, and the letters queued in the outbox table."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from app.accounts import User
from app.extensions import db
from app.mail import OutgoingMail
from app.timeutil import utcnow
from community.forums import places, posts, topics
from community.forums.models import Forum, ForumScope, Post, Topic
from community.subscriptions import subscriptions
from courses.models import Course
from tests.factories.accounts import student, teacher
from tests.factories.courses import course, enrolled


@dataclass
class NewsCourse:
    course: Course
    author: User
    news: Forum
    general: Forum
    students: list[User] = field(default_factory=list)


def news_course(students: int = 3) -> NewsCourse:
    author = teacher(full_name="Ирина Сергеевна Новикова")
    made = course(author)
    news = places.find_forum(ForumScope.COURSE, made.id, places.NEWS)
    general = places.find_forum(ForumScope.COURSE, made.id, places.GENERAL)
    assert news is not None and general is not None
    built = NewsCourse(made, author, news, general)
    for n in range(students):
        built.students.append(enrolled(made, student(full_name=f"Ученик {n + 1}"), "student"))
    db.session.commit()
    return built


def subscribe(user: User, target: str, target_id: int, mode: str) -> None:
    subscriptions.subscribe(user, subscriptions.find_target(user, target, target_id), mode, now=utcnow())


def open_topic(
    forum: Forum, author: User, title: str, text: str, at: datetime | None = None
) -> tuple[Topic, Post]:
    return topics.open_topic(forum, author, title, text, now=at or utcnow())


def reply(topic: Topic, author: User, text: str, at: datetime | None = None) -> Post:
    return posts.reply(topic, author, text, now=at or utcnow())


def network_forum() -> Forum:
    return places.network_forum()


def letters_to(email: str) -> list[OutgoingMail]:
    return list(
        db.session.scalars(
            select(OutgoingMail).where(OutgoingMail.to_address == email).order_by(OutgoingMail.id)
        )
    )


def all_letters() -> list[OutgoingMail]:
    return list(db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)))


def headers(letter: OutgoingMail) -> dict[str, str]:
    return json.loads(letter.headers) if letter.headers else {}
