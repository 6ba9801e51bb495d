"""API: POST /events/{id}/attendance (the host's user_ids or an attendee's code) and
GET /events/{id}/certificate, with the error shape for each refusal and a denial per role."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.certificates import Certificate
from app.extensions import db
from app.timeutil import utcnow
from community.events.models import EventRegistration
from tests.factories.accounts import methodist, student, teacher
from tests.factories.events import EventFactory, host, registration


def _now_event(**kw):  # type: ignore[no-untyped-def]
    start = (utcnow() - timedelta(minutes=5)).replace(microsecond=0)
    return EventFactory(starts_at=start, ends_at=start + timedelta(minutes=90), **kw)


def _attended() -> int:
    query = (
        select(func.count()).select_from(EventRegistration).where(EventRegistration.attended_at.is_not(None))
    )
    return db.session.scalar(query) or 0


def test_an_attendee_checks_in_with_the_code_and_gets_the_certificate(api) -> None:  # type: ignore[no-untyped-def]
    event = _now_event()
    person = teacher()
    registration(event, person)
    db.session.commit()
    client = api(person)
    wrong = client.post(f"/events/{event.id}/attendance", {"code": "123456"})
    assert wrong.status_code == 422 and "code" in wrong.get_json()["error"]["fields"]
    assert client.get(f"/events/{event.id}/certificate").status_code == 403
    done = client.post(f"/events/{event.id}/attendance", {"code": "482913"})
    assert done.status_code == 200 and done.get_json()["check_in"] == "code"
    answer = client.get(f"/events/{event.id}/certificate").get_json()
    assert answer["kind"] == "event_attendance" and answer["hours"] == 2
    assert answer["pdf_url"].endswith(f"/api/v1/events/{event.id}/certificate.pdf")
    pdf = client.get(f"/events/{event.id}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    check = api().get(f"/certificates/{answer['code']}").get_json()
    assert check["valid"] and check["kind"] == "event_attendance" and check["title"] == event.title


def test_the_host_marks_by_user_ids(api) -> None:  # type: ignore[no-untyped-def]
    event = _now_event()
    lead, first, stranger = teacher(), teacher(), teacher()
    host(event, lead)
    registration(event, first)
    db.session.commit()
    client = api(lead)
    refused = client.post(f"/events/{event.id}/attendance", {"user_ids": [first.id, stranger.id]})
    assert refused.status_code == 422 and "user_ids" in refused.get_json()["error"]["fields"]
    assert _attended() == 0
    done = client.post(f"/events/{event.id}/attendance", {"user_ids": [first.id]})
    assert done.status_code == 200 and done.get_json() == {"marked": [first.id], "attended": 1}
    conducting = client.get(f"/events/{event.id}/certificate").get_json()
    assert conducting["kind"] == "event_conducting"


def test_bad_bodies_are_refused_with_the_error_shape(api) -> None:  # type: ignore[no-untyped-def]
    event = _now_event()
    lead = methodist()
    db.session.commit()
    client = api(lead)
    for body in (
        {},
        {"user_ids": [1], "code": "1"},
        {"user_ids": []},
        {"user_ids": ["x"]},
        {"code": 5},
        {"extra": 1},
    ):
        response = client.post(f"/events/{event.id}/attendance", body)
        assert response.status_code == 422, body
        assert set(response.get_json()["error"]) >= {"code", "message", "fields"}
    assert (
        client.post(f"/events/{event.id}/attendance", data="[1]", content_type="application/json").status_code
        == 422
    )
    assert client.post("/events/999999/attendance", {"code": "482913"}).status_code == 404


def test_check_in_outside_the_window_is_409(api) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()  # in three days
    person = teacher()
    registration(event, person)
    db.session.commit()
    response = api(person).post(f"/events/{event.id}/attendance", {"code": "482913"})
    assert response.status_code == 409 and _attended() == 0


def test_denials_per_role(api) -> None:  # type: ignore[no-untyped-def]
    event = _now_event()
    attendee = teacher()
    registration(event, attendee)
    db.session.commit()
    anonymous = api()
    assert anonymous.post(f"/events/{event.id}/attendance", {"code": "482913"}).status_code == 401
    assert anonymous.get(f"/events/{event.id}/certificate").status_code == 401
    pupil = api(student())
    assert pupil.post(f"/events/{event.id}/attendance", {"code": "482913"}).status_code == 403
    assert pupil.get(f"/events/{event.id}/certificate").status_code == 403
    colleague = api(teacher())  # neither host nor registered
    assert colleague.post(f"/events/{event.id}/attendance", {"user_ids": [attendee.id]}).status_code == 403
    assert colleague.post(f"/events/{event.id}/attendance", {"code": "482913"}).status_code == 403
    assert colleague.get(f"/events/{event.id}/certificate").status_code == 403
    # A registered attendee may check in but not mark others.
    assert (
        api(attendee).post(f"/events/{event.id}/attendance", {"user_ids": [attendee.id]}).status_code == 403
    )
    assert _attended() == 0
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0
