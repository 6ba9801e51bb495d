"""Attendance: check-in with the code (window, wrong code, twice, at once), the host's marks (only the
registered, nothing half written), a withdrawn mark, and the certificates they give."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import certificates
from app.certificates import Certificate, CertificateKind
from app.documents.layout import render_paper
from app.domain_errors import Conflict, Forbidden, Invalid
from app.extensions import db
from community.events import attendance
from community.events.certificate_issuing import issue_earned_certificates
from community.events.event_certificates import certificate_for, event_paper
from community.events.models import CheckIn, EventRegistration, EventStatus, HostRole, RegistrationStatus
from community.portfolio.portfolio import gather
from tests.concurrency import at_once_words, skip_memory_database
from tests.factories.accounts import methodist, teacher
from tests.factories.events import EventFactory, host, registration


def _certificates() -> int:
    return db.session.scalar(select(func.count()).select_from(Certificate)) or 0


def test_check_in_with_the_code_during_the_event_gives_a_certificate(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory(duration_minutes=90, hours=2)
    person = teacher(full_name="Анна Петрова")
    registration(event, person)
    db.session.commit()
    done = attendance.check_in(event, person, " 482 913", now=event.starts_at - timedelta(minutes=10))
    assert done.attended_at is not None and done.check_in == CheckIn.CODE
    certificate = db.session.scalar(select(Certificate))
    assert certificate is not None and certificate.kind == CertificateKind.EVENT_ATTENDANCE
    assert certificate.holder == "Анна Петрова" and certificate.title == event.title
    assert "2 ак. ч." in certificate.details
    assert certificates.find(certificate.code) is not None
    # A second check-in changes nothing.
    attendance.check_in(event, person, "482913", now=event.starts_at + timedelta(minutes=5))
    assert _certificates() == 1


def test_a_wrong_code_is_refused_and_nothing_is_recorded(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()
    person = teacher()
    registration(event, person)
    db.session.commit()
    with pytest.raises(Invalid) as caught:
        attendance.check_in(event, person, "111111", now=event.starts_at)
    assert caught.value.status == 422 and "code" in caught.value.fields
    with pytest.raises(Invalid):
        attendance.check_in(event, person, "", now=event.starts_at)
    assert db.session.scalar(select(EventRegistration.attended_at)) is None
    assert _certificates() == 0


def test_check_in_outside_the_window_is_a_conflict(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()
    person = teacher()
    registration(event, person)
    db.session.commit()
    for moment in (event.starts_at - timedelta(minutes=16), event.ends_at + timedelta(minutes=1)):
        with pytest.raises(Conflict):
            attendance.check_in(event, person, "482913", now=moment)
    assert _certificates() == 0


def test_only_the_registered_check_in(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()
    waiting, stranger = teacher(), teacher()
    registration(event, waiting, status=RegistrationStatus.WAITING)
    db.session.commit()
    for person in (waiting, stranger):
        with pytest.raises(Forbidden):
            attendance.check_in(event, person, "482913", now=event.starts_at)


def test_a_cancelled_event_takes_no_check_in(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory(status=EventStatus.CANCELLED)
    person = teacher()
    registration(event, person)
    db.session.commit()
    with pytest.raises(Conflict):
        attendance.check_in(event, person, "482913", now=event.starts_at)


def test_two_check_ins_at_once_record_one_attendance(app) -> None:  # type: ignore[no-untyped-def]
    skip_memory_database()
    event = EventFactory()
    person = teacher()
    registration(event, person)
    db.session.commit()
    event_id, person_id, now = event.id, person.id, event.starts_at
    db.session.close()

    def check() -> object:
        from_db = db.session.get_one(type(event), event_id)
        who = db.session.get_one(type(person), person_id)
        return attendance.check_in(from_db, who, "482913", now=now)

    outcomes = at_once_words(app, [check, check])
    assert outcomes == ["ok", "ok"]
    assert _certificates() == 1


def test_the_host_marks_registered_people_present(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()
    lead, first, second = methodist(), teacher(), teacher()
    host(event, lead)
    registration(event, first)
    registration(event, second)
    db.session.commit()
    newly = attendance.mark(
        event, [first.id, second.id, first.id], actor=lead, now=event.ends_at + timedelta(days=1)
    )
    assert sorted(newly) == sorted([first.id, second.id])
    assert attendance.attended_count(event) == 2 and _certificates() == 3  # and the host's of conducting
    kinds = db.session.scalars(select(Certificate.kind).order_by(Certificate.id)).all()
    assert kinds == [CertificateKind.EVENT_ATTENDANCE] * 2 + [CertificateKind.EVENT_CONDUCTING]
    marks = db.session.scalars(select(EventRegistration.check_in)).all()
    assert set(marks) == {CheckIn.MARKED}
    assert attendance.mark(event, [first.id], actor=lead, now=event.ends_at) == []


def test_a_list_with_someone_unregistered_marks_nobody(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()
    lead, came, stranger = methodist(), teacher(), teacher()
    registration(event, came)
    db.session.commit()
    with pytest.raises(Invalid) as caught:
        attendance.mark(event, [came.id, stranger.id], actor=lead, now=event.starts_at)
    assert str(stranger.id) in caught.value.fields["user_ids"]
    assert attendance.attended_count(event) == 0 and _certificates() == 0
    with pytest.raises(Invalid):
        attendance.mark(event, [], actor=lead, now=event.starts_at)


def test_marking_before_the_window_is_a_conflict(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()
    person = teacher()
    registration(event, person)
    db.session.commit()
    with pytest.raises(Conflict):
        attendance.mark(event, [person.id], actor=methodist(), now=event.starts_at - timedelta(hours=1))


def test_a_withdrawn_mark_revokes_the_certificate_and_a_new_mark_restores_it(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()
    lead, person = methodist(), teacher()
    registration(event, person)
    db.session.commit()
    attendance.mark(event, [person.id], actor=lead, now=event.starts_at)
    code = db.session.scalar(select(Certificate.code))
    assert attendance.unmark(event, person.id, actor=lead, now=event.ends_at)
    assert certificates.find(code or "") is None and certificates.lookup(code or "") is not None
    assert not attendance.unmark(event, person.id, actor=lead, now=event.ends_at)
    attendance.mark(event, [person.id], actor=lead, now=event.ends_at)
    assert certificates.find(code or "") is not None and _certificates() == 1


def test_hosts_and_speakers_get_a_certificate_of_conducting_from_the_clock_once_it_began(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory(title="Семинар «Смысловое чтение»")
    lead, speaker, stranger = methodist(), teacher(full_name="Ирина Соколова"), teacher()
    host(event, lead)
    host(event, speaker, role=HostRole.SPEAKER)
    db.session.commit()
    assert issue_earned_certificates(event.starts_at - timedelta(minutes=1)) == []
    with pytest.raises(Conflict):
        certificate_for(event, speaker, now=event.starts_at - timedelta(minutes=1))
    with pytest.raises(Conflict):  # earned, not issued yet: the clock's next tick issues it
        certificate_for(event, speaker, now=event.starts_at)
    assert issue_earned_certificates(event.starts_at) == [
        "issued 2 certificate(s) of conducting, 0 of participation"
    ]
    issued = certificate_for(event, speaker, now=event.starts_at)
    assert issued.kind == CertificateKind.EVENT_CONDUCTING and issued.holder == "Ирина Соколова"
    assert certificate_for(event, speaker, now=event.ends_at).id == issued.id
    assert certificate_for(event, lead, now=event.ends_at).kind == CertificateKind.EVENT_CONDUCTING
    with pytest.raises(Forbidden):
        certificate_for(event, stranger, now=event.ends_at)
    pdf = render_paper(event_paper(event, issued), "http://localhost/verify/" + issued.code)
    assert pdf.startswith(b"%PDF")


def test_both_kinds_show_in_the_portfolio(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()
    person = teacher()
    registration(event, person)
    other = EventFactory(title="Мастер-класс «Кейс-метод»")
    host(other, person, role=HostRole.SPEAKER)
    db.session.commit()
    attendance.check_in(event, person, "482913", now=event.starts_at)
    issue_earned_certificates(other.starts_at)
    portfolio = gather(person)
    sections = dict(portfolio.sections)
    kinds = sorted(document.kind for document in sections["events"])
    assert kinds == ["event_attendance", "event_conducting"]
