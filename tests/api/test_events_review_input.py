"""Bad input to POST /api/v1/events, probed by the review: each is a 422 in the error shape with a
Russian message by the field, and nothing is written — malformed dates (pydantic's own wording used to
come through in English), NUL characters, huge numbers, far-future dates, a series over its limit,
links that are not http(s)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from community.events.models import Event, EventSeries
from tests.api.test_events_schedule_api import body
from tests.factories.accounts import methodist

CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"starts_at": "2026-13-45T10:00"}, "starts_at"),
        ({"registration_closes_at": "soon"}, "registration_closes_at"),
        ({"repeat": {"weekly_until": "next year"}}, "repeat.weekly_until"),
        ({"repeat": {"weekly_until": "2027-01-01T10:30:00"}}, "repeat.weekly_until"),
        ({"starts_at": "9999-12-31T10:00:00+00:00"}, "starts_at"),
        ({"repeat": {"weekly_until": "2099-01-01"}}, "repeat.weekly_until"),
        ({"title": "Вебинар\x00"}, "title"),
        ({"duration_minutes": 10**30}, "duration_minutes"),
        ({"capacity": 10**12}, "capacity"),
        ({"institution_id": 2**40}, "institution_id"),
        ({"link": "javascript:alert(1)"}, "link"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"questions": ["x" * 5000]}, "questions"),
    ],
)
def test_each_bad_value_is_a_russian_422_by_its_field_with_nothing_written(
    api: Any, change: dict[str, Any], field: str
) -> None:
    creator = methodist()
    db.session.commit()
    response = api(creator).post("/events", body(**change))
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "validation" and field in error["fields"]
    assert CYRILLIC & set(error["fields"][field].lower()), error["fields"][field]
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0
    assert db.session.scalar(select(func.count()).select_from(EventSeries)) == 0
