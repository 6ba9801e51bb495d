"""Event certificates issued when earned (community/events/certificate_issuing.py): the clock's job
for conducting certificates once an event has begun and for attendance recorded without a valid
certificate, once per person however often it runs (two clocks at once: one row), a bounded batch,
and two statements when there is nothing to do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.certificates import Certificate, CertificateKind
from app.extensions import db
from community.events import attendance, certificate_issuing
from community.events.certificate_issuing import issue_earned_certificates
from community.events.event_certificates import certificate_for
from community.events.models import CheckIn, EventStatus, HostRole
from tests.concurrency import at_once_words, skip_memory_database
from tests.factories.accounts import methodist, teacher
from tests.factories.events import EventFactory, host, registration


def _rows(kind: CertificateKind | None = None) -> int:
    query = select(func.count()).select_from(Certificate)
    if kind is not None:
        query = query.where(Certificate.kind == kind)
    return db.session.scalar(query) or 0


def _audited(action: str) -> int:
    return db.session.scalar(select(func.count()).where(AuditEntry.action == action)) or 0


def test_the_clock_issues_conducting_once_the_event_has_begun_and_only_once(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory(title="Семинар «Проектная задача»")
    cancelled = EventFactory(status=EventStatus.CANCELLED)
    lead, speaker = methodist(full_name="Вера Ильина"), teacher()
    host(event, lead)
    host(event, speaker, role=HostRole.SPEAKER)
    host(cancelled, lead)
    db.session.commit()
    assert issue_earned_certificates(event.starts_at - timedelta(seconds=1)) == []
    assert _rows() == 0
    lines = issue_earned_certificates(event.starts_at)
    assert lines == ["issued 2 certificate(s) of conducting, 0 of participation"]
    assert _rows(CertificateKind.EVENT_CONDUCTING) == 2
    assert _audited("events.conducting_certificate_issued") == 2
    held = certificate_for(event, lead, now=event.ends_at)
    assert held.holder == "Вера Ильина" and held.title == event.title and "2 ак. ч." in held.details
    assert issue_earned_certificates(event.ends_at) == []  # the next ticks find nothing to do
    assert _rows() == 2 and _audited("events.conducting_certificate_issued") == 2
    # A speaker added afterwards gets theirs at the next tick.
    late = teacher()
    host(event, late, role=HostRole.SPEAKER)
    db.session.commit()
    assert issue_earned_certificates(event.ends_at) == [
        "issued 1 certificate(s) of conducting, 0 of participation"
    ]
    assert certificate_for(event, late, now=event.ends_at).kind == CertificateKind.EVENT_CONDUCTING


def test_the_hosts_marking_after_the_start_issues_conducting_at_once(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()
    lead, speaker, person = methodist(), teacher(), teacher()
    host(event, lead)
    host(event, speaker, role=HostRole.SPEAKER)
    registration(event, person)
    db.session.commit()
    early = event.starts_at - timedelta(minutes=10)  # marking opens 15 minutes before the start
    attendance.mark(event, [person.id], actor=lead, now=early)
    assert _rows(CertificateKind.EVENT_CONDUCTING) == 0  # not earned before the start
    attendance.unmark(event, person.id, actor=lead, now=early)
    attendance.mark(event, [person.id], actor=lead, now=event.starts_at + timedelta(minutes=30))
    assert _rows(CertificateKind.EVENT_CONDUCTING) == 2
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "events.conducting_certificate_issued").limit(1)
    )
    assert entry is not None and entry.actor_id == lead.id
    assert issue_earned_certificates(event.ends_at) == []


def test_the_clock_backfills_attendance_recorded_without_a_valid_certificate(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory(hours=4)
    imported, restored = teacher(full_name="Пётр Зуев"), teacher()
    row = registration(event, imported)
    row.attended_at, row.check_in = event.starts_at, CheckIn.MARKED  # as an import writes it
    registration(event, restored)
    db.session.commit()
    attendance.mark(event, [restored.id], actor=methodist(), now=event.ends_at)
    code = db.session.scalar(select(Certificate.code).where(Certificate.user_id == restored.id))
    db.session.execute(
        Certificate.__table__.update()
        .where(Certificate.user_id == restored.id)
        .values(revoked_at=event.ends_at, revoked_reason="по ошибке")
    )
    db.session.commit()
    assert issue_earned_certificates(event.ends_at) == [
        "issued 0 certificate(s) of conducting, 2 of participation"
    ]
    mine = certificate_for(event, imported, now=event.ends_at)
    assert mine.kind == CertificateKind.EVENT_ATTENDANCE and mine.holder == "Пётр Зуев"
    again = certificate_for(event, restored, now=event.ends_at)
    assert again.code == code and again.revoked_at is None and again.revoked_reason == ""
    assert _rows() == 2 and _audited("events.attendance_certificate_issued") == 2
    assert issue_earned_certificates(event.ends_at) == []


def test_a_tick_issues_a_bounded_batch_and_the_next_one_the_rest(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(certificate_issuing, "BATCH", 2)
    events = [EventFactory() for _ in range(3)]
    lead = methodist()
    for event in events:
        host(event, lead)
    db.session.commit()
    now = events[0].ends_at
    assert issue_earned_certificates(now) == ["issued 2 certificate(s) of conducting, 0 of participation"]
    assert issue_earned_certificates(now) == ["issued 1 certificate(s) of conducting, 0 of participation"]
    assert issue_earned_certificates(now) == [] and _rows() == 3


@pytest.mark.parametrize("size", [1, 12])
def test_a_tick_with_nothing_to_issue_reads_twice_and_writes_nothing(size: int, app, count_queries) -> None:  # type: ignore[no-untyped-def]
    lead, person = methodist(), teacher()
    events = [EventFactory() for _ in range(size)]
    for event in events:
        host(event, lead)
        registration(event, person)
    db.session.commit()
    for event in events:
        attendance.mark(event, [person.id], actor=lead, now=event.starts_at)
    now = events[0].ends_at
    with count_queries(cold=True) as counter:
        assert issue_earned_certificates(now) == []
    assert counter.count == 2
    assert not any(s.lstrip().upper().startswith(("INSERT", "UPDATE")) for s in counter.statements)


def test_two_clocks_at_once_issue_one_certificate_each(app) -> None:  # type: ignore[no-untyped-def]
    skip_memory_database()
    event = EventFactory()
    lead, speaker, person = methodist(), teacher(), teacher()
    host(event, lead)
    host(event, speaker, role=HostRole.SPEAKER)
    row = registration(event, person)
    row.attended_at, row.check_in = event.starts_at, CheckIn.MARKED
    db.session.commit()
    now = event.ends_at
    db.session.close()

    outcomes = at_once_words(app, [lambda: issue_earned_certificates(now)] * 2)
    assert outcomes == ["ok", "ok"]
    assert _rows(CertificateKind.EVENT_CONDUCTING) == 2 and _rows(CertificateKind.EVENT_ATTENDANCE) == 1
    assert _audited("events.conducting_certificate_issued") == 2
    assert _audited("events.attendance_certificate_issued") == 1
