"""Contests API for outcomes: previewing and confirming advancement, publishing and
recomputing results, the ranking (and its CSV and XLSX), awards and diplomas."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import request
from pydantic import Field

from app.accounts import User
from app.after_response import after_response
from app.api.contests.common import TAG, contest_for, organised_stage, refreshed_stage_json, stage_for
from app.api.core import (
    ApiError,
    Id,
    Strict,
    api_user,
    endpoint,
    page_params,
    paginated,
    require_api,
)
from app.i18n import _
from app.permissions import contests as can
from app.tabular_http import csv_response, excel_wanted, xlsx_response
from app.timeutil import utcnow
from contest_engine import advancing, awards, clock, queries, results
from contest_engine.models import Stage
from contest_engine.rules import scoring


class AdvanceIn(Strict):
    chosen: list[Id] | None = None


class PublishIn(Strict):
    appeal_hours: int = Field(default=72, ge=0, le=1440)


def _preview_json(preview: advancing.AdvancementPreview) -> dict[str, Any]:
    return {
        "stage_id": preview.stage.id,
        "next_stage_id": preview.next_stage.id,
        "can_confirm": preview.can_confirm,
        "divisions": [
            {
                "division": d.division.name,
                "advanced": list(d.result.advanced),
                "eliminated": list(d.result.eliminated),
                "tied_at_cutoff": list(d.result.tied_at_cutoff),
                "blocked": list(d.result.blocked),
                "ranks": {str(k): v for k, v in d.result.ranks.items()},
            }
            for d in preview.divisions
        ],
        "advanced": preview.advanced,
        "eliminated": preview.eliminated,
        "tied_at_cutoff": preview.tied,
        "blocked": [
            {
                "entry_id": b["entry_id"],
                "participant_id": b["participant_id"],
                "missing_jurors": b["missing_jurors"],
            }
            for b in preview.blocked_entries
        ],
    }


@endpoint("/stages/<int:stage_id>/advance/preview", summary="Who would advance (organiser)", tag=TAG)
def preview_advancement(stage_id: int) -> Any:
    _actor, stage, _contest_row = organised_stage(stage_id)
    return _preview_json(advancing.preview_advancement(stage, now=utcnow()))


@endpoint(
    "/stages/<int:stage_id>/advance",
    "POST",
    summary="Confirm advancement to the next stage (organiser)",
    tag=TAG,
    body=AdvanceIn,
)
def advance_stage(stage_id: int, body: AdvanceIn) -> Any:
    actor, stage, _contest_row = organised_stage(stage_id)
    outcome = advancing.confirm_advancement(stage, actor=actor, now=utcnow(), chosen=body.chosen)
    return {
        "advanced": outcome.advanced,
        "eliminated": outcome.eliminated,
        "blocked": [
            {
                "entry_id": b["entry_id"],
                "participant_id": b["participant_id"],
                "missing_jurors": b["missing_jurors"],
            }
            for b in outcome.blocked
        ],
        "confirmed": outcome.confirmed,
        "added": outcome.added,
        "kept": outcome.kept,
    }


@endpoint(
    "/stages/<int:stage_id>/publish",
    "POST",
    summary="Publish the stage's results and open appeals (organiser)",
    tag=TAG,
    body=PublishIn,
)
def publish_stage(stage_id: int, body: PublishIn) -> Any:
    actor, stage, _contest_row = organised_stage(stage_id)
    results.publish_results(stage, actor=actor, now=utcnow(), appeal_hours=body.appeal_hours)
    return refreshed_stage_json(stage)


@endpoint(
    "/stages/<int:stage_id>/results/refresh",
    "POST",
    summary="Recompute the stored ranking (organiser)",
    tag=TAG,
)
def refresh_results(stage_id: int) -> Any:
    _actor, stage, _contest_row = organised_stage(stage_id)
    if stage.state in queries.OPEN_STATES:
        raise ApiError(409, _("The stage is still open."))
    results.refresh_results(stage, now=utcnow())
    return refreshed_stage_json(stage)


def result_json(row: results.ResultRow, full: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "participant_id": row.participation_id,
        "division": row.division,
        "score": row.score_text or None,
        "rank": row.rank,
        "advanced": row.advanced,
        "status": str(row.status),
    }
    if full:
        data.update(
            {
                "full_name": row.full_name,
                "institution": row.institution,
                "district": row.district,
                "time_used_seconds": row.time_used_seconds,
            }
        )
    return data


@endpoint(
    "/stages/<int:stage_id>/results",
    summary="The stage's ranking per division",
    tag=TAG,
    query={"page": "integer", "per_page": "integer", "division": "integer", "q": "string"},
)
def stage_results(stage_id: int) -> Any:
    user = api_user()
    stage, contest = stage_for(stage_id, user)
    now = utcnow()
    clock.see_clock([stage], now)  # a read: the clock's move is seen, the tick job writes it
    page, per_page = page_params()
    if can.can_see_full_results(user, stage):
        _store_pending(stage, now)
        found = results.results_page(
            stage,
            page=page,
            per_page=per_page,
            division_id=request.args.get("division", type=int),
            search=request.args.get("q", ""),
        )
        return paginated(found, lambda row: result_json(row, True))
    # Before publication a participant sees only their own status.
    participation = queries.find_participation(contest.id, user.id)
    own = results.own_result(stage.id, participation.id) if participation else None
    items = []
    if own is not None:
        items.append(
            {
                "participant_id": own.participation_id,
                "division": None,
                "score": None,
                "rank": None,
                "advanced": own.advanced,
                "status": str(own.status),
            }
        )
    return {"items": items, "page": 1, "per_page": per_page, "total": len(items), "published": False}


@endpoint(
    "/stages/<int:stage_id>/results.csv",
    summary=(
        "The ranking as CSV (organiser, or anyone once published); ?excel=1 gives UTF-8 with a BOM and `;` "
        "(the default for Russian users), ?excel=0 plain comma-separated UTF-8"
    ),
    tag=TAG,
    query={"excel": "boolean"},
)
def stage_results_csv(stage_id: int) -> Any:
    user = api_user()
    stage = _exported_stage(stage_id, user)
    return csv_response(results.results_csv(stage, excel=excel_wanted(user)), f"results-{stage.id}.csv")


@endpoint(
    "/stages/<int:stage_id>/results.xlsx",
    summary="The ranking as an Excel workbook (organiser, or anyone once published)",
    tag=TAG,
)
def stage_results_xlsx(stage_id: int) -> Any:
    user = api_user()
    stage = _exported_stage(stage_id, user)
    return xlsx_response(results.results_xlsx(stage), f"results-{stage.id}.xlsx")


def _exported_stage(stage_id: int, user: User) -> Stage:
    stage, _contest_row = stage_for(stage_id, user)
    require_api(can.can_see_full_results(user, stage))
    now = utcnow()
    clock.see_clock([stage], now)
    _store_pending(stage, now)
    return stage


def _store_pending(stage: Stage, now: datetime) -> None:
    """A closed stage without a stored ranking: this answer has it computed now, and it is stored
    once the response is sent (a GET does not write)."""
    if results.results_pending(stage):
        stage_id = stage.id
        after_response(lambda: results.compute_pending_results(stage_id, now))


# --------------------------------------------------------------------------- awards


def award_json(item: awards.AwardItem) -> dict[str, Any]:
    return {
        "participant_id": item.participation_id,
        "division": item.division,
        "award": item.award,
        "rank": item.rank,
        "score": scoring.display(item.score) if item.score is not None else None,
        "certificate_code": item.certificate_code,
    }


@endpoint(
    "/contests/<int:contest_id>/awards/compute",
    "POST",
    summary="Compute awards and diplomas (organiser)",
    tag=TAG,
)
def compute_awards(contest_id: int) -> Any:
    actor = api_user()
    contest = contest_for(contest_id, actor)
    require_api(can.can_organise_contest(actor, contest.id))
    items = awards.compute_awards(contest, actor=actor, now=utcnow())
    return {"items": [award_json(item) for item in items]}


@endpoint("/contests/<int:contest_id>/awards", summary="The contest's awards", tag=TAG)
def list_awards(contest_id: int) -> Any:
    actor = api_user()
    contest = contest_for(contest_id, actor)
    items = awards.contest_awards(contest.id)
    if not can.can_organise_contest(actor, contest.id):
        participation = queries.find_participation(contest.id, actor.id)
        items = [i for i in items if participation is not None and i.participation_id == participation.id]
