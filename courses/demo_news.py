"""Demo course forums: the author's first announcement in the news forum of the demo course (made by
courses/demo.py) and a learner's question in its forum, written through the forums' services so every
enrolled person is told as the news forum's subscribers are. Idempotent: topics are found by title."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from community.forums import demo as forums_demo
from community.forums import demo_data, places
from community.forums.models import ForumScope
from courses.demo import TITLE
from courses.models import Course


def load_course_news() -> list[str]:
    course_id = db.session.scalar(select(Course.id).where(Course.title == TITLE))
    if course_id is None:
        return [f"Course news: the demo course «{TITLE}» is missing (load the courses' part first)"]
    forums = places.ensure_place_forums(ForumScope.COURSE, course_id)
    by_slot = {forum.slot: forum for forum in forums}
    added = forums_demo.write_topics(by_slot[places.NEWS], demo_data.TOPICS["course_news"])
    asked = forums_demo.write_topics(by_slot[places.GENERAL], demo_data.TOPICS["course_forum"])
    return [f"Course forums: «{TITLE}», {added} new announcements, {asked} new questions"]
