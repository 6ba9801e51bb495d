"""after_response: writes queued by a page run after it, each in its own committed transaction;
GET and HEAD requests begin deferred on SQLite, everything else takes the write lock."""

from __future__ import annotations

import logging
import sqlite3

import pytest
from flask import Flask
from sqlalchemy import select, text

from app.after_response import after_response, writing_now
from app.cache_versions import bump, current
from app.extensions import db
from app.read_requests import is_write, reads_only


def _committed(key: str) -> int:
    """The version as another connection sees it (only committed rows; on SQLite without waiting
    for a write lock the test's own session may hold)."""
    if db.engine.dialect.name == "sqlite":
        other = sqlite3.connect(str(db.engine.url.database))
        try:
            row = other.execute("SELECT version FROM cache_version WHERE key = ?", (key,)).fetchone()
        finally:
            other.close()
        return int(row[0]) if row else 0
    with db.engine.connect() as connection:
        value = connection.execute(text("SELECT version FROM cache_version WHERE key = :k"), {"k": key})
        return int(value.scalar() or 0)


def test_queued_function_runs_after_the_request_and_commits(app: Flask) -> None:
    seen: list[bool] = []

    def mark() -> None:
        seen.append(writing_now())
        bump("viewed:1")

    with app.test_request_context("/", method="GET"):
        after_response(mark)
        assert seen == []  # not before the response is built
        assert current(("viewed:1",)) == (0,)
    assert seen == [True]
    assert _committed("viewed:1") == 1


def test_each_function_commits_alone_and_an_error_is_logged(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        bump("half")
        raise ValueError("boom")

    log_errors = caplog.at_level(logging.ERROR, logger="app.after_response")
    with log_errors, app.test_request_context("/", method="GET"):
        after_response(lambda: bump("first"))
        after_response(broken)
        after_response(lambda: bump("last"))
    assert (_committed("first"), _committed("half"), _committed("last")) == (1, 0, 1)
    assert "broken failed" in caplog.text


def test_queue_is_per_request(app: Flask) -> None:
    with app.test_request_context("/", method="GET"):
        after_response(lambda: bump("once"))
    with app.test_request_context("/", method="GET"):
        pass
    assert _committed("once") == 1


def test_outside_a_request_it_runs_now_in_the_callers_transaction(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    bump("kept")
    after_response(lambda: bump("now"))
    assert current(("now",)) == (1,)
    assert _committed("now") == 0  # the caller commits

    def undone() -> None:
        bump("undone")
        raise ZeroDivisionError

    with caplog.at_level(logging.ERROR, logger="app.after_response"):
        after_response(undone)
    db.session.commit()
    assert (_committed("kept"), _committed("now"), _committed("undone")) == (1, 1, 0)
    assert "ZeroDivisionError" in caplog.text


def test_the_page_sees_fresh_data_after_its_queued_write(app: Flask) -> None:
    """The page's transaction is ended before the writes, so the next read sees them."""
    with app.test_request_context("/", method="GET"):
        assert current(("fresh",)) == (0,)
        after_response(lambda: bump("fresh"))
    assert current(("fresh",)) == (1,)


def test_which_transactions_read_only(app: Flask) -> None:
    assert not reads_only()  # CLI, jobs, tests' own writes
    for method, expected in (("GET", True), ("HEAD", True), ("POST", False), ("DELETE", False)):
        with app.test_request_context("/", method=method):
            assert reads_only() is expected
    assert is_write("  insert into x values (1)") and is_write("UPDATE x SET a = 1")
    assert not is_write("SELECT 1") and not is_write("SAVEPOINT sa_1")


def _try_write_lock(app: Flask) -> bool:
    """Whether another connection can take SQLite's write lock right now."""
    other = sqlite3.connect(str(db.engine.url.database), isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


@pytest.mark.parametrize(("method", "lock_free"), [("GET", True), ("POST", False)])
def test_get_reads_beside_a_writer_on_sqlite(app: Flask, method: str, lock_free: bool) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's locking")
    db.session.rollback()
    with app.test_request_context("/", method=method):
        db.session.execute(select(text("1")))
        assert _try_write_lock(app) is lock_free
        db.session.rollback()


def test_a_failed_request_runs_nothing_it_queued(app: Flask) -> None:
    with pytest.raises(RuntimeError), app.test_request_context("/", method="GET"):
        after_response(lambda: bump("failed"))
        raise RuntimeError("the page broke")
    assert _committed("failed") == 0
