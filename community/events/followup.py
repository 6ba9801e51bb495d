"""After the event: the host adds the recording's address and links library materials (slides, the
lesson plan) so the attendees find them on the event's pages; only published materials are linked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from app import audit
from app.accounts import User
from app.domain_errors import Conflict
from app.extensions import added, db, rows_changed
from community.events import attendance_rules as rules
from community.events.messages import refusal, text
from community.events.models import Event, EventMaterial
from community.library.certificates import material_path
from community.library.models import Material, MaterialStatus
from community.rules import RuleError


@dataclass(frozen=True)
class LinkedMaterial:
    id: int
    title: str
    url: str


def set_recording(event: Event, url: object, *, actor: User, now: datetime) -> Event:
    """The recording's address (http or https; empty removes it)."""
    try:
        cleaned = rules.clean_recording_url(url)
    except RuleError as error:
        raise refusal(error) from error
    event.recording_url = cleaned
    event.updated_at = now
    audit.record(
        "events.recording_set",
        actor=actor,
        scope_type="event",
        scope_id=event.id,
        object_type="event",
        object_id=event.id,
        details={"url": cleaned},
    )
    db.session.commit()
    return event


def link_material(event: Event, reference: object, *, actor: User) -> Material:
    """A published library material by its number or address; twice is a 409."""
    try:
        material_id = rules.material_id_of(reference)
    except RuleError as error:
        raise refusal(error) from error
    material = db.session.get(Material, material_id)
    if material is None or material.status != MaterialStatus.PUBLISHED:
        raise refusal(RuleError("material_unpublished", "material"))
    linked = db.session.scalar(
        select(func.count()).select_from(EventMaterial).where(EventMaterial.event_id == event.id)
    )
    if (linked or 0) >= rules.MAX_MATERIALS:
        raise refusal(RuleError("too_many_materials", "material", limit=rules.MAX_MATERIALS))
    if not added(EventMaterial(event_id=event.id, material_id=material.id, position=(linked or 0) + 1)):
        db.session.rollback()
        raise Conflict(
            text(RuleError("material_twice", "material")), {"material": text(RuleError("material_twice"))}
        )
    audit.record(
        "events.material_linked",
        actor=actor,
        scope_type="event",
        scope_id=event.id,
        object_type="material",
        object_id=material.id,
    )
    db.session.commit()
    return material


def unlink_material(event: Event, material_id: int, *, actor: User) -> bool:
    removed = rows_changed(
        delete(EventMaterial).where(
            EventMaterial.event_id == event.id, EventMaterial.material_id == material_id
        )
    )
    if not removed:
        db.session.rollback()
        return False
    audit.record(
        "events.material_unlinked",
        actor=actor,
        scope_type="event",
        scope_id=event.id,
        object_type="material",
        object_id=material_id,
    )
    db.session.commit()
    return True


def materials(event: Event) -> list[LinkedMaterial]:
    """The linked materials still published, in the order added (one query)."""
    rows = db.session.execute(
        select(Material.id, Material.title)
        .join(EventMaterial, EventMaterial.material_id == Material.id)
        .where(EventMaterial.event_id == event.id, Material.status == MaterialStatus.PUBLISHED)
        .order_by(EventMaterial.position, Material.id)
    ).all()
    return [LinkedMaterial(row[0], row[1], material_path(row[0])) for row in rows]
