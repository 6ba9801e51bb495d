"""Jury room: the demo lessons of a final — a schedule of slots, finalists assigned by the
organiser or picking free slots before a deadline (two at once: one wins), and the schedule as an
iCalendar file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, select, update
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.i18n import _
from contest_engine.jury import open_lessons
from contest_engine.jury.models import DemoSlot
from contest_engine.jury.setup import jury_config
from contest_engine.models import Entry, Participation, Stage, StageParticipant

MAX_SLOT_MINUTES = 600


def create_slot(
    stage: Stage, *, starts_at: datetime, duration_minutes: int, location: str, actor: User
) -> DemoSlot:
    fields: dict[str, str] = {}
    if starts_at.tzinfo is None:
        fields["starts_at"] = _("The time must carry an offset, e.g. +03:00.")
    if not 1 <= duration_minutes <= MAX_SLOT_MINUTES:
        fields["duration_minutes"] = _("Must be between %(lo)s and %(hi)s.", lo=1, hi=MAX_SLOT_MINUTES)
    if len(location) > 500:
        fields["location"] = _("Too long (at most %(n)s characters).", n=500)
    if fields:
        raise Invalid(next(iter(fields.values())), fields)
    slot = DemoSlot(
        stage_id=stage.id, starts_at=starts_at, duration_minutes=duration_minutes, location=location.strip()
    )
    db.session.add(slot)
    db.session.flush()
    audit.record(
        "jury.slot_created",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id,
        object_type="slot",
        object_id=slot.id,
    )
    open_lessons.follow_slots(stage)  # an open final's new slot appears in the network calendar
    db.session.commit()
    return slot


def delete_slot(slot: DemoSlot, *, actor: User) -> None:
    stage = db.session.get(Stage, slot.stage_id)
    audit.record(
        "jury.slot_deleted",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id if stage else None,
        object_type="slot",
        object_id=slot.id,
        details={"participation_id": slot.participation_id},
    )
    open_lessons.forget_slot(slot)  # its open lesson (if any) leaves the calendar
    db.session.delete(slot)
    db.session.commit()


def finalists(stage: Stage) -> list[tuple[int, str]]:
    """(participation id, name) of those admitted to the stage."""
    rows = db.session.execute(
        select(Participation.id, User.full_name)
        .join(StageParticipant, StageParticipant.participation_id == Participation.id)
        .join(User, User.id == Participation.user_id)
        .where(StageParticipant.stage_id == stage.id)
        .order_by(User.full_name)
    ).all()
    return [(row[0], row[1]) for row in rows]


def _is_finalist(stage_id: int, participation_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    StageParticipant.stage_id == stage_id,
                    StageParticipant.participation_id == participation_id,
                )
            )
        )
    )


def _take_slot(slot: DemoSlot, participation_id: int) -> bool:
    """Release the finalist's other slot and take this one if free: one transaction, conditional."""
    db.session.execute(
        update(DemoSlot)
        .where(
            DemoSlot.stage_id == slot.stage_id,
            DemoSlot.participation_id == participation_id,
            DemoSlot.id != slot.id,
        )
        .values(participation_id=None)
    )
    result = db.session.execute(
        update(DemoSlot)
        .where(DemoSlot.id == slot.id, DemoSlot.participation_id.is_(None))
        .values(participation_id=participation_id)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def assign_slot(slot: DemoSlot, participation_id: int | None, *, actor: User) -> DemoSlot:
    """The organiser puts a finalist in a slot (moving them from another) or frees the slot."""
    stage = db.session.get(Stage, slot.stage_id)
    assert stage is not None
    if participation_id is None:
        slot.participation_id = None
    else:
        if not _is_finalist(stage.id, participation_id):
            message = _("This participant is not admitted to the stage.")
            raise Invalid(message, {"participation_id": message})
        db.session.execute(update(DemoSlot).where(DemoSlot.id == slot.id).values(participation_id=None))
        if not _take_slot(slot, participation_id):
            db.session.rollback()
            raise Conflict(_("This slot is already taken."))
    audit.record(
        "jury.slot_assigned",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id,
        object_type="slot",
        object_id=slot.id,
        details={"participation_id": participation_id},
    )
    open_lessons.follow_slots(stage)  # the open lesson's title names the new finalist
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("This slot is already taken.")) from None
    db.session.refresh(slot)
    return slot


def pick_slot(slot: DemoSlot, user: User, *, now: datetime) -> DemoSlot:
    """A finalist picks a free slot before the deadline; two finalists racing for it → one gets it."""
    stage = db.session.get(Stage, slot.stage_id)
    assert stage is not None
    participation = db.session.scalar(
        select(Participation).where(
            Participation.contest_id == stage.contest_id, Participation.user_id == user.id
        )
    )
    if participation is None or not _is_finalist(stage.id, participation.id):
        raise Forbidden(_("Only finalists of this stage pick demo-lesson slots."))
    config = jury_config(stage)
    if config.slot_pick_deadline is None or now > config.slot_pick_deadline:
        raise Conflict(_("Slots are not open for picking."))
    try:
        taken = _take_slot(slot, participation.id)
        if not taken:
            db.session.rollback()
            raise Conflict(_("This slot is already taken."))
        audit.record(
            "jury.slot_picked",
            actor=user,
            scope_type="contest",
            scope_id=stage.contest_id,
            object_type="slot",
            object_id=slot.id,
        )
        open_lessons.follow_slots(stage)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("This slot is already taken.")) from None
    db.session.refresh(slot)
    return slot


@dataclass(frozen=True)
class SlotView:
    slot: DemoSlot
    participant_name: str | None
    mine: bool
    entry_id: int | None = None  # the finalist's current entry (lesson plan and materials)


def stage_slots(stage: Stage, viewer: Any, *, show_names: bool) -> list[SlotView]:
    """The schedule with each finalist's current entry, one query; names only when the viewer may
    see them (their own slot always)."""
    rows = db.session.execute(
        select(DemoSlot, User.full_name, User.id, Entry.id)
        .outerjoin(Participation, Participation.id == DemoSlot.participation_id)
        .outerjoin(User, User.id == Participation.user_id)
        .outerjoin(
            Entry,
            and_(
                Entry.stage_id == DemoSlot.stage_id,
                Entry.participation_id == DemoSlot.participation_id,
                Entry.is_current.is_(True),
            ),
        )
        .where(DemoSlot.stage_id == stage.id)
        .order_by(DemoSlot.starts_at, DemoSlot.id)
    ).all()
    viewer_id = getattr(viewer, "id", None)
    return [
        SlotView(row[0], row[1] if (show_names or row[2] == viewer_id) else None, row[2] == viewer_id, row[3])
        for row in rows
    ]


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF + space."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def slots_ics(slots: Iterable[DemoSlot], *, title: str, host: str, now: datetime) -> str:
    """An iCalendar file (RFC 5545) of demo-lesson slots, in UTC."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Vmeste//Jury//RU",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for slot in slots:
        start = slot.starts_at.astimezone(UTC)
        end = start + timedelta(minutes=slot.duration_minutes)
        lines += [
            "BEGIN:VEVENT",
            f"UID:jury-slot-{slot.id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{start.strftime('%Y%m%dT%H%M%SZ')}",
            f"DTEND:{end.strftime('%Y%m%dT%H%M%SZ')}",
            f"SUMMARY:{_ics_text(title)}",
        ]
        if slot.location:
            lines.append(f"LOCATION:{_ics_text(slot.location)}")
            if slot.location.startswith(("http://", "https://")):
                lines.append(f"URL:{slot.location}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
