"""Contests API, shared by its modules: loading a contest or stage the caller may know (404
otherwise) and the contest and stage shapes."""

from __future__ import annotations

from typing import Any

from app.accounts import User
from app.api.core import (
    api_user,
    not_found,
    require_api,
)
from app.extensions import db
from app.permissions import contests as can
from contest_engine import queries
from contest_engine.models import Contest, Stage

TAG = "contests"


def stage_json(stage: Stage) -> dict[str, Any]:
    return {
        "id": stage.id,
        "contest_id": stage.contest_id,
        "position": stage.position,
        "title": stage.title,
        "kind": str(stage.kind),
        "state": str(stage.state),
        "description": stage.description,
        "opens_at": stage.opens_at.isoformat(),
        "closes_at": stage.closes_at.isoformat(),
        "advancement": {
            "rule": stage.advancement_rule,
            "value": str(stage.advancement_value) if stage.advancement_value is not None else None,
            "ties": stage.advancement_ties,
        },
        "tiebreak_by_time": stage.tiebreak_by_time,
        "quiz_id": stage.quiz_id,
        "has_jury": stage.has_jury,
        "accepts": {
            "text": stage.accepts_text,
            "link": stage.accepts_link,
            "files": stage.accepts_files,
            "file_types": sorted(stage.extensions),
            "max_file_mb": stage.max_file_mb,
            "max_files": stage.max_files,
        },
        "results_published_at": stage.results_published_at.isoformat()
        if stage.results_published_at
        else None,
        "appeals_close_at": stage.appeals_close_at.isoformat() if stage.appeals_close_at else None,
    }


def contest_json(contest: Contest, stages: list[Stage] | None = None) -> dict[str, Any]:
    stages = stages if stages is not None else queries.contest_stages(contest.id)
    return {
        "id": contest.id,
        "title": contest.title,
        "kind": str(contest.kind),
        "timezone": contest.timezone,
        "description": contest.description,
        "rules": contest.rules,
        "divisions": [{"id": d.id, "name": d.name} for d in queries.contest_divisions(contest.id)],
        "stages": [stage_json(s) for s in stages],
        "awards": contest.award_rules,
        "award_quota_percent": str(contest.award_quota_percent)
        if contest.award_quota_percent is not None
        else None,
        "bank_id": contest.bank_id,
    }


def contest_for(contest_id: int, user: User) -> Contest:
    contest = db.session.get(Contest, contest_id)
    if contest is None or not can.can_view_contest(user, contest):
        raise not_found()
    return contest


def stage_for(stage_id: int, user: User) -> tuple[Stage, Contest]:
    stage = db.session.get(Stage, stage_id)
    if stage is None:
        raise not_found()
    return stage, contest_for(stage.contest_id, user)


def organised_stage(stage_id: int) -> tuple[User, Stage, Contest]:
    user = api_user()
    stage, contest = stage_for(stage_id, user)
    require_api(can.can_organise_contest(user, contest.id))
    return user, stage, contest


def refreshed_stage_json(stage: Stage) -> dict[str, Any]:
    """The stage as it stands after an action (the service committed; read it again)."""
    db.session.refresh(stage)
    return stage_json(stage)
