"""Races in tests: run several calls at the same moment, each in its own thread, app context and
database session, and collect what each returned or raised."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from flask import Flask

from app.extensions import db


def at_once(app: Flask, calls: list[Callable[[], object]]) -> list[object]:
    """Each call's result, or the exception it raised, in the order they finished."""
    outcomes: list[object] = []
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], object]) -> None:
        with app.app_context():
            barrier.wait()
            try:
                outcomes.append(call())
            except Exception as error:  # noqa: BLE001 - the test reports what happened
                outcomes.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def at_once_words(app: Flask, calls: list[Callable[[], object]]) -> list[str]:
    """Like `at_once`, with "ok" for each call that returned and the repr of each error."""
    return ["ok" if not isinstance(o, Exception) else repr(o) for o in at_once(app, calls)]


def skip_memory_database() -> None:
    """Threads need a database they can all open: a file or a server, not SQLite in memory."""
    if db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file database or a server")
