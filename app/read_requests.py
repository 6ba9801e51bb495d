"""Read-only requests: which transactions may begin deferred, and the guard that keeps GETs readers.

On SQLite every transaction used to begin with `BEGIN IMMEDIATE`, taking the one write lock, so two
workers serving two pages took turns even when both only read. A GET or HEAD now begins a deferred
transaction (WAL lets readers run beside a writer); everything else — POST and friends, the CLI,
tick jobs, the functions queued by app/after_response.py — keeps `BEGIN IMMEDIATE`, so writers
still queue instead of failing.

A GET that writes anyway would upgrade its read lock mid-transaction, and SQLite refuses that with
«database is locked» once another worker has committed since the read began. The guard
(GET_WRITE_GUARD) watches every statement: "raise" fails the request (the test suite's setting),
"log" logs it and, when VMESTE_GET_WRITES_LOG names a file, appends a line saying where it came
from (used to list the remaining GET writers), "" (production) does nothing.
"""

from __future__ import annotations

import logging
import os
import traceback
from pathlib import Path
from typing import Any

from flask import current_app, has_request_context, request

from app.after_response import writing_now

log = logging.getLogger(__name__)

READ_METHODS = frozenset({"GET", "HEAD"})
WRITE_WORDS = ("INSERT", "UPDATE", "DELETE", "REPLACE")
ROOT = Path(__file__).resolve().parent.parent


class GetWroteError(RuntimeError):
    """A GET or HEAD request's own transaction tried to write."""


def reads_only() -> bool:
    """True when the current transaction belongs to a GET/HEAD request (not to its queued writes)."""
    return has_request_context() and request.method in READ_METHODS and not writing_now()


def is_write(statement: str) -> bool:
    return statement.lstrip().upper().startswith(WRITE_WORDS)


def check_statement(
    _connection: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any, _many: bool
) -> None:
    """`before_cursor_execute` hook: apply GET_WRITE_GUARD to a write inside a read-only request."""
    if not is_write(statement) or not reads_only():
        return
    mode = current_app.config.get("GET_WRITE_GUARD", "")
    if not mode:
        return
    where = _origin()
    message = (
        f"{request.method} {request.path} ({request.endpoint}) writes: {statement.split()[0]} at {where}"
    )
    if mode == "raise":
        raise GetWroteError(message)
    log.warning(message)
    target = os.environ.get("VMESTE_GET_WRITES_LOG")
    if target:
        test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0]
        first_words = " ".join(statement.split()[:3])
        line = f"{where}\t{request.endpoint}\t{first_words}\t{test}\n"
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(line)


def _origin() -> str:
    """The innermost frame of the project's own code (not a library's, not this module's, not the
    shared write helpers of app/extensions.py: their caller is the one to move)."""
    for frame in reversed(traceback.extract_stack()):
        path = Path(frame.filename)
        if not path.is_relative_to(ROOT) or ".venv" in path.parts or path.name == "read_requests.py":
            continue
        if path.parts[-2:] == ("app", "extensions.py"):
            continue
        return f"{path.relative_to(ROOT)}:{frame.lineno} {frame.name}"
    return "?"
