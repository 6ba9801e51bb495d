"""Jury API for the organiser: inviting jurors, conflicts of interest, allocation and moves, the
jurors' progress and reminders."""

from __future__ import annotations

from typing import Any

from flask import url_for
from pydantic import Field

from app.accounts import User
from app.api.core import ApiError, Id, Strict, api_user, endpoint, not_found, require_api
from app.api.jury.loading import TAG, managed_stage
from app.email_address import Email
from app.extensions import db
from app.i18n import _
from app.permissions import jury as can
from app.permissions.contests import can_organise_contest
from app.timeutil import utcnow
from contest_engine.jury.assignment import allocate_stage
from contest_engine.jury.assignment import move_assignment as move_to_juror
from contest_engine.jury.conflicts import declare_conflict
from contest_engine.jury.jurors import add_stage_juror, invite_juror, stage_jurors
from contest_engine.jury.models import ConflictSource, JuryAssignment
from contest_engine.jury.progress import jury_progress, remind_late_jurors
from contest_engine.models import Contest, Stage


class JurorIn(Strict):
    user_id: Id | None = None
    email: Email | None = Field(default=None, min_length=3, max_length=255)
    full_name: str = Field(default="", max_length=255)
    stage_id: Id
    division_id: Id | None = None
    is_chair: bool = False


class ConflictIn(Strict):
    juror_id: Id
    participant_id: Id


class MoveIn(Strict):
    juror_id: Id


def _set_password_url(token: str) -> str:
    return url_for("auth.reset", token=token, _external=True)


@endpoint(
    "/contests/<int:contest_id>/jurors",
    "POST",
    summary="Invite a juror to a stage (existing user or by e-mail)",
    tag=TAG,
    body=JurorIn,
    status=201,
)
def add_juror(contest_id: int, body: JurorIn) -> Any:
    user = api_user()
    contest = db.session.get(Contest, contest_id)
    if contest is None:
        raise not_found()
    require_api(can_organise_contest(user, contest_id))
    stage = db.session.get(Stage, body.stage_id)
    if stage is None or stage.contest_id != contest_id:
        raise ApiError(422, _("The data is invalid."), {"stage_id": _("No such stage in this contest.")})
    if body.user_id is not None:
        juror_user = db.session.get(User, body.user_id)
        if juror_user is None:
            raise ApiError(422, _("The data is invalid."), {"user_id": _("No such user.")})
        juror = add_stage_juror(
            stage, juror_user, division_id=body.division_id, is_chair=body.is_chair, actor=user
        )
    elif body.email:
        juror = invite_juror(
            stage,
            email=body.email,
            full_name=body.full_name,
            division_id=body.division_id,
            is_chair=body.is_chair,
            actor=user,
            queue_url=url_for("jury.queue", _external=True),
            set_password_url=_set_password_url,
        ).juror
    else:
        raise ApiError(422, _("The data is invalid."), {"user_id": _("Give a user id or an e-mail address.")})
    return {
        "id": juror.id,
        "user_id": juror.user_id,
        "stage_id": juror.stage_id,
        "division_id": juror.division_id,
        "is_chair": juror.is_chair,
    }, 201


@endpoint("/stages/<int:stage_id>/jurors", summary="The stage's jurors (organiser)", tag=TAG)
def list_jurors(stage_id: int) -> Any:
    stage = managed_stage(stage_id, api_user())
    return {
        "items": [
            {
                "id": j.id,
                "user_id": u.id,
                "full_name": u.full_name,
                "division_id": j.division_id,
                "is_chair": j.is_chair,
            }
            for j, u in stage_jurors(stage.id)
        ]
    }


@endpoint(
    "/contests/<int:contest_id>/conflicts",
    "POST",
    summary="Declare a conflict of interest (organiser, or the juror)",
    tag=TAG,
    body=ConflictIn,
    status=201,
)
def add_conflict(contest_id: int, body: ConflictIn) -> Any:
    user = api_user()
    if db.session.get(Contest, contest_id) is None:
        raise not_found()
    if can_organise_contest(user, contest_id):
        source = ConflictSource.DECLARED_BY_ORGANISER
    else:
        # A juror declares only their own conflicts, and only in a contest they judge.
        require_api(body.juror_id == user.id and can.can_declare_own_conflict(user, contest_id))
        source = ConflictSource.DECLARED_BY_JUROR
    conflict = declare_conflict(contest_id, body.juror_id, body.participant_id, source=source, actor=user)
    return {
        "id": conflict.id,
        "juror_id": conflict.juror_id,
        "participant_id": conflict.participation_id,
        "source": str(conflict.source),
    }, 201


@endpoint(
    "/stages/<int:stage_id>/allocate", "POST", summary="Allocate entries to jurors (organiser)", tag=TAG
)
def allocate(stage_id: int) -> Any:
    user = api_user()
    stage = managed_stage(stage_id, user)
    assignments = allocate_stage(stage, actor=user)
    return {"assignments": [{"juror_id": a.juror_id, "entry_id": a.entry_id} for a in assignments]}


@endpoint(
    "/stages/<int:stage_id>/jury/progress", summary="Who has scored what, who is late (organiser)", tag=TAG
)
def progress(stage_id: int) -> Any:
    stage = managed_stage(stage_id, api_user())
    return {
        "items": [
            {
                "juror_id": p.user_id,
                "full_name": p.full_name,
                "assigned": p.assigned,
                "submitted": p.submitted,
                "drafts": p.drafts,
                "late": p.late,
            }
            for p in jury_progress(stage, utcnow())
        ]
    }


@endpoint("/stages/<int:stage_id>/jury/remind", "POST", summary="E-mail the late jurors (organiser)", tag=TAG)
def remind(stage_id: int) -> Any:
    user = api_user()
    stage = managed_stage(stage_id, user)
    late = remind_late_jurors(
        stage, actor=user, now=utcnow(), queue_url=url_for("jury.queue", _external=True)
    )
    return {"reminded": [p.user_id for p in late]}


@endpoint(
    "/assignments/<int:assignment_id>",
    "PUT",
    summary="Move an assignment to another juror (organiser)",
    tag=TAG,
    body=MoveIn,
)
def move_assignment(assignment_id: int, body: MoveIn) -> Any:
    user = api_user()
    assignment = db.session.get(JuryAssignment, assignment_id)
    if assignment is None:
        raise not_found()
    managed_stage(assignment.stage_id, user)
    moved = move_to_juror(assignment, body.juror_id, actor=user)
    return {"id": moved.id, "juror_id": moved.juror_id, "entry_id": moved.entry_id}
