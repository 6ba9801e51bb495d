"""The periodic clock: what must happen as time passes, registered by create_app (app/wiring.py).

`run_tick(now)` calls the jobs in order; each must be idempotent (running twice changes nothing)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

TickJob = Callable[[datetime], list[str]]
_jobs: dict[str, TickJob] = {}


def tick_job(name: str) -> Callable[[TickJob], TickJob]:
    """`tick_job(name)(job)`: run `job(now)` on every tick. Registering a name again replaces its job
    and moves it last, so the app's ordered list decides the order however often it is built."""

    def register(job: TickJob) -> TickJob:
        _jobs.pop(name, None)
        _jobs[name] = job
        return job

    return register


def run_tick(now: datetime) -> list[str]:
    lines: list[str] = []
    for name, job in list(_jobs.items()):
        for line in job(now):
            lines.append(f"{name}: {line}")
    if not lines:
        lines.append("nothing to do")
    return lines
