"""Quiz engine: the version keys (app/cache_versions.py) that move on when quiz grades change, so a
room that caches what it shows from them (a course's progress) rebuilds exactly then.

A student's own finish or a tutor's mark of one attempt moves `user_grades_key`; a change that
touches everybody's grade on one quiz (its grading method or maximum) moves `quiz_grades_key`."""

from __future__ import annotations


def user_grades_key(user_id: int) -> str:
    return f"quiz-grades:user:{user_id}"


def quiz_grades_key(quiz_id: int) -> str:
    return f"quiz:{quiz_id}:grades"
