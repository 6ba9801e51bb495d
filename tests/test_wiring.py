"""create_app registers every room's hooks from app/wiring.py, in its order, however often it runs."""

from __future__ import annotations

from flask import Flask

from app import create_app, demo, ticks
from app.main import dashboard
from courses.quiz import policies


def _registries() -> tuple[list[str], list[str], list[str], dict[str, str]]:
    return (
        list(ticks._jobs),
        [provider.__name__ for provider in dashboard._providers],
        [part.__name__ for part in demo._parts],
        {owner: fn.__name__ for owner, fn in policies._policies.items() if owner in ("course", "contest")},
    )


def test_create_app_registers_each_hook_once_in_the_wiring_order(app: Flask) -> None:
    before = _registries()
    create_app({"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert (
        _registries()
        == before
        == (
            [
                "quiz.finish_overdue",
                "contest stages",
                "forum digests",
                "event reminders",
                "event certificates",
                "mail",
                "accounts",
                "forums",
                "library certificates",
                "monitoring",
            ],
            ["courses_panel", "contests_panel", "queue_panel", "participant_panel", "library_queue_panel"],
            [
                "load_contests",
                "load_jury_final",
                "load_open_final",
                "load_course_demo",
                "load_library",
                "load_forums",
                "load_course_news",
                "load_events",
                "load_contest_history",
                "load_course_history",
                "load_forum_history",
                "load_monitoring",
            ],
            {"course": "course_attempt_policy", "contest": "contest_attempt_policy"},
        )
    )


def test_registering_a_tick_job_again_replaces_it_and_moves_it_last(app: Flask) -> None:
    saved = dict(ticks._jobs)
    try:
        first = ticks._jobs["quiz.finish_overdue"]
        ticks.tick_job("quiz.finish_overdue")(first)
        assert list(ticks._jobs)[-1] == "quiz.finish_overdue"
        assert len(ticks._jobs) == len(saved)
    finally:
        ticks._jobs.clear()
        ticks._jobs.update(saved)
