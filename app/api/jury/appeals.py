"""Jury API for appeals: a participant files one on their entry; its participant and those who
resolve appeals read it; the organiser or a jury chair resolves it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from app.accounts import User
from app.api.core import Strict, api_user, endpoint, not_found, require_api
from app.api.jury.loading import TAG, load_entry, load_stage
from app.extensions import db
from app.permissions import jury as can
from app.timeutil import utcnow
from contest_engine.jury import appeals
from contest_engine.jury.models import Appeal
from contest_engine.jury.scores import stage_scores
from contest_engine.models import Participation, Stage
from contest_engine.rules.scoring import display


class AppealIn(Strict):
    text: str = Field(min_length=1, max_length=10_000)


class ResolveIn(Strict):
    decision: Literal["accepted", "rejected"]
    score_changes: dict[str, dict[str, Any]] = Field(default_factory=dict)
    reason: str = Field(min_length=1, max_length=10_000)


def appeal_json(appeal: Appeal) -> dict[str, Any]:
    return {
        "id": appeal.id,
        "entry_id": appeal.entry_id,
        "stage_id": appeal.stage_id,
        "text": appeal.text,
        "state": str(appeal.state),
        "filed_at": appeal.filed_at.isoformat(),
        "resolved_at": appeal.resolved_at.isoformat() if appeal.resolved_at else None,
        "reason": appeal.reason,
        "score_changes": appeal.changes or {},
    }


@endpoint(
    "/entries/<int:entry_id>/appeals",
    "POST",
    summary="Appeal the scores of one's entry (participant)",
    tag=TAG,
    body=AppealIn,
    status=201,
)
def file_appeal(entry_id: int, body: AppealIn) -> Any:
    user = api_user()
    entry = load_entry(entry_id)
    appeal = appeals.file_appeal(entry, user, body.text, now=utcnow())
    return appeal_json(appeal), 201


def _appeal_for(appeal_id: int, user: User) -> tuple[Appeal, Stage]:
    appeal = db.session.get(Appeal, appeal_id)
    if appeal is None:
        raise not_found()
    stage = load_stage(appeal.stage_id)
    participation = db.session.get(Participation, appeal.participation_id)
    assert participation is not None
    if not can.can_see_appeal(user, appeal, participation.user_id, stage):
        raise not_found()
    return appeal, stage


@endpoint(
    "/appeals/<int:appeal_id>", summary="An appeal and its decision (its participant, the organiser)", tag=TAG
)
def get_appeal(appeal_id: int) -> Any:
    appeal, _stage_row = _appeal_for(appeal_id, api_user())
    return appeal_json(appeal)


@endpoint("/stages/<int:stage_id>/appeals", summary="The stage's appeals (organiser, jury chair)", tag=TAG)
def list_appeals(stage_id: int) -> Any:
    user = api_user()
    stage = load_stage(stage_id)
    require_api(can.can_resolve_appeal(user, stage))
    return {"items": [appeal_json(a) for a, _name in appeals.stage_appeals(stage.id)]}


@endpoint(
    "/appeals/<int:appeal_id>/resolve",
    "POST",
    summary="Reject or accept an appeal with score changes",
    tag=TAG,
    body=ResolveIn,
)
def resolve(appeal_id: int, body: ResolveIn) -> Any:
    user = api_user()
    appeal, stage = _appeal_for(appeal_id, user)
    require_api(can.can_resolve_appeal(user, stage))
    appeal = appeals.resolve_appeal(
        appeal,
        decision=body.decision,
        score_changes=body.score_changes,
        reason=body.reason,
        actor=user,
        now=utcnow(),
    )
    result = stage_scores(stage)
    return appeal_json(appeal) | {
        "entry_score": display(result.scores[appeal.participation_id])
        if appeal.participation_id in result.scores
        else None
    }
