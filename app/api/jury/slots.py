"""Jury API for the demo-lesson schedule: seeing it, the organiser's slots, a finalist's pick."""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, Field

from app.api.core import Id, Strict, api_user, endpoint, not_found, require_api
from app.api.jury.loading import TAG, load_stage, managed_stage
from app.extensions import db
from app.permissions import jury as can
from app.timeutil import utcnow
from contest_engine.jury import schedule
from contest_engine.jury.models import DemoSlot


class SlotIn(Strict):
    starts_at: AwareDatetime
    duration_minutes: int = Field(ge=1, le=600)
    location: str = Field(default="", max_length=500)


class SlotAssignIn(Strict):
    participant_id: Id | None


def slot_json(view: schedule.SlotView) -> dict[str, Any]:
    slot = view.slot
    return {
        "id": slot.id,
        "starts_at": slot.starts_at.isoformat(),
        "duration_minutes": slot.duration_minutes,
        "location": slot.location,
        "taken": slot.participation_id is not None,
        "mine": view.mine,
        "participant_id": slot.participation_id if view.participant_name is not None else None,
        "participant": view.participant_name,
    }


@endpoint(
    "/stages/<int:stage_id>/slots", summary="The demo-lesson schedule (organiser, jurors, finalists)", tag=TAG
)
def list_slots(stage_id: int) -> Any:
    user = api_user()
    stage = load_stage(stage_id)
    require_api(can.can_view_schedule(user, stage))
    views = schedule.stage_slots(stage, user, show_names=can.can_see_names(user, stage))
    return {"items": [slot_json(v) for v in views]}


@endpoint(
    "/stages/<int:stage_id>/slots",
    "POST",
    summary="Add a demo-lesson slot (organiser)",
    tag=TAG,
    body=SlotIn,
    status=201,
)
def add_slot(stage_id: int, body: SlotIn) -> Any:
    user = api_user()
    stage = managed_stage(stage_id, user)
    slot = schedule.create_slot(
        stage,
        starts_at=body.starts_at,
        duration_minutes=body.duration_minutes,
        location=body.location,
        actor=user,
    )
    return slot_json(schedule.SlotView(slot, None, False)), 201


@endpoint(
    "/slots/<int:slot_id>",
    "PUT",
    summary="Put a finalist in a slot, or free it (organiser)",
    tag=TAG,
    body=SlotAssignIn,
)
def assign_slot(slot_id: int, body: SlotAssignIn) -> Any:
    user = api_user()
    slot = db.session.get(DemoSlot, slot_id)
    if slot is None:
        raise not_found()
    managed_stage(slot.stage_id, user)
    slot = schedule.assign_slot(slot, body.participant_id, actor=user)
    return {"id": slot.id, "participant_id": slot.participation_id}


@endpoint(
    "/slots/<int:slot_id>/pick", "POST", summary="Take a free slot before the deadline (finalist)", tag=TAG
)
def pick_slot(slot_id: int) -> Any:
    user = api_user()
    slot = db.session.get(DemoSlot, slot_id)
    if slot is None:
        raise not_found()
    slot = schedule.pick_slot(slot, user, now=utcnow())
    return {"id": slot.id, "starts_at": slot.starts_at.isoformat(), "mine": True}
