"""Small writes a page wants to make without making its own request a writer.

A GET must not write: on SQLite it reads in a deferred transaction, side by side with the other
worker, and a write there could fail with «database is locked» once someone else has written. A
page that still needs to note something — an item "viewed", a last-seen time, an overdue attempt
closed — calls `after_response(fn)`: `fn()` runs once the response is built, in a short write
transaction of its own (its own session and connection, `BEGIN IMMEDIATE` on SQLite), and is
committed on its own. An error there is logged, never shown: the page is already made. A request
that failed with an unhandled error runs none of its queued writes.

`fn` writes through `db.session` (a fresh one, in a fresh app context) and does not commit; it
should not rely on ORM objects loaded by the page (they belong to the page's session), only on
plain values captured when it was registered (ids, times).

Outside a request (CLI, tick jobs, tests calling a service) there is no response to wait for:
`fn()` runs at once inside the caller's transaction, in a savepoint, and the caller commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, current_app, g, has_request_context

from app.extensions import db

log = logging.getLogger(__name__)

_QUEUE = "_after_response"
_writing: ContextVar[bool] = ContextVar("after_response_writing", default=False)


def after_response(fn: Callable[[], object]) -> None:
    """Run `fn()` once this request's response is built, in its own write transaction."""
    if not has_request_context():
        _run_in_savepoint(fn)
        return
    queue: list[Callable[[], object]] = g.setdefault(_QUEUE, [])
    queue.append(fn)


def writing_now() -> bool:
    """True while queued functions run: their transaction is a writer even inside a GET."""
    return _writing.get()


@contextmanager
def _as_writer() -> Iterator[None]:
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


def _run_in_savepoint(fn: Callable[[], object]) -> None:
    try:
        with db.session.begin_nested():
            fn()
    except Exception:
        log.exception("after_response: %s failed", getattr(fn, "__qualname__", fn))


def run_queued(_error: BaseException | None = None) -> None:
    """Teardown hook: end the page's transaction, then run each queued function in its own.

    The page's session is rolled back first (views commit their own writes), so that on SQLite it
    holds no lock and no old snapshot while the writes run. Each function gets a fresh app context,
    hence a fresh `db.session`, and commits alone: one failing leaves the others' writes."""
    queue: list[Callable[[], object]] = g.pop(_QUEUE, [])
    if not queue:
        return
    if _error is not None:  # the page failed: what it meant to note did not happen
        log.info("after_response: %d queued writes dropped after an error", len(queue))
        return
    db.session.rollback()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    for fn in queue:
        _run_alone(app, fn)


def _run_alone(app: Flask, fn: Callable[[], object]) -> None:
    with app.app_context(), _as_writer():
        try:
            fn()
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("after_response: %s failed", getattr(fn, "__qualname__", fn))


def init_app(app: Flask) -> None:
    app.teardown_request(run_queued)
