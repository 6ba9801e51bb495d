"""Contests API for a stage: reading it, the organiser's clock actions (close, reopen, extend),
and entries (a participant submits; participant, organiser and assigned jurors read)."""

from __future__ import annotations

import json
from typing import Any

from flask import request
from pydantic import AwareDatetime, Field
from sqlalchemy.orm import joinedload

from app.accounts import User
from app.api.contests.common import TAG, organised_stage, refreshed_stage_json, stage_for, stage_json
from app.api.core import (
    ApiError,
    Strict,
    api_user,
    endpoint,
    not_found,
)
from app.extensions import db
from app.i18n import _
from app.permissions import contests as can
from app.permissions.jury import can_see_entry_author
from app.timeutil import utcnow
from contest_engine import clock, entries, queries
from contest_engine.entries import Upload
from contest_engine.jury import blind
from contest_engine.models import Entry, Stage


class ReasonIn(Strict):
    reason: str = Field(default="", max_length=2000)
    closes_at: AwareDatetime | None = None


class ExtendIn(Strict):
    closes_at: AwareDatetime
    reason: str = Field(default="", max_length=2000)


@endpoint("/stages/<int:stage_id>", summary="A stage", tag=TAG)
def get_stage(stage_id: int) -> Any:
    user = api_user()
    stage, _contest = stage_for(stage_id, user)
    clock.see_clock([stage], utcnow())  # a read: the clock's move is seen, the tick job writes it
    return stage_json(stage)


@endpoint(
    "/stages/<int:stage_id>/close",
    "POST",
    summary="Close an open stage now (organiser)",
    tag=TAG,
    body=ReasonIn,
)
def close_stage(stage_id: int, body: ReasonIn) -> Any:
    actor, stage, _contest_row = organised_stage(stage_id)
    clock.close_stage(stage, actor=actor, now=utcnow(), reason=body.reason)
    data = refreshed_stage_json(stage)
    data.update({"advanced": [], "eliminated": [], "blocked": []})
    return data


@endpoint(
    "/stages/<int:stage_id>/reopen",
    "POST",
    summary="Reopen a closed stage with a reason (organiser)",
    tag=TAG,
    body=ReasonIn,
)
def reopen_stage(stage_id: int, body: ReasonIn) -> Any:
    actor, stage, _contest_row = organised_stage(stage_id)
    clock.reopen_stage(stage, actor=actor, now=utcnow(), reason=body.reason, new_closes_at=body.closes_at)
    return refreshed_stage_json(stage)


@endpoint(
    "/stages/<int:stage_id>/extend",
    "POST",
    summary="Move an open stage's close later (organiser)",
    tag=TAG,
    body=ExtendIn,
)
def extend_stage(stage_id: int, body: ExtendIn) -> Any:
    actor, stage, _contest_row = organised_stage(stage_id)
    clock.extend_stage(stage, actor=actor, now=utcnow(), new_closes_at=body.closes_at, reason=body.reason)
    return refreshed_stage_json(stage)


@endpoint(
    "/stages/<int:stage_id>/entries",
    "POST",
    tag=TAG,
    status=201,
    summary="Submit or replace the caller's entry (JSON {text, link} or multipart with files)",
)
def submit_entry(stage_id: int) -> Any:
    user = api_user()
    stage, contest = stage_for(stage_id, user)
    participation = queries.find_participation(contest.id, user.id)
    if participation is None:
        raise ApiError(409, _("You are not a participant of this contest."))
    if request.mimetype == "multipart/form-data":
        text, link = request.form.get("text", ""), request.form.get("link", "")
        files = Upload.all_of(request.files.getlist("files"))
    else:
        try:
            data = json.loads(request.get_data() or b"{}")
        except ValueError:
            raise ApiError(422, _("The body is not valid JSON.")) from None
        if not isinstance(data, dict) or not all(isinstance(data.get(k, ""), str) for k in ("text", "link")):
            raise ApiError(422, _("The data is invalid."), {"text": _("Must be a string.")})
        text, link, files = data.get("text", ""), data.get("link", ""), []
    entry = entries.submit_entry(
        stage, participation, text=text, link=link, files=files, actor=user, now=utcnow()
    )
    return {
        "id": entry.id,
        "version": entry.version,
        "stage_id": stage.id,
        "submitted_at": entry.submitted_at.isoformat(),
    }, 201


def entry_json(entry: Entry, user: User, stage: Stage) -> dict[str, Any]:
    """The entry as its reader may see it: a blind stage's juror gets neither the participant nor
    the files' original names (they often carry the author's name)."""
    participation = entry.participation
    show_names = can_see_entry_author(user, entry, stage)
    participant = None
    if show_names:
        person = db.session.get(User, participation.user_id)
        participant = {
            "id": participation.id,
            "full_name": person.full_name if person else "",
            "institution": participation.institution_name,
            "district": participation.district,
        }
    return {
        "id": entry.id,
        "stage_id": entry.stage_id,
        "version": entry.version,
        "is_current": entry.is_current,
        "submitted_at": entry.submitted_at.isoformat(),
        "text": entry.text,
        "link": entry.link,
        "files": [
            {
                "id": f.id,
                "size": f.size,
                "name": blind.file_name(f, entry_id=entry.id, number=number, sees_names=show_names),
            }
            for number, f in enumerate(entries.entry_files(entry.id), start=1)
        ],
        "participant": participant,
    }


@endpoint(
    "/entries/<int:entry_id>", summary="An entry (its participant, an assigned juror, the organiser)", tag=TAG
)
def get_entry(entry_id: int) -> Any:
    user = api_user()
    entry = db.session.get(Entry, entry_id, options=[joinedload(Entry.participation)])
    if entry is None or not can.can_read_entry(user, entry):
        raise not_found()
    stage = db.session.get(Stage, entry.stage_id)
    assert stage is not None
    return entry_json(entry, user, stage)
