"""Event certificates read on GET (app/read_requests.py's guard set to "raise" here): the check-in
page, the host's page, the PDF download and the API's certificate endpoints only read. A certificate
earned but not issued yet (a host's before the clock's tick, attendance imported without one) says
it is being prepared — a note on the pages, the download back to the page with it, a 409 from the
API — and is there after the tick; nothing is written by any of these requests."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.certificates import Certificate
from app.extensions import db
from app.timeutil import utcnow
from community.events import attendance
from community.events.certificate_issuing import issue_earned_certificates
from community.events.models import CheckIn, HostRole
from tests.conftest import login
from tests.factories.accounts import methodist, teacher
from tests.factories.events import EventFactory, host, registration

PREPARING = "Сертификат оформляется"


def _certificates() -> int:
    return db.session.scalar(select(func.count()).select_from(Certificate)) or 0


def _begun(**kw):  # type: ignore[no-untyped-def]
    start = (utcnow() - timedelta(minutes=20)).replace(microsecond=0)
    return EventFactory(starts_at=start, ends_at=start + timedelta(minutes=90), **kw)


def test_a_hosts_certificate_is_read_on_every_get_until_and_after_the_clock(client, api, guarded) -> None:  # type: ignore[no-untyped-def]
    event = _begun(title="Вебинар «Читательская грамотность»")
    speaker = teacher(full_name="Ирина Соколова")
    host(event, methodist())
    host(event, speaker, role=HostRole.SPEAKER)
    db.session.commit()
    login(client, speaker)
    page = client.get(f"/events/{event.id}/check-in")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "data-certificate-pending" in text and PREPARING in text
    assert "/certificate.pdf" not in text
    download = client.get(f"/events/{event.id}/certificate.pdf", follow_redirects=True)
    assert download.status_code == 200 and PREPARING in download.get_data(as_text=True)
    answer = api(speaker).get(f"/events/{event.id}/certificate")
    assert answer.status_code == 409
    error = answer.get_json()["error"]
    assert error["code"] == "conflict" and PREPARING in error["message"]
    assert api(speaker).get(f"/events/{event.id}/certificate.pdf").status_code == 409
    assert _certificates() == 0

    issue_earned_certificates(utcnow())
    assert _certificates() == 2
    text = client.get(f"/events/{event.id}/check-in").get_data(as_text=True)
    assert "data-certificate-pending" not in text and f"/events/{event.id}/certificate.pdf" in text
    pdf = client.get(f"/events/{event.id}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    answer = api(speaker).get(f"/events/{event.id}/certificate")
    assert answer.status_code == 200 and answer.get_json()["kind"] == "event_conducting"
    assert api(speaker).get(f"/events/{event.id}/certificate.pdf").status_code == 200
    assert _certificates() == 2


def test_before_the_start_the_host_is_told_when_and_nothing_is_written(client, api, guarded) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()  # in three days
    lead = teacher()
    host(event, lead)
    db.session.commit()
    login(client, lead)
    text = client.get(f"/events/{event.id}/attendance").get_data(as_text=True)
    assert "начала мероприятия" in text and "data-own-certificate" not in text
    answer = api(lead).get(f"/events/{event.id}/certificate")
    assert answer.status_code == 409 and PREPARING not in answer.get_json()["error"]["message"]
    assert issue_earned_certificates(utcnow()) == [] and _certificates() == 0


def test_the_host_page_links_the_certificate_once_issued_and_a_manager_gets_none(client, guarded) -> None:  # type: ignore[no-untyped-def]
    event = _begun()
    lead, person = teacher(), teacher()
    host(event, lead)
    registration(event, person)
    db.session.commit()
    login(client, lead)
    text = client.get(f"/events/{event.id}/attendance").get_data(as_text=True)
    assert PREPARING in text and "data-own-certificate" not in text
    client.post(f"/events/{event.id}/attendance/mark", data={"user_id": [str(person.id)]})
    assert _certificates() == 2  # the attendee's and, the event having begun, the host's
    text = client.get(f"/events/{event.id}/attendance").get_data(as_text=True)
    assert "data-own-certificate" in text and PREPARING not in text
    client.post("/auth/logout")
    login(client, methodist())  # manages every event, conducts none
    page = client.get(f"/events/{event.id}/attendance")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "data-own-certificate" not in text and PREPARING not in text


def test_imported_attendance_is_read_until_the_clock_issues_its_certificate(client, api, guarded) -> None:  # type: ignore[no-untyped-def]
    event = _begun()
    person = teacher()
    row = registration(event, person)
    row.attended_at, row.check_in = event.starts_at, CheckIn.MARKED
    db.session.commit()
    login(client, person)
    text = client.get(f"/events/{event.id}/check-in").get_data(as_text=True)
    assert PREPARING in text
    assert api(person).get(f"/events/{event.id}/certificate").status_code == 409
    assert client.get(f"/events/{event.id}/certificate.pdf").status_code == 302
    assert _certificates() == 0
    issue_earned_certificates(utcnow())
    answer = api(person).get(f"/events/{event.id}/certificate")
    assert answer.status_code == 200 and answer.get_json()["kind"] == "event_attendance"
    assert client.get(f"/events/{event.id}/certificate.pdf").status_code == 200


def test_a_checked_in_attendee_downloads_at_once_without_a_write(client, api, guarded) -> None:  # type: ignore[no-untyped-def]
    event = _begun()
    person = teacher()
    registration(event, person)
    db.session.commit()
    attendance.check_in(event, person, "482913", now=utcnow())
    login(client, person)
    assert client.get(f"/events/{event.id}/check-in").status_code == 200
    assert client.get(f"/events/{event.id}/certificate.pdf").status_code == 200
    assert api(person).get(f"/events/{event.id}/certificate").status_code == 200
    assert _certificates() == 1
