"""Issuing an event's certificates when they are earned, so that downloading one only reads.

A certificate of conducting is earned once the event has begun (as the host's page has always said):
the host's own marking of attendance after the start issues it to every host and speaker at once,
and the clock (`issue_earned_certificates`, a tick job) issues it within a minute of the start to
those whose event nobody marked. The same job backfills what older data lacks: conducting
certificates of events held before they were issued this way, and participation certificates of
attendance recorded without one (imported rows, a mark put back after a revocation by hand).

Each missing certificate is inserted in a savepoint: the unique constraint of app.certificates
(source, kind, person) settles two clocks at once, and only the insert that wins is audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import User
from app.certificates import Certificate, CertificateKind, new_code
from app.extensions import db, rows_changed
from community.events.event_certificates import SOURCE, certificate_details
from community.events.models import Event, EventHost, EventRegistration, EventStatus, RegistrationStatus

# Certificates a tick issues of each kind: a backlog of old events clears in minutes, and a tick on
# contest day stays short.
BATCH = 300


def _held(kind: CertificateKind, event_id: Any, user_id: Any, *, valid_only: bool = False) -> Any:
    """EXISTS: the person holds the event's certificate of this kind (a valid one, if asked)."""
    query = exists().where(
        Certificate.source_type == SOURCE,
        Certificate.source_id == event_id,
        Certificate.kind == kind,
        Certificate.user_id == user_id,
    )
    return query.where(Certificate.revoked_at.is_(None)) if valid_only else query


def _insert(
    event: Event, user_id: int, holder: str, kind: CertificateKind, now: datetime, details: str
) -> Certificate | None:
    """A new certificate row, or None when one exists already (another transaction got there first)."""
    certificate = Certificate(
        code=new_code(),
        kind=kind,
        user_id=user_id,
        holder=holder,
        title=event.title,
        details=details,
        source_type=SOURCE,
        source_id=event.id,
        issued_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        return None
    return certificate


def issue_conducting(event: Event, *, actor: User | None, now: datetime) -> int:
    """Issue the certificate of conducting to each host and speaker who has none yet, once the event
    has begun; flushes and audits, the calling service commits. Returns how many were issued."""
    if event.status == EventStatus.CANCELLED or now < event.starts_at:
        return 0
    missing = db.session.execute(
        select(EventHost.user_id, EventHost.role, User.full_name)
        .join(User, User.id == EventHost.user_id)
        .where(
            EventHost.event_id == event.id,
            ~_held(CertificateKind.EVENT_CONDUCTING, EventHost.event_id, EventHost.user_id),
        )
        .order_by(EventHost.id)
    ).all()
    issued = 0
    details = certificate_details(event) if missing else ""
    for user_id, role, full_name in missing:
        certificate = _insert(event, user_id, full_name, CertificateKind.EVENT_CONDUCTING, now, details)
        if certificate is None:
            continue
        issued += 1
        audit.record(
            "events.conducting_certificate_issued",
            actor=actor,
            scope_type="event",
            scope_id=event.id,
            object_type="certificate",
            object_id=certificate.id,
            details={"code": certificate.code, "role": str(role), "user_id": user_id},
        )
    return issued


def _restore_attendance(
    event: Event, user_id: int, holder: str, revoked_id: int | None, now: datetime, details: dict[int, str]
) -> Certificate | None:
    """The attendee's revoked certificate made valid again, or one issued if they never had one."""
    if revoked_id is not None:
        restored = rows_changed(
            update(Certificate)
            .where(Certificate.id == revoked_id, Certificate.revoked_at.is_not(None))
            .values(revoked_at=None, revoked_reason="")
            .execution_options(synchronize_session=False)
        )
        return db.session.get(Certificate, revoked_id, populate_existing=True) if restored else None
    if event.id not in details:  # worded once per event (Russian dates and hours)
        details[event.id] = certificate_details(event)
    return _insert(event, user_id, holder, CertificateKind.EVENT_ATTENDANCE, now, details[event.id])


def _attendance_backfill(now: datetime) -> int:
    """Participation certificates for attendance recorded without a valid one (a batch)."""
    revoked = (
        select(Certificate.id)
        .where(
            Certificate.source_type == SOURCE,
            Certificate.source_id == EventRegistration.event_id,
            Certificate.kind == CertificateKind.EVENT_ATTENDANCE,
            Certificate.user_id == EventRegistration.user_id,
        )
        .limit(1)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Event, EventRegistration.user_id, User.full_name, revoked)
        .join(EventRegistration, EventRegistration.event_id == Event.id)
        .join(User, User.id == EventRegistration.user_id)
        .where(
            Event.status != EventStatus.CANCELLED,
            EventRegistration.status == RegistrationStatus.REGISTERED,
            EventRegistration.attended_at.is_not(None),
            ~_held(
                CertificateKind.EVENT_ATTENDANCE,
                EventRegistration.event_id,
                EventRegistration.user_id,
                valid_only=True,
            ),
        )
        .order_by(EventRegistration.id)
        .limit(BATCH)
    ).all()
    issued = 0
    details: dict[int, str] = {}
    for event, user_id, full_name, revoked_id in rows:
        certificate = _restore_attendance(event, user_id, full_name, revoked_id, now, details)
        if certificate is None:
            continue
        issued += 1
        audit.record(
            "events.attendance_certificate_issued",
            actor=None,
            scope_type="event",
            scope_id=event.id,
            object_type="certificate",
            object_id=certificate.id,
            details={"code": certificate.code, "user_id": user_id},
        )
    return issued


def issue_earned_certificates(now: datetime) -> list[str]:
    """Clock job: the certificates of conducting of events that have begun and the participation
    certificates of recorded attendance that lack them, a batch a tick, one commit. Two queries and
    no write when nothing is missing (every later tick after an event's certificates are out)."""
    due = db.session.scalars(
        select(EventHost.event_id)
        .join(Event, Event.id == EventHost.event_id)
        .where(
            Event.status != EventStatus.CANCELLED,
            Event.starts_at <= now,
            ~_held(CertificateKind.EVENT_CONDUCTING, EventHost.event_id, EventHost.user_id),
        )
        .group_by(EventHost.event_id)
        .order_by(EventHost.event_id)
        .limit(BATCH)
    ).all()
    events = (
        db.session.scalars(select(Event).where(Event.id.in_(due)).order_by(Event.id)).all() if due else []
    )
    conducting = 0
    for event in events:
        conducting += issue_conducting(event, actor=None, now=now)
        if conducting >= BATCH:
            break
    attended = _attendance_backfill(now)
    if not events and not attended:
        return []
    db.session.commit()
    if not conducting and not attended:
        return []
    return [f"issued {conducting} certificate(s) of conducting, {attended} of participation"]
