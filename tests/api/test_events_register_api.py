"""Events API, registrations and calendars: POST /events/{id}/registrations (201 registered or
waiting, 401 without a token, 403 pupil or outside the audience, 404 unknown, 409 closed or twice,
422 answers and bad bodies), DELETE (200, 409), the caller's state, /events/{id}.ics with the link only
for the registered, and the secret feed address with its reset."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import func, select

from app.extensions import db
from app.timeutil import utcnow
from community.events.models import CalendarToken, EventAudience, EventRegistration
from tests.factories.accounts import student, teacher
from tests.factories.events import EventFactory


def registrations() -> int:
    return db.session.scalar(select(func.count(EventRegistration.id))) or 0


def test_register_then_wait_then_cancel_promotes(api, app) -> None:
    event = EventFactory(capacity=1)
    first, second = teacher(), teacher()
    db.session.commit()
    path = f"/events/{event.id}/registrations"
    response = api(first).post(path)
    assert response.status_code == 201 and response.get_json() == {"status": "registered", "position": 0}
    response = api(second).post(path, {"answers": {}})
    assert response.status_code == 201 and response.get_json() == {"status": "waiting", "position": 1}
    assert api(second).get(f"/events/{event.id}/registration").get_json() == {
        "status": "waiting",
        "position": 1,
    }
    assert api(first).delete(path).get_json() == {"status": "cancelled"}
    assert api(second).get(f"/events/{event.id}/registration").get_json() == {
        "status": "registered",
        "position": 0,
    }
    again = api(first).delete(path)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "conflict"


def test_denials_by_role_and_audience(api, app) -> None:
    event = EventFactory()
    invited_only = EventFactory(audience=EventAudience.INVITED)
    db.session.commit()
    assert api().post(f"/events/{event.id}/registrations").status_code == 401
    assert api(student()).post(f"/events/{event.id}/registrations").status_code == 403
    assert api(student()).get(f"/events/{event.id}.ics").status_code == 403
    # an invitation-only event is unknown to the uninvited, as in GET /events/{id} and the calendar
    assert api(teacher()).post(f"/events/{invited_only.id}/registrations").status_code == 404
    assert api(teacher()).post("/events/999999/registrations").status_code == 404
    assert api(teacher()).delete("/events/999999/registrations").status_code == 404
    assert registrations() == 0


def test_closed_and_twice_are_409(api, app) -> None:
    closed = EventFactory(registration_closes_at=utcnow() - timedelta(minutes=1))
    started = EventFactory(starts_at=utcnow() - timedelta(minutes=1))
    event = EventFactory()
    person = teacher()
    db.session.commit()
    for shut in (closed, started):
        response = api(person).post(f"/events/{shut.id}/registrations")
        assert response.status_code == 409 and response.get_json()["error"]["message"]
    client = api(person)
    assert client.post(f"/events/{event.id}/registrations").status_code == 201
    twice = client.post(f"/events/{event.id}/registrations")
    assert twice.status_code == 409
    assert (
        twice.get_json()["error"]["message"]
        == "Вы уже зарегистрированы на это событие или стоите в листе ожидания."
    )
    assert registrations() == 1


def test_answers_and_bodies_are_checked(api, app) -> None:
    event = EventFactory(questions=[{"id": "q1", "text": "Школа", "required": True}])
    person = teacher()
    db.session.commit()
    client, path = api(person), f"/events/{event.id}/registrations"
    missing = client.post(path, {"answers": {"q1": " "}})
    assert missing.status_code == 422 and "answer_q1" in missing.get_json()["error"]["fields"]
    long = client.post(path, {"answers": {"q1": "ш" * 1001}})
    assert long.status_code == 422 and "answer_q1" in long.get_json()["error"]["fields"]
    assert client.post(path, {"answers": {"q1": 5}}).status_code == 422
    assert client.post(path, {"answer": {}}).status_code == 422
    assert client.post(path, [1, 2]).status_code == 422
    assert client.post(path, data="{", content_type="application/json").status_code == 422
    assert registrations() == 0
    assert client.post(path, {"answers": {"q1": "Лицей № 2"}}).status_code == 201


def test_event_ics_has_the_link_only_for_the_registered(api, app) -> None:
    event = EventFactory(timezone="Europe/Samara")
    person, stranger = teacher(), teacher()
    db.session.commit()
    api(person).post(f"/events/{event.id}/registrations")
    for who, sees in ((person, True), (stranger, False)):
        response = api(who).get(f"/events/{event.id}.ics")
        assert response.status_code == 200 and response.content_type.startswith("text/calendar")
        (vevent,) = Calendar.from_ical(response.data).walk("VEVENT")
        assert ("meet.example.org" in response.get_data(as_text=True)) is sees
        assert vevent["DTSTART"].params["TZID"] == "Europe/Samara"


def test_feed_address_and_reset(api, app, client) -> None:
    person = teacher()
    db.session.commit()
    assert api().get("/calendar").status_code == 401
    assert api(student()).get("/calendar").status_code == 403
    assert api(student()).post("/calendar/reset").status_code == 403
    assert api(student()).post("/calendar").status_code == 403
    assert api(person).get("/calendar").get_json() == {"url": None}  # a GET makes nothing
    first = api(person).post("/calendar").get_json()["url"]
    assert api(person).post("/calendar").get_json()["url"] == first  # made once
    assert api(person).get("/calendar").get_json()["url"] == first
    assert client.get(first.replace("http://localhost", "")).status_code == 200
    second = api(person).post("/calendar/reset").get_json()["url"]
    assert second != first
    assert client.get(first.replace("http://localhost", "")).status_code == 404
    assert client.get(second.replace("http://localhost", "")).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(CalendarToken)) == 1
