"""Courses room: the version keys (app/cache_versions.py) under which the course page's structure and
each student's progress are cached. A service that changes what they show bumps the key in its own
transaction; readers never invalidate anything, they ask for the current versions."""

from __future__ import annotations


def course_key(course_id: int) -> str:
    """Moved on by every edit of the course's structure: modules, items, their order and visibility,
    assignments' dates and maxima."""
    return f"course:{course_id}"


def learner_key(course_id: int, user_id: int) -> str:
    """Moved on by everything one student does or is given in the course: a view, a hand-in, a
    grade, a tutor's override."""
    return f"course:{course_id}:learner:{user_id}"
