"""A small in-process cache for values built from versioned data (see app/cache_versions.py).

Each worker keeps its own bounded map; entries are keyed by what they were built from, versions
included, so a worker never needs telling that something changed — it asks the database for the
current versions (one cheap statement) and misses the old entry. Least recently used entries go
first once the map is full. Values must be immutable (tuples, frozen dataclasses, Markup strings):
the same object is handed to every request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app

from app.cache_versions import current

T = TypeVar("T")

DEFAULT_SIZE = 2048


class Memo:
    """A bounded least-recently-used map, safe under threads."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = build()  # built outside the lock: two threads may both build, both are right
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def _memo() -> Memo:
    """The app's own map: each app (each test's, each worker's) starts empty, so two databases never
    share entries whose versions happen to match."""
    memo = current_app.extensions.get("memo")
    if memo is None:
        size = current_app.config.get("MEMO_SIZE", DEFAULT_SIZE)
        memo = current_app.extensions.setdefault("memo", Memo(size))
    return memo


def remember(name: str, parts: tuple[Hashable, ...], versions: tuple[str, ...], build: Callable[[], T]) -> T:
    """The value `build()` returns for `name` and `parts`, reused while the data versions `versions`
    stay the same. Costs one SELECT of the versions; `build` runs only on a miss.

    Call it before the request writes anything: a value built from uncommitted rows must not be
    kept under a version that a rollback would hand to someone else."""
    key = (name, parts, versions, current(versions))
    return _memo().get_or_build(key, build)


def forget_everything() -> None:
    """Empty the app's cache: the test suite empties its database between tests, which restarts
    every version at 0."""
    current_app.extensions.pop("memo", None)
