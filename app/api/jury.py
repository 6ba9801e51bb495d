"""API endpoints of the jury room (see shared/API.md, "Contests"): jurors, conflicts, allocation,
scores, the juror's assignments, appeals; plus the stage's jury spec, overview and closing."""

from __future__ import annotations

from typing import Any, Literal

from flask import request, url_for
from pydantic import AwareDatetime, Field

from app.accounts import User
from app.api.core import (
    ApiError,
    Id,
    Strict,
    api_user,
    endpoint,
    not_found,
    page_params,
    paginated,
    require_api,
)
from app.email_address import Email
from app.extensions import db
from app.i18n import _
from app.pagination import paginate
from app.permissions import jury as can
from app.permissions.contests import can_organise_contest
from app.timeutil import utcnow
from contest_engine.jury import appeals, conflicts, schedule
from contest_engine.jury.assignment import allocate_stage
from contest_engine.jury.assignment import move_assignment as move_to_juror
from contest_engine.jury.certificates import issue_jury_certificates
from contest_engine.jury.closing import close_scoring, scoring_closed
from contest_engine.jury.jurors import add_stage_juror, invite_juror, stage_jurors
from contest_engine.jury.models import Appeal, ConflictSource, DemoSlot, JuryAssignment
from contest_engine.jury.overview import scores_overview
from contest_engine.jury.progress import jury_progress, remind_late_jurors
from contest_engine.jury.scores import stage_scores
from contest_engine.jury.setup import set_jury_spec, spec_of, stage_criteria
from contest_engine.jury.sheets import save_scores, sheet_for
from contest_engine.jury.work import juror_queue_query, queue_item
from contest_engine.models import Contest, Entry, Participation, Stage
from contest_engine.rules.scoring import display

TAG = "jury"


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


class ScoresIn(Strict):
    criteria: dict[str, Any]
    comment: str = Field(default="", max_length=10_000)
    draft: bool = False


class MoveIn(Strict):
    juror_id: Id


class SlotIn(Strict):
    starts_at: AwareDatetime
    duration_minutes: int = Field(ge=1, le=600)
    location: str = Field(default="", max_length=500)


class SlotAssignIn(Strict):
    participant_id: Id | None


class AppealIn(Strict):
    text: str = Field(min_length=1, max_length=10_000)


class ResolveIn(Strict):
    decision: Literal["accepted", "rejected"]
    score_changes: dict[str, dict[str, Any]] = Field(default_factory=dict)
    reason: str = Field(min_length=1, max_length=10_000)


def _set_password_url(token: str) -> str:
    return url_for("auth.reset", token=token, _external=True)


def _stage(stage_id: int) -> Stage:
    stage = db.session.get(Stage, stage_id)
    if stage is None:
        raise not_found()
    return stage


def _managed_stage(stage_id: int, user: User) -> Stage:
    stage = _stage(stage_id)
    require_api(can.can_manage_jury(user, stage))
    return stage


def _entry(entry_id: int) -> Entry:
    entry = db.session.get(Entry, entry_id)
    if entry is None:
        raise not_found()
    return entry


def appeal_json(appeal: Appeal) -> dict[str, Any]:
    return {"id": appeal.id, "entry_id": appeal.entry_id, "stage_id": appeal.stage_id, "text": appeal.text,
            "state": str(appeal.state), "filed_at": appeal.filed_at.isoformat(),
            "resolved_at": appeal.resolved_at.isoformat() if appeal.resolved_at else None,
            "reason": appeal.reason, "score_changes": appeal.changes or {}}


@endpoint("/contests/<int:contest_id>/jurors", "POST", summary="Invite a juror to a stage (existing user or by e-mail)",
          tag=TAG, body=JurorIn, status=201)
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
        juror = add_stage_juror(stage, juror_user, division_id=body.division_id, is_chair=body.is_chair, actor=user)
    elif body.email:
        juror = invite_juror(stage, email=body.email, full_name=body.full_name, division_id=body.division_id,
                             is_chair=body.is_chair, actor=user, queue_url=url_for("jury.queue", _external=True),
                             set_password_url=_set_password_url).juror
    else:
        raise ApiError(422, _("The data is invalid."), {"user_id": _("Give a user id or an e-mail address.")})
    return {"id": juror.id, "user_id": juror.user_id, "stage_id": juror.stage_id, "division_id": juror.division_id,
            "is_chair": juror.is_chair}, 201


@endpoint("/stages/<int:stage_id>/jurors", summary="The stage's jurors (organiser)", tag=TAG)
def list_jurors(stage_id: int) -> Any:
    stage = _managed_stage(stage_id, api_user())
    return {"items": [{"id": j.id, "user_id": u.id, "full_name": u.full_name, "division_id": j.division_id,
                       "is_chair": j.is_chair} for j, u in stage_jurors(stage.id)]}


@endpoint("/contests/<int:contest_id>/conflicts", "POST", summary="Declare a conflict of interest (organiser, or the juror)",
          tag=TAG, body=ConflictIn, status=201)
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
    conflict = conflicts.declare_conflict(contest_id, body.juror_id, body.participant_id, source=source, actor=user)
    return {"id": conflict.id, "juror_id": conflict.juror_id, "participant_id": conflict.participation_id,
            "source": str(conflict.source)}, 201


@endpoint("/stages/<int:stage_id>/allocate", "POST", summary="Allocate entries to jurors (organiser)", tag=TAG)
def allocate(stage_id: int) -> Any:
    user = api_user()
    stage = _managed_stage(stage_id, user)
    assignments = allocate_stage(stage, actor=user)
    return {"assignments": [{"juror_id": a.juror_id, "entry_id": a.entry_id} for a in assignments]}


@endpoint("/entries/<int:entry_id>/scores", "PUT", summary="Save or submit the caller's scores for an entry (juror)",
          tag=TAG, body=ScoresIn)
def put_scores(entry_id: int, body: ScoresIn) -> Any:
    user = api_user()
    entry = _entry(entry_id)
    sheet = save_scores(entry, user, body.criteria, body.comment, submit=not body.draft, now=utcnow())
    return _sheet_json(entry.id, user.id) | {"state": str(sheet.state)}


def _sheet_json(entry_id: int, juror_id: int) -> dict[str, Any]:
    sheet, points = sheet_for(entry_id, juror_id)
    entry = db.session.get(Entry, entry_id)
    assert entry is not None
    names = {c.id: c.name for c in stage_criteria(entry.stage_id)}
    return {"entry_id": entry_id, "juror_id": juror_id, "state": str(sheet.state) if sheet else "missing",
            "criteria": {names[cid]: str(p) for cid, p in points.items() if cid in names},
            "comment": sheet.comment if sheet else ""}


@endpoint("/entries/<int:entry_id>/scores", summary="The caller's own scores for an entry (juror)", tag=TAG)
def get_scores(entry_id: int) -> Any:
    user = api_user()
    entry = _entry(entry_id)
    if not can.can_score_entry(user, entry):
        raise not_found()
    return _sheet_json(entry.id, user.id)


@endpoint("/jury/assignments", summary="What the caller has to score (juror)", tag=TAG,
          query={"page": "integer", "per_page": "integer"})
def assignments() -> Any:
    user = api_user()
    page, per_page = page_params()
    result = paginate(juror_queue_query(user.id), page, per_page, scalars=False)

    def item(row: Any) -> dict[str, Any]:
        queued = queue_item(row)
        return {"entry_id": queued.entry_id, "stage_id": queued.stage_id, "scored": queued.scored,
                "state": queued.state, "scoring_closed": queued.closed}

    return paginated(result, item)


@endpoint("/stages/<int:stage_id>/jury", summary="The stage's jury spec (organiser, jurors)", tag=TAG)
def get_spec(stage_id: int) -> Any:
    user = api_user()
    stage = _stage(stage_id)
    require_api(can.can_manage_jury(user, stage) or can.is_stage_juror(user, stage.id))
    return spec_of(stage) | {"scoring_closed": scoring_closed(stage)}


@endpoint("/stages/<int:stage_id>/jury", "PUT", summary="Change the stage's jury spec (organiser)", tag=TAG)
def put_spec(stage_id: int) -> Any:
    user = api_user()
    stage = _managed_stage(stage_id, user)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(422, _("The body must be a JSON object."))
    set_jury_spec(stage, data, actor=user)
    return spec_of(stage)


@endpoint("/stages/<int:stage_id>/scores", summary="Every entry's scores, spread, aggregate and rank (organiser)",
          tag=TAG, query={"page": "integer", "per_page": "integer"})
def overview(stage_id: int) -> Any:
    stage = _managed_stage(stage_id, api_user())
    page, per_page = page_params()
    data = scores_overview(stage, page=page, per_page=per_page)
    rows = data.rows[(page - 1) * per_page: page * per_page]
    return {"items": [{
        "entry_id": r.entry_id, "participant_id": r.participation_id, "participant": r.participant_name,
        "division": r.division, "score": r.score_display or None, "rank": r.rank,
        "spread": r.spread_display or None, "disagreement": r.disagreement, "missing_jurors": r.missing_jurors,
        "jurors": [{"juror_id": m.juror_id, "state": m.state, "total": str(m.total) if m.total is not None else None,
                    "criteria": {k: str(v) for k, v in m.points.items()}} for m in r.marks],
    } for r in rows], "page": page, "per_page": per_page, "total": len(data.rows)}


@endpoint("/stages/<int:stage_id>/scoring/close", "POST", summary="Close scoring (organiser)", tag=TAG)
def close(stage_id: int) -> Any:
    user = api_user()
    stage = _managed_stage(stage_id, user)
    close_scoring(stage, actor=user, now=utcnow())
    return {"stage_id": stage.id, "scoring_closed": True}


@endpoint("/stages/<int:stage_id>/jury/certificates", "POST", summary="Issue jurors' certificates (organiser)", tag=TAG)
def jury_certificates(stage_id: int) -> Any:
    user = api_user()
    stage = _managed_stage(stage_id, user)
    issued = issue_jury_certificates(stage, actor=user, now=utcnow())
    return {"items": [{"user_id": c.user_id, "holder": c.holder, "certificate_code": c.code} for c in issued]}


@endpoint("/entries/<int:entry_id>/appeals", "POST", summary="Appeal the scores of one's entry (participant)",
          tag=TAG, body=AppealIn, status=201)
def file_appeal(entry_id: int, body: AppealIn) -> Any:
    user = api_user()
    entry = _entry(entry_id)
    appeal = appeals.file_appeal(entry, user, body.text, now=utcnow())
    return appeal_json(appeal), 201


def _appeal_for(appeal_id: int, user: User) -> tuple[Appeal, Stage]:
    appeal = db.session.get(Appeal, appeal_id)
    if appeal is None:
        raise not_found()
    stage = _stage(appeal.stage_id)
    participation = db.session.get(Participation, appeal.participation_id)
    assert participation is not None
    if not can.can_see_appeal(user, appeal, participation.user_id, stage):
        raise not_found()
    return appeal, stage


@endpoint("/appeals/<int:appeal_id>", summary="An appeal and its decision (its participant, the organiser)", tag=TAG)
def get_appeal(appeal_id: int) -> Any:
    appeal, _stage_row = _appeal_for(appeal_id, api_user())
    return appeal_json(appeal)


@endpoint("/stages/<int:stage_id>/appeals", summary="The stage's appeals (organiser, jury chair)", tag=TAG)
def list_appeals(stage_id: int) -> Any:
    user = api_user()
    stage = _stage(stage_id)
    require_api(can.can_resolve_appeal(user, stage))
    return {"items": [appeal_json(a) for a, _name in appeals.stage_appeals(stage.id)]}


@endpoint("/appeals/<int:appeal_id>/resolve", "POST", summary="Reject or accept an appeal with score changes",
          tag=TAG, body=ResolveIn)
def resolve(appeal_id: int, body: ResolveIn) -> Any:
    user = api_user()
    appeal, stage = _appeal_for(appeal_id, user)
    require_api(can.can_resolve_appeal(user, stage))
    appeal = appeals.resolve_appeal(appeal, decision=body.decision, score_changes=body.score_changes,
                                     reason=body.reason, actor=user, now=utcnow())
    result = stage_scores(stage)
    return appeal_json(appeal) | {"entry_score": display(result.scores[appeal.participation_id])
                                  if appeal.participation_id in result.scores else None}


@endpoint("/stages/<int:stage_id>/jury/progress", summary="Who has scored what, who is late (organiser)", tag=TAG)
def progress(stage_id: int) -> Any:
    stage = _managed_stage(stage_id, api_user())
    return {"items": [{"juror_id": p.user_id, "full_name": p.full_name, "assigned": p.assigned,
                       "submitted": p.submitted, "drafts": p.drafts, "late": p.late}
                      for p in jury_progress(stage, utcnow())]}


@endpoint("/stages/<int:stage_id>/jury/remind", "POST", summary="E-mail the late jurors (organiser)", tag=TAG)
def remind(stage_id: int) -> Any:
    user = api_user()
    stage = _managed_stage(stage_id, user)
    late = remind_late_jurors(stage, actor=user, now=utcnow(), queue_url=url_for("jury.queue", _external=True))
    return {"reminded": [p.user_id for p in late]}


@endpoint("/assignments/<int:assignment_id>", "PUT", summary="Move an assignment to another juror (organiser)",
          tag=TAG, body=MoveIn)
def move_assignment(assignment_id: int, body: MoveIn) -> Any:
    user = api_user()
    assignment = db.session.get(JuryAssignment, assignment_id)
    if assignment is None:
        raise not_found()
    _managed_stage(assignment.stage_id, user)
    moved = move_to_juror(assignment, body.juror_id, actor=user)
    return {"id": moved.id, "juror_id": moved.juror_id, "entry_id": moved.entry_id}


def slot_json(view: schedule.SlotView) -> dict[str, Any]:
    slot = view.slot
    return {"id": slot.id, "starts_at": slot.starts_at.isoformat(), "duration_minutes": slot.duration_minutes,
            "location": slot.location, "taken": slot.participation_id is not None, "mine": view.mine,
            "participant_id": slot.participation_id if view.participant_name is not None else None,
            "participant": view.participant_name}


@endpoint("/stages/<int:stage_id>/slots", summary="The demo-lesson schedule (organiser, jurors, finalists)", tag=TAG)
def list_slots(stage_id: int) -> Any:
    user = api_user()
    stage = _stage(stage_id)
    require_api(can.can_view_schedule(user, stage))
    views = schedule.stage_slots(stage, user, show_names=can.can_see_names(user, stage))
    return {"items": [slot_json(v) for v in views]}


@endpoint("/stages/<int:stage_id>/slots", "POST", summary="Add a demo-lesson slot (organiser)", tag=TAG,
          body=SlotIn, status=201)
def add_slot(stage_id: int, body: SlotIn) -> Any:
    user = api_user()
    stage = _managed_stage(stage_id, user)
    slot = schedule.create_slot(stage, starts_at=body.starts_at, duration_minutes=body.duration_minutes,
                                location=body.location, actor=user)
    return slot_json(schedule.SlotView(slot, None, False)), 201


@endpoint("/slots/<int:slot_id>", "PUT", summary="Put a finalist in a slot, or free it (organiser)", tag=TAG,
          body=SlotAssignIn)
def assign_slot(slot_id: int, body: SlotAssignIn) -> Any:
    user = api_user()
    slot = db.session.get(DemoSlot, slot_id)
    if slot is None:
        raise not_found()
    _managed_stage(slot.stage_id, user)
    slot = schedule.assign_slot(slot, body.participant_id, actor=user)
    return {"id": slot.id, "participant_id": slot.participation_id}


@endpoint("/slots/<int:slot_id>/pick", "POST", summary="Take a free slot before the deadline (finalist)", tag=TAG)
def pick_slot(slot_id: int) -> Any:
    user = api_user()
    slot = db.session.get(DemoSlot, slot_id)
    if slot is None:
        raise not_found()
    slot = schedule.pick_slot(slot, user, now=utcnow())
    return {"id": slot.id, "starts_at": slot.starts_at.isoformat(), "mine": True}
