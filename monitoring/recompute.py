"""The summary job: refill monitoring's tables from the other rooms.

Each table is replaced in its own transaction (delete and insert, then its run's time), so a report
reads either the old rows or the new ones, never half. Two recomputations at once (the clock and an
administrator's button) queue on the run's row lock instead of interleaving their deletes and
inserts. The clock's job recomputes when the oldest run is older than the configured interval."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select, update

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.extensions import added, db
from monitoring.academic_year import academic_year
from monitoring.compute_activity import refill_activity
from monitoring.compute_contests import refill_contests
from monitoring.compute_qualification import refill_qualification
from monitoring.models import SummaryRun

RUNS = ("qualification", "contests", "activity")
# The version the reports' cached pages are kept under (app/cache_versions.py): each refill moves it.
MONITORING_VERSION = "monitoring"


def _refill(report: str, fill: Callable[[], int], now: datetime) -> int:
    started = time.perf_counter()
    added(SummaryRun(report=report, computed_at=now, seconds=0))
    # Takes the run's row lock first: a second recomputation waits here until this one commits.
    db.session.execute(
        update(SummaryRun).where(SummaryRun.report == report).values(seconds=SummaryRun.seconds)
    )
    rows = fill()
    seconds = Decimal(f"{time.perf_counter() - started:.3f}")
    db.session.execute(
        update(SummaryRun).where(SummaryRun.report == report).values(computed_at=now, seconds=seconds)
    )
    bump(MONITORING_VERSION)
    db.session.commit()
    return rows


def recompute_all(now: datetime) -> datetime:
    """Refill every summary table as of `now`; returns the time the reports will say."""
    current = academic_year(now)
    _refill("qualification", lambda: refill_qualification(current), now)
    _refill("contests", lambda: refill_contests(current), now)
    _refill("activity", lambda: refill_activity(current, now), now)
    return now


def is_due(now: datetime, every_minutes: int) -> bool:
    """True when a table was never computed or its run is older than the interval."""
    runs = db.session.execute(select(func.count(SummaryRun.report), func.min(SummaryRun.computed_at))).one()
    count, oldest = runs
    if count < len(RUNS) or oldest is None:
        return True
    return bool(now - oldest >= timedelta(minutes=every_minutes))


def recompute_if_due(now: datetime, every_minutes: int) -> list[str]:
    """The tick job's body: idempotent within the interval (a second tick finds nothing to do)."""
    if not is_due(now, every_minutes):
        return []
    started = time.perf_counter()
    recompute_all(now)
    return [f"summary tables recomputed in {time.perf_counter() - started:.1f} s"]


def recompute_now(actor: User, now: datetime) -> datetime:
    """An administrator's «recompute now»: the same refill, with an audit entry of who asked."""
    audit.record("monitoring.recomputed", actor=actor, scope_type="site", details={"at": now.isoformat()})
    db.session.commit()
    return recompute_all(now)
