"""Attendance of an event: the host marks who came (or takes a mark back), an attendee checks in
with the code shown during the event — from 15 minutes before the start to the end.

Each recorded attendance issues the person's participation certificate in the same transaction, so
it is in their portfolio at once; a withdrawn mark revokes it. The host's marking after the start
issues the hosts' and speakers' certificates of conducting too (the clock does it for the others).
A check-in is a conditional UPDATE (`attended_at IS NULL`), so two at once record it once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, func, select, update

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, Forbidden
from app.extensions import db, rows_changed
from app.i18n import _
from app.pagination import Page, paginate
from community.events import attendance_rules as rules
from community.events import certificate_issuing, event_certificates
from community.events.messages import refusal, text
from community.events.models import (
    CheckIn,
    Event,
    EventRegistration,
    EventStatus,
    RegistrationStatus,
)
from community.rules import RuleError

MAX_MARKED_AT_ONCE = 1000


@dataclass(frozen=True)
class Attendee:
    """One registered person as the host's list shows them."""

    registration_id: int
    user_id: int
    full_name: str
    email: str
    attended_at: datetime | None
    check_in: CheckIn | None


def _registration(event: Event, user: User) -> EventRegistration | None:
    return db.session.scalar(
        select(EventRegistration).where(
            EventRegistration.event_id == event.id,
            EventRegistration.user_id == user.id,
            EventRegistration.status == RegistrationStatus.REGISTERED,
        )
    )


def _not_cancelled(event: Event) -> None:
    if event.status == EventStatus.CANCELLED:
        raise Conflict(text(RuleError("event_cancelled")))


def check_in(event: Event, user: User, code: object, *, now: datetime) -> EventRegistration:
    """The attendee typed the code: recorded once (a second check-in changes nothing). A wrong code is
    a 422 by the field; outside the window a 409; someone not registered a 403."""
    _not_cancelled(event)
    registration = _registration(event, user)
    if registration is None:
        raise Forbidden(text(RuleError("not_registered")))
    try:
        rules.check_window(event.starts_at, event.ends_at, now)
    except RuleError as error:
        raise Conflict(text(error), {"code": text(error)}) from error
    try:
        rules.check_code(event.checkin_code, code)
    except RuleError as error:
        raise refusal(error) from error
    recorded = rows_changed(
        update(EventRegistration)
        .where(EventRegistration.id == registration.id, EventRegistration.attended_at.is_(None))
        .values(attended_at=now, check_in=CheckIn.CODE)
    )
    if recorded:
        event_certificates.issue_attendance(event, user, now=now)
        audit.record(
            "events.checked_in",
            actor=user,
            scope_type="event",
            scope_id=event.id,
            object_type="registration",
            object_id=registration.id,
        )
    db.session.commit()
    db.session.refresh(registration)
    return registration


def mark(event: Event, user_ids: Iterable[int], *, actor: User, now: datetime) -> list[int]:
    """The host marks these registered people present (those already present stay as they were).
    Anyone in the list who is not registered refuses the whole list (422), so nothing is half done.
    Returns the ids newly marked."""
    _not_cancelled(event)
    try:
        rules.check_marking_time(event.starts_at, now)
    except RuleError as error:
        raise Conflict(text(error), {"user_ids": text(error)}) from error
    wanted = sorted(set(user_ids))
    if not wanted:
        raise refusal(RuleError("required", "user_ids"))
    if len(wanted) > MAX_MARKED_AT_ONCE:
        raise refusal(RuleError("too_long", "user_ids", limit=MAX_MARKED_AT_ONCE))
    rows = db.session.execute(
        select(EventRegistration, User)
        .join(User, User.id == EventRegistration.user_id)
        .where(
            EventRegistration.event_id == event.id,
            EventRegistration.user_id.in_(wanted),
            EventRegistration.status == RegistrationStatus.REGISTERED,
        )
    ).all()
    found = {registration.user_id for registration, _user in rows}
    missing = [user_id for user_id in wanted if user_id not in found]
    if missing:
        raise refusal(RuleError("not_registered_ids", "user_ids", ids=", ".join(map(str, missing))))
    newly: list[int] = []
    for registration, person in rows:
        changed = rows_changed(
            update(EventRegistration)
            .where(EventRegistration.id == registration.id, EventRegistration.attended_at.is_(None))
            .values(attended_at=now, check_in=CheckIn.MARKED)
        )
        if changed:
            newly.append(person.id)
            event_certificates.issue_attendance(event, person, now=now)
    certificate_issuing.issue_conducting(event, actor=actor, now=now)
    audit.record(
        "events.attendance_marked",
        actor=actor,
        scope_type="event",
        scope_id=event.id,
        object_type="event",
        object_id=event.id,
        details={"user_ids": newly},
    )
    db.session.commit()
    return newly


def unmark(event: Event, user_id: int, *, actor: User, now: datetime) -> bool:
    """The host takes a mark back (marked by mistake): attendance cleared, certificate revoked."""
    changed = rows_changed(
        update(EventRegistration)
        .where(
            EventRegistration.event_id == event.id,
            EventRegistration.user_id == user_id,
            EventRegistration.attended_at.is_not(None),
        )
        .values(attended_at=None, check_in=None)
    )
    if not changed:
        db.session.rollback()
        return False
    event_certificates.revoke_attendance(
        event, user_id, now=now, reason=_("The host withdrew the attendance mark.")
    )
    audit.record(
        "events.attendance_unmarked",
        actor=actor,
        scope_type="event",
        scope_id=event.id,
        object_type="user",
        object_id=user_id,
    )
    db.session.commit()
    return True


def attendees(event: Event, page: int, per_page: int = 50) -> Page[Attendee]:
    """The registered people, by name, with their attendance: two queries at any size."""
    query = cast(
        Select[Any],
        select(
            EventRegistration.id,
            User.id,
            User.full_name,
            User.email,
            EventRegistration.attended_at,
            EventRegistration.check_in,
        )
        .join(User, User.id == EventRegistration.user_id)
        .where(
            EventRegistration.event_id == event.id,
            EventRegistration.status == RegistrationStatus.REGISTERED,
        )
        .order_by(User.full_name, User.id),
    )
    found = paginate(query, page, per_page, scalars=False)
    found.items = [Attendee(*row) for row in found.items]
    return found


def attended_count(event: Event) -> int:
    query = select(func.count(EventRegistration.id)).where(
        EventRegistration.event_id == event.id, EventRegistration.attended_at.is_not(None)
    )
    return int(db.session.scalar(query) or 0)
