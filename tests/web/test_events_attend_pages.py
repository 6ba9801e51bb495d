"""Attendance on the web: the host's page (code on screen, marks, feedback summary, recording and
materials) and the attendee's (check in, certificate, feedback), with a denial per role, each
rejection shown by its field, and a bounded number of queries."""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import select

from app.certificates import Certificate
from app.extensions import db
from app.timeutil import utcnow
from community.events import attendance, feedback
from community.events.models import EventRegistration
from tests.conftest import login
from tests.factories.accounts import methodist, student, teacher
from tests.factories.events import EventFactory, host, registration


def _now_event(**kw):  # type: ignore[no-untyped-def]
    """An event under way: started 10 minutes ago."""
    start = (utcnow() - timedelta(minutes=10)).replace(microsecond=0)
    return EventFactory(starts_at=start, ends_at=start + timedelta(minutes=90), **kw)


def test_an_attendee_checks_in_downloads_the_certificate_and_it_verifies(client) -> None:  # type: ignore[no-untyped-def]
    event = _now_event(title="Вебинар «Функциональная грамотность»", hours=2)
    person = teacher(full_name="Мария Орлова")
    registration(event, person)
    db.session.commit()
    login(client, person)
    page = client.get(f"/events/{event.id}/check-in")
    assert page.status_code == 200 and 'name="code"' in page.get_data(as_text=True)
    wrong = client.post(f"/events/{event.id}/check-in", data={"code": "000000"})
    assert wrong.status_code == 422 and "Это не код мероприятия" in wrong.get_data(as_text=True)
    assert db.session.scalar(select(EventRegistration.attended_at)) is None
    done = client.post(f"/events/{event.id}/check-in", data={"code": "482 913"})
    assert done.status_code == 302
    pdf = client.get(f"/events/{event.id}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    code = db.session.scalar(select(Certificate.code))
    for expected in ("Мария Орлова", "Функциональная грамотность", "СЕРТИФИКАТ", "участника", code or "?"):
        assert expected in text
    check = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "data-valid" in check and "Сертификат участника мероприятия" in check
    portfolio = client.get("/portfolio/", follow_redirects=True)
    assert portfolio.status_code == 200 and code in portfolio.get_data(as_text=True)
    assert 'data-section="events"' in portfolio.get_data(as_text=True)


def test_feedback_form_refuses_a_missing_score_and_takes_a_good_one(client) -> None:  # type: ignore[no-untyped-def]
    event = _now_event()
    person = teacher()
    registration(event, person)
    db.session.commit()
    attendance.check_in(event, person, "482913", now=utcnow())
    login(client, person)
    bad = client.post(f"/events/{event.id}/feedback", data={"comment": "Без оценки"})
    assert bad.status_code == 422
    good = client.post(f"/events/{event.id}/feedback", data={"score": "4", "comment": "Спасибо"})
    assert good.status_code == 302
    assert "Ваша оценка: 4 из 5" in client.get(f"/events/{event.id}/check-in").get_data(as_text=True)
    twice = client.post(f"/events/{event.id}/feedback", data={"score": "5"})
    assert twice.status_code == 422 and "уже оставили отзыв" in twice.get_data(as_text=True)


def test_attendee_page_denials(client) -> None:  # type: ignore[no-untyped-def]
    event = _now_event()
    db.session.commit()
    assert client.get(f"/events/{event.id}/check-in").status_code == 302  # anonymous: to the login
    for who in (student(), teacher()):  # a pupil; a teacher not registered
        login(client, who)
        assert client.get(f"/events/{event.id}/check-in").status_code == 403
        assert client.post(f"/events/{event.id}/check-in", data={"code": "482913"}).status_code == 403
        assert client.get(f"/events/{event.id}/certificate.pdf").status_code == 403
        client.post("/auth/logout")
    login(client, methodist())
    assert client.get("/events/999999/check-in").status_code == 404


def test_the_host_page_shows_the_code_marks_and_summary(client) -> None:  # type: ignore[no-untyped-def]
    event = _now_event()
    lead = teacher()
    host(event, lead)
    people = [teacher(full_name=f"Учитель {n}") for n in range(3)]
    for person in people:
        registration(event, person)
    db.session.commit()
    login(client, lead)
    page = client.get(f"/events/{event.id}/attendance").get_data(as_text=True)
    assert "482913" in page and "Учитель 2" in page
    marked = client.post(
        f"/events/{event.id}/attendance/mark", data={"user_id": [str(people[0].id), str(people[1].id)]}
    )
    assert marked.status_code == 302 and attendance.attended_count(event) == 2
    for score in (5, 4):
        who = people[0] if score == 5 else people[1]
        feedback.leave_feedback(event, who, score=score, comment="", now=utcnow())
    page = client.get(f"/events/{event.id}/attendance").get_data(as_text=True)
    assert "4,5 из 5" in page
    bad = client.post(f"/events/{event.id}/attendance/mark", data={"user_id": "x"})
    assert bad.status_code == 302 and attendance.attended_count(event) == 2
    unmark = client.post(f"/events/{event.id}/attendance/{people[0].id}/unmark")
    assert unmark.status_code == 302 and attendance.attended_count(event) == 1


def test_the_host_page_rejections_by_the_field(client) -> None:  # type: ignore[no-untyped-def]
    event = _now_event()
    lead = methodist()
    db.session.commit()
    login(client, lead)
    bad = client.post(f"/events/{event.id}/recording", data={"recording_url": "javascript:alert(1)"})
    assert bad.status_code == 422 and "http://" in bad.get_data(as_text=True)
    assert client.post(f"/events/{event.id}/materials", data={"material": "/forums/1"}).status_code == 422
    assert client.post(f"/events/{event.id}/materials", data={"material": ""}).status_code == 422
    good = client.post(f"/events/{event.id}/recording", data={"recording_url": "https://rutube.ru/video/1"})
    assert good.status_code == 302


def test_host_page_denials(client) -> None:  # type: ignore[no-untyped-def]
    event = _now_event()
    attendee = teacher()
    registration(event, attendee)
    db.session.commit()
    paths = [
        ("GET", f"/events/{event.id}/attendance"),
        ("POST", f"/events/{event.id}/attendance/mark"),
        ("POST", f"/events/{event.id}/attendance/{attendee.id}/unmark"),
        ("POST", f"/events/{event.id}/recording"),
        ("POST", f"/events/{event.id}/materials"),
        ("POST", f"/events/{event.id}/materials/1/remove"),
    ]
    for method, path in paths:
        assert client.open(path, method=method).status_code == 302  # anonymous
    for who in (student(), teacher(), attendee):  # pupil, a colleague, a registered attendee
        login(client, who)
        for method, path in paths:
            assert client.open(path, method=method, data={"user_id": str(attendee.id)}).status_code == 403, (
                path
            )
        client.post("/auth/logout")


def test_the_host_page_costs_the_same_queries_for_many_attendees(client, count_queries) -> None:  # type: ignore[no-untyped-def]
    event = _now_event()
    lead = methodist()
    for n in range(3):
        registration(event, teacher(full_name=f"Коллега {n}"))
    db.session.commit()
    event_id = event.id
    login(client, lead)
    client.get(f"/events/{event_id}/attendance")
    with count_queries(cold=True) as few:
        assert client.get(f"/events/{event_id}/attendance").status_code == 200
    event = db.session.get_one(type(event), event_id)
    for n in range(40):
        person = teacher(full_name=f"Ещё коллега {n}")
        registration(event, person)
    db.session.commit()
    people = db.session.scalars(select(EventRegistration.user_id)).all()
    attendance.mark(event, list(people)[:30], actor=lead, now=utcnow())
    with count_queries(cold=True) as many:
        assert client.get(f"/events/{event_id}/attendance").status_code == 200
    assert many.count == few.count and many.count <= 20
