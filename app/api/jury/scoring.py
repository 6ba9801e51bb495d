"""Jury API for scoring: the juror's scores and assignments, the stage's jury spec, the organiser's
overview, closing scoring and issuing jurors' certificates."""

from __future__ import annotations

from typing import Any

from flask import request
from pydantic import Field

from app.api.core import ApiError, Strict, api_user, endpoint, not_found, page_params, paginated, require_api
from app.api.jury.loading import TAG, load_entry, load_stage, managed_stage
from app.extensions import db
from app.i18n import _
from app.pagination import paginate
from app.permissions import jury as can
from app.timeutil import utcnow
from contest_engine.jury.certificates import issue_jury_certificates
from contest_engine.jury.closing import close_scoring, scoring_closed
from contest_engine.jury.overview import scores_overview
from contest_engine.jury.setup import set_jury_spec, spec_of, stage_criteria
from contest_engine.jury.sheets import save_scores, sheet_for
from contest_engine.jury.work import juror_queue_query, queue_item
from contest_engine.models import Entry


class ScoresIn(Strict):
    criteria: dict[str, Any]
    comment: str = Field(default="", max_length=10_000)
    draft: bool = False


@endpoint(
    "/entries/<int:entry_id>/scores",
    "PUT",
    summary="Save or submit the caller's scores for an entry (juror)",
    tag=TAG,
    body=ScoresIn,
)
def put_scores(entry_id: int, body: ScoresIn) -> Any:
    user = api_user()
    entry = load_entry(entry_id)
    sheet = save_scores(entry, user, body.criteria, body.comment, submit=not body.draft, now=utcnow())
    return _sheet_json(entry.id, user.id) | {"state": str(sheet.state)}


def _sheet_json(entry_id: int, juror_id: int) -> dict[str, Any]:
    sheet, points = sheet_for(entry_id, juror_id)
    entry = db.session.get(Entry, entry_id)
    assert entry is not None
    names = {c.id: c.name for c in stage_criteria(entry.stage_id)}
    return {
        "entry_id": entry_id,
        "juror_id": juror_id,
        "state": str(sheet.state) if sheet else "missing",
        "criteria": {names[cid]: str(p) for cid, p in points.items() if cid in names},
        "comment": sheet.comment if sheet else "",
    }


@endpoint("/entries/<int:entry_id>/scores", summary="The caller's own scores for an entry (juror)", tag=TAG)
def get_scores(entry_id: int) -> Any:
    user = api_user()
    entry = load_entry(entry_id)
    if not can.can_score_entry(user, entry):
        raise not_found()
    return _sheet_json(entry.id, user.id)


@endpoint(
    "/jury/assignments",
    summary="What the caller has to score (juror)",
    tag=TAG,
    query={"page": "integer", "per_page": "integer"},
)
def assignments() -> Any:
    user = api_user()
    page, per_page = page_params()
    result = paginate(juror_queue_query(user.id), page, per_page, scalars=False)

    def item(row: Any) -> dict[str, Any]:
        queued = queue_item(row)
        return {
            "entry_id": queued.entry_id,
            "stage_id": queued.stage_id,
            "scored": queued.scored,
            "state": queued.state,
            "scoring_closed": queued.closed,
        }

    return paginated(result, item)


@endpoint("/stages/<int:stage_id>/jury", summary="The stage's jury spec (organiser, jurors)", tag=TAG)
def get_spec(stage_id: int) -> Any:
    user = api_user()
    stage = load_stage(stage_id)
    require_api(can.can_manage_jury(user, stage) or can.is_stage_juror(user, stage.id))
    return spec_of(stage) | {"scoring_closed": scoring_closed(stage)}


@endpoint("/stages/<int:stage_id>/jury", "PUT", summary="Change the stage's jury spec (organiser)", tag=TAG)
def put_spec(stage_id: int) -> Any:
    user = api_user()
    stage = managed_stage(stage_id, user)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(422, _("The body must be a JSON object."))
    set_jury_spec(stage, data, actor=user)
    return spec_of(stage)


@endpoint(
    "/stages/<int:stage_id>/scores",
    summary="Every entry's scores, spread, aggregate and rank (organiser)",
    tag=TAG,
    query={"page": "integer", "per_page": "integer"},
)
def overview(stage_id: int) -> Any:
    stage = managed_stage(stage_id, api_user())
    page, per_page = page_params()
    data = scores_overview(stage, page=page, per_page=per_page)
    rows = data.rows
    return {
        "items": [
            {
                "entry_id": r.entry_id,
                "participant_id": r.participation_id,
                "participant": r.participant_name,
                "division": r.division,
                "score": r.score_display or None,
                "rank": r.rank,
                "spread": r.spread_display or None,
                "disagreement": r.disagreement,
                "missing_jurors": r.missing_jurors,
                "jurors": [
                    {
                        "juror_id": m.juror_id,
                        "state": m.state,
                        "total": str(m.total) if m.total is not None else None,
                        "criteria": {k: str(v) for k, v in m.points.items()},
                    }
                    for m in r.marks
                ],
            }
            for r in rows
        ],
        "page": page,
        "per_page": per_page,
        "total": data.total,
    }


@endpoint("/stages/<int:stage_id>/scoring/close", "POST", summary="Close scoring (organiser)", tag=TAG)
def close(stage_id: int) -> Any:
    user = api_user()
    stage = managed_stage(stage_id, user)
    close_scoring(stage, actor=user, now=utcnow())
    return {"stage_id": stage.id, "scoring_closed": True}


@endpoint(
    "/stages/<int:stage_id>/jury/certificates",
    "POST",
    summary="Issue jurors' certificates (organiser)",
    tag=TAG,
)
def jury_certificates(stage_id: int) -> Any:
    user = api_user()
    stage = managed_stage(stage_id, user)
    issued = issue_jury_certificates(stage, actor=user, now=utcnow())
    return {"items": [{"user_id": c.user_id, "holder": c.holder, "certificate_code": c.code} for c in issued]}
