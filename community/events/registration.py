"""Registering for an event and giving the place up, with the waiting list.

A seat is taken by one conditional UPDATE of the event's counter (`registered_count < capacity`), so
fifty people at once for ten seats leave exactly ten registered and forty waiting; the unique
(event, person) row makes a second registration a conflict. Giving up a seat hands it, in the same
transaction, to the first person waiting (by id), who is told; two cancellations at once promote
two people, because each promotion is itself a conditional UPDATE of a waiting row and of the
counter. Who may register (the audience) is asked by the views (app.permissions.events); the
service keeps the rules a second request could break: the deadline, the start, the state.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, DomainError
from app.extensions import added, db, rows_changed
from community.events import registration_letters as letters
from community.events.messages import refusal, text
from community.events.models import Event, EventRegistration, EventStatus, RegistrationStatus
from community.events.registration_rules import (
    STATE_CODES,
    check_cancellable,
    check_open,
    clean_answers,
    waiting_position,
)
from community.rules import RuleError

REGISTERED, WAITING, CANCELLED = (
    RegistrationStatus.REGISTERED,
    RegistrationStatus.WAITING,
    RegistrationStatus.CANCELLED,
)


def register(event: Event, user: User, answers: Mapping[str, Any], *, now: datetime) -> EventRegistration:
    """Take a seat, or a place on the waiting list when the seats are gone; the confirmation goes
    out with the .ics (registered) or the place in the queue (waiting)."""
    try:
        check_open(
            cancelled=event.status == EventStatus.CANCELLED,
            starts_at=event.starts_at,
            closes_at=event.registration_closes_at,
            now=now,
        )
        kept = clean_answers(event.questions or [], answers)
    except RuleError as error:
        raise _refused(error) from None
    _forget_cancelled(event.id, user.id)
    row = EventRegistration(event_id=event.id, user_id=user.id, status=WAITING, answers=kept, created_at=now)
    if not added(row):
        db.session.rollback()
        raise _refused(RuleError("reg_twice"))
    if _take_seat(event.id):
        row.status = REGISTERED
    else:
        rows_changed(_counts(event.id).values(waiting_count=Event.waiting_count + 1))
    db.session.flush()
    position = 0 if row.status == REGISTERED else _position(row)
    db.session.refresh(event)
    letters.send_confirmation(event, user, registered=row.status == REGISTERED, position=position, now=now)
    _record("event.registered", event, user, {"status": str(row.status), "position": position})
    db.session.commit()
    return row


def cancel(event: Event, user: User, *, now: datetime) -> EventRegistration | None:
    """Give up a seat or a place in the queue; a freed seat goes to the first person waiting, who
    is told. Returns the promoted person's registration, if any."""
    row = mine(event.id, user.id)
    try:
        check_cancellable(status=str(row.status) if row else None, starts_at=event.starts_at, now=now)
    except RuleError as error:
        raise _refused(error) from None
    assert row is not None
    was = row.status
    if not rows_changed(
        update(EventRegistration)
        .where(EventRegistration.id == row.id, EventRegistration.status == was)
        .values(status=CANCELLED, updated_at=now)
        .execution_options(synchronize_session=False)
    ):
        db.session.rollback()
        raise _refused(RuleError("reg_none"))  # a twin request gave it up first
    counter = Event.registered_count if was == REGISTERED else Event.waiting_count
    rows_changed(_counts(event.id).values({counter: counter - 1}))
    promoted = _promote(event, now) if was == REGISTERED else None
    _record("event.cancelled_registration", event, user, {"was": str(was)})
    db.session.commit()
    db.session.refresh(row)
    return promoted


def fill_free_seats(event: Event, *, now: datetime) -> list[EventRegistration]:
    """Give every free seat to the waiting list in order (after the host raised the capacity), each
    person told; the caller commits. Returns the promoted registrations."""
    promoted: list[EventRegistration] = []
    while (row := _promote(event, now)) is not None:
        promoted.append(row)
    return promoted


def mine(event_id: int, user_id: int) -> EventRegistration | None:
    query = select(EventRegistration).where(
        EventRegistration.event_id == event_id, EventRegistration.user_id == user_id
    )
    return db.session.scalar(query)


def position_of(row: EventRegistration) -> int:
    """The place in the queue of a waiting registration (1 is next); 0 for any other state."""
    return _position(row) if row.status == WAITING else 0


def _promote(event: Event, now: datetime) -> EventRegistration | None:
    """Hand a freed seat to the first person waiting; each step is conditional, so a twin
    cancellation promotes the next one instead of the same one."""
    while True:
        first = db.session.scalar(
            select(EventRegistration)
            .where(EventRegistration.event_id == event.id, EventRegistration.status == WAITING)
            .order_by(EventRegistration.id)
            .limit(1)
        )
        if first is None or not _take_seat(event.id, from_queue=True):
            return None
        if rows_changed(
            update(EventRegistration)
            .where(EventRegistration.id == first.id, EventRegistration.status == WAITING)
            .values(status=REGISTERED, promoted_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        ):
            break
        # That person gave up their place meanwhile: give the seat back and look again.
        rows_changed(
            _counts(event.id).values(
                registered_count=Event.registered_count - 1, waiting_count=Event.waiting_count + 1
            )
        )
    db.session.refresh(first)
    db.session.refresh(event)
    person = db.session.get(User, first.user_id)
    if person is not None:
        letters.send_seat(event, person, now=now)
    _record("event.promoted", event, person, {"registration_id": first.id})
    return first


def _take_seat(event_id: int, *, from_queue: bool = False) -> bool:
    """The one conditional UPDATE that gives a seat: never more than the capacity."""
    values: dict[Any, Any] = {Event.registered_count: Event.registered_count + 1}
    if from_queue:
        values[Event.waiting_count] = Event.waiting_count - 1
    statement = (
        _counts(event_id)
        .where(
            Event.status == EventStatus.SCHEDULED,
            (Event.capacity.is_(None)) | (Event.registered_count < Event.capacity),
        )
        .values(values)
    )
    return rows_changed(statement) == 1


def _counts(event_id: int) -> Any:
    return update(Event).where(Event.id == event_id).execution_options(synchronize_session=False)


def _forget_cancelled(event_id: int, user_id: int) -> None:
    """Registering again after giving up: the old row goes, so the new one queues by its new id."""
    rows_changed(
        delete(EventRegistration)
        .where(
            EventRegistration.event_id == event_id,
            EventRegistration.user_id == user_id,
            EventRegistration.status == CANCELLED,
        )
        .execution_options(synchronize_session=False)
    )


def _position(row: EventRegistration) -> int:
    ahead = db.session.scalar(
        select(func.count(EventRegistration.id)).where(
            EventRegistration.event_id == row.event_id,
            EventRegistration.status == WAITING,
            EventRegistration.id < row.id,
        )
    )
    return waiting_position(int(ahead or 0))


def _refused(error: RuleError) -> DomainError:
    return Conflict(text(error)) if error.code in STATE_CODES else refusal(error)


def _record(action: str, event: Event, actor: User | None, details: dict[str, Any]) -> None:
    audit.record(
        action,
        actor=actor,
        scope_type="event",
        scope_id=event.id,
        object_type="event",
        object_id=event.id,
        details=details,
    )
