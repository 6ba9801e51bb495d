"""What the monitoring tests of districts and scopes share: the people the administrator's pages and
endpoints refuse, the API error's shape, and a table's row count (to show nothing was written)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from app.cache_versions import bump
from app.extensions import db
from monitoring.compute_contests import refill_totals
from monitoring.recompute import MONITORING_VERSION
from tests.factories.accounts import (
    coordinator,
    district_methodist,
    juror,
    methodist,
    organiser,
    student,
    teacher,
)

# Everyone but the administrator: none of them manages districts or scopes.
NOT_ADMINS: dict[str, Callable[..., Any]] = {
    "organiser": organiser,
    "teacher": teacher,
    "student": student,
    "juror": juror,
    "methodist": methodist,
    "coordinator": coordinator,
    "district_methodist": district_methodist,
}


def api_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The error of an API answer, checked to have API.md's shape, the status and the code."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body["error"]) == {"code", "message", "fields"} and body["error"]["code"] == code
    error: dict[str, Any] = body["error"]
    return error


def row_count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def as_the_job_leaves_it() -> None:
    """After a test wrote summary rows itself: the job's totals of them and its version move, as a
    real run leaves them (the caller commits)."""
    db.session.flush()
    refill_totals()
    bump(MONITORING_VERSION)
