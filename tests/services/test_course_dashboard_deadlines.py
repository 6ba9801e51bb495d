"""The dashboard's next deadlines: a locked assignment says what opens it instead of linking to a
page that would only refuse the student."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from courses import progress
from courses.dashboard import dashboard_summary
from tests.factories import courses as cf

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def test_a_locked_deadline_names_what_opens_it(app: Any) -> None:
    course = cf.course()
    module = cf.module(course)
    first = cf.page(module, "Введение", completion="viewed")
    task = cf.assignment(module, "Эссе", due_at=NOW + timedelta(days=3), item={"prerequisite_id": first.id})
    free = cf.assignment(module, "Анкета", due_at=NOW + timedelta(days=5))
    user = cf.enrolled(course)

    _courses, deadlines = dashboard_summary(user, NOW)
    assert [(d.item_id, d.opens_after) for d in deadlines] == [(task.id, "Введение"), (free.id, None)]
    assert progress.item_access(task, user, now=NOW)[1] is not None  # the page agrees: locked

    progress.mark_viewed(first, user, NOW)
    _courses, deadlines = dashboard_summary(user, NOW)
    assert [d.opens_after for d in deadlines] == [None, None]
