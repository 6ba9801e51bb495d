"""A denial per role for every page and endpoint of the calendar: the anonymous are sent to log in
(the API answers 401), a pupil is refused everything (403), and a colleague who neither hosts nor
runs the calendar is refused the host's pages and actions (403) — with nothing written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.timeutil import utcnow
from community.events.models import Event, EventRegistration
from tests.conftest import login
from tests.factories.accounts import student, teacher
from tests.factories.events import EventFactory, host, registration

EVERYONE = [
    ("GET", "/events"),
    ("GET", "/events/month"),
    ("GET", "/events/week"),
    ("GET", "/events/new"),
    ("POST", "/events/new"),
    ("GET", "/events/term-plan"),
    ("GET", "/events/term-plan.xlsx"),
    ("GET", "/events/term-plan.pdf"),
    ("GET", "/calendar"),
    ("POST", "/calendar/address"),
    ("POST", "/calendar/reset"),
    ("GET", "/events/{id}"),
    ("GET", "/events/{id}.ics"),
    ("POST", "/events/{id}/register"),
    ("POST", "/events/{id}/cancel"),
    ("GET", "/events/{id}/check-in"),
    ("POST", "/events/{id}/check-in"),
    ("POST", "/events/{id}/feedback"),
    ("GET", "/events/{id}/certificate.pdf"),
]
HOSTS_ONLY = [
    ("GET", "/events/{id}/edit"),
    ("POST", "/events/{id}/edit"),
    ("POST", "/events/{id}/cancel-event"),
    ("GET", "/events/{id}/attendance"),
    ("POST", "/events/{id}/attendance/mark"),
    ("POST", "/events/{id}/attendance/{user}/unmark"),
    ("POST", "/events/{id}/recording"),
    ("POST", "/events/{id}/materials"),
    ("POST", "/events/{id}/materials/1/remove"),
]
API = [
    ("POST", "/events"),
    ("GET", "/events"),
    ("GET", "/events/{id}"),
    ("GET", "/events/{id}.ics"),
    ("POST", "/events/{id}/cancel"),
    ("POST", "/events/{id}/registrations"),
    ("DELETE", "/events/{id}/registrations"),
    ("GET", "/events/{id}/registration"),
    ("POST", "/events/{id}/attendance"),
    ("GET", "/events/{id}/certificate"),
    ("GET", "/events/{id}/certificate.pdf"),
    ("GET", "/calendar"),
    ("POST", "/calendar"),
    ("POST", "/calendar/reset"),
]
API_HOSTS_ONLY = [("POST", "/events/{id}/cancel")]


def _body(method: str, template: str) -> dict[str, Any]:
    """A valid body where the body is checked before the caller (a new event, a check-in)."""
    if template == "/events/{id}/attendance":
        return {"code": "482913"}
    if (method, template) != ("POST", "/events"):
        return {}
    starts = (utcnow() + timedelta(days=5)).replace(microsecond=0).isoformat()
    return {
        "kind": "webinar",
        "title": "Вебинар",
        "starts_at": starts,
        "duration_minutes": 60,
        "format": "online",
    }


def _written() -> tuple[int, int]:
    events = db.session.scalar(select(func.count()).select_from(Event)) or 0
    rows = db.session.scalar(select(func.count()).select_from(EventRegistration)) or 0
    return events, rows


@pytest.fixture()
def scene(app: Any) -> dict[str, Any]:
    event = EventFactory()
    the_host, attendee = teacher(), teacher()
    host(event, the_host)
    registration(event, attendee)
    db.session.commit()
    return {"event": event, "attendee": attendee}


def _path(template: str, scene: dict[str, Any]) -> str:
    return template.format(id=scene["event"].id, user=scene["attendee"].id)


def test_the_anonymous_are_sent_to_log_in(client: Any, scene: dict[str, Any]) -> None:
    before = _written()
    for method, template in EVERYONE + HOSTS_ONLY:
        response = client.open(_path(template, scene), method=method, data={})
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], template
    assert _written() == before


def test_the_api_answers_401_without_a_token(api: Any, scene: dict[str, Any]) -> None:
    for method, template in API:
        response = api().request(method, _path(template, scene), {})
        assert response.status_code == 401 and response.get_json()["error"]["code"], template


def test_a_pupil_is_refused_every_page_and_endpoint(client: Any, api: Any, scene: dict[str, Any]) -> None:
    pupil = student()
    db.session.commit()
    before = _written()
    login(client, pupil)
    for method, template in EVERYONE + HOSTS_ONLY:
        response = client.open(_path(template, scene), method=method, data={})
        assert response.status_code == 403, (method, template, response.status_code)
    for method, template in API:
        response = api(pupil).request(method, _path(template, scene), _body(method, template))
        assert response.status_code == 403, (method, template, response.status_code)
        assert set(response.get_json()["error"]) == {"code", "message", "fields"}
    assert _written() == before


def test_a_colleague_who_does_not_host_is_refused_the_hosts_work(
    client: Any, api: Any, scene: dict[str, Any]
) -> None:
    colleague = teacher()
    db.session.commit()
    before = _written()
    login(client, colleague)
    for method, template in HOSTS_ONLY + [("GET", "/events/new"), ("POST", "/events/new")]:
        response = client.open(_path(template, scene), method=method, data={})
        assert response.status_code == 403, (method, template, response.status_code)
    for method, template in API_HOSTS_ONLY + [("POST", "/events")]:
        response = api(colleague).request(method, _path(template, scene), _body(method, template))
        assert response.status_code == 403, (method, template, response.status_code)
    assert (
        api(scene["attendee"]).post(_path("/events/{id}/attendance", scene), {"user_ids": [1]}).status_code
        == 403
    )
    assert _written() == before
