"""The interface a benchmark scenario implements (see bench/README.md).

A scenario is a module `bench/scenarios/<name>.py` with any of:

    def prepare(ctx: BenchContext) -> None          # generate data (inside an app context)
    def targets(ctx: BenchContext) -> list[HttpTarget]
    def pure(ctx: BenchContext) -> list[PureResult]  # timings of pure functions (inside an app context)

Scenarios run in name order; `foundation` runs first, so later ones may use the accounts it made.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask


@dataclass(frozen=True)
class HttpTarget:
    """One page or endpoint to load. `login_as` is an e-mail: the runner logs in through the real
    form once (CSRF token included) and sends that session cookie; None means anonymous."""

    name: str
    path: str
    login_as: str | None = None
    method: str = "GET"
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # The bar, printed beside the figure with pass/fail: the least share of the bare page's
    # requests/s (`ratio`) and, for heavy pages, the most p99 latency allowed.
    at_least: float | None = None
    p99_under_ms: float | None = None


@dataclass(frozen=True)
class PureResult:
    """A timing of plain Python: either `seconds` for one run or `per_second` for a rate."""

    name: str
    seconds: float | None = None
    per_second: float | None = None
    # The bar, if the issue sets one: at most this many seconds, or at least this rate.
    at_most_s: float | None = None
    at_least_per_s: float | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name}
        if self.seconds is not None:
            data["seconds"] = round(self.seconds, 6)
        if self.per_second is not None:
            data["per_second"] = round(self.per_second, 1)
        if self.at_most_s is not None:
            data["at_most_s"] = self.at_most_s
        if self.at_least_per_s is not None:
            data["at_least_per_s"] = self.at_least_per_s
        return data


@dataclass
class BenchContext:
    """What scenarios share: the app (for prepare and pure), the password every generated account
    has, and `data`, a dict where a scenario leaves what later ones may need (ids, e-mails)."""

    app: Flask
    password: str
    password_hash: str
    data: dict[str, Any] = field(default_factory=dict)


def rate(
    name: str, function: Callable[[], object], *, seconds: float = 1.0, at_least_per_s: float | None = None
) -> PureResult:
    """Call `function` repeatedly for about `seconds` and report calls per second."""
    calls = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        function()
        calls += 1
        now = time.perf_counter()
        if now >= deadline:
            return PureResult(name, per_second=calls / (now - start), at_least_per_s=at_least_per_s)


def timed(
    name: str, function: Callable[[], object], *, repeat: int = 3, at_most_s: float | None = None
) -> PureResult:
    """The best of `repeat` runs of `function`, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return PureResult(name, seconds=best, at_most_s=at_most_s)
