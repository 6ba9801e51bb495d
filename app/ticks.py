"""The periodic clock: each room registers what must happen as time passes.

`run_tick(now)` calls them in order; each must be idempotent (running twice changes nothing)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

TickJob = Callable[[datetime], list[str]]
_jobs: list[tuple[str, TickJob]] = []


def tick_job(name: str) -> Callable[[TickJob], TickJob]:
    def register(job: TickJob) -> TickJob:
        if all(existing != name for existing, _ in _jobs):
            _jobs.append((name, job))
        return job

    return register


def run_tick(now: datetime) -> list[str]:
    lines: list[str] = []
    for name, job in _jobs:
        for line in job(now):
            lines.append(f"{name}: {line}")
    if not lines:
        lines.append("nothing to do")
    return lines
