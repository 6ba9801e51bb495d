"""API endpoints of the contests room (see shared/API.md, "Contests"); the jury room adds jurors,
conflicts, allocation, scores and appeals."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Literal

from flask import Response, request
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
from app.extensions import db
from app.i18n import _
from app.pagination import paginate
from app.permissions import contests as can
from app.permissions.jury import can_see_entry_author
from app.timeutil import utcnow
from contest_engine import advancing, awards, clock, entries, olympiad, queries, registration, results, setup
from contest_engine.entries import Upload
from contest_engine.jury import blind
from contest_engine.models import Contest, Entry, Participation, Stage
from contest_engine.rules import scoring
from contest_engine.spec import ContestSpec, StageSpec

TAG = "contests"


class AdvancementIn(Strict):
    rule: Literal["all", "top_n", "top_percent", "min_score", "manual"]
    value: Decimal | None = None
    ties: Literal["include_tied", "exclude_tied", "tiebreak"] = "include_tied"


class StageIn(Strict):
    title: str = Field(min_length=1, max_length=255)
    kind: Literal["registration", "submission", "olympiad", "jury"]
    opens_at: AwareDatetime
    closes_at: AwareDatetime
    description: str = Field(default="", max_length=20_000)
    advancement: AdvancementIn | None = None
    jury: dict[str, Any] | None = None
    quiz_id: Id | None = None
    tiebreak_by_time: bool = False
    accepts_text: bool = True
    accepts_link: bool = True
    accepts_files: bool = True
    file_types: str = Field(default="pdf,doc,docx,odt,ppt,pptx,jpg,png", max_length=255)
    max_file_mb: int = 10
    max_files: int = 3


class AwardIn(Strict):
    title: str = Field(min_length=1, max_length=255)
    ranks: list[int] | None = None
    top_percent: Decimal | None = None
    min_percent_of_max: Decimal | None = None
    counts_in_quota: bool | None = None


class ContestIn(Strict):
    title: str = Field(min_length=1, max_length=255)
    kind: Literal["teacher", "olympiad", "conference"] = "teacher"
    timezone: str = "Europe/Moscow"
    description: str = Field(default="", max_length=50_000)
    rules: str = Field(default="", max_length=50_000)
    divisions: list[str] = Field(min_length=1, max_length=50)
    stages: list[StageIn] = Field(min_length=1, max_length=30)
    awards: list[AwardIn] = Field(default_factory=list, max_length=20)
    award_quota_percent: Decimal | None = None
    asks_institution: bool = True
    asks_grade: bool = False
    asks_subject: bool = False
    requires_consent: bool = False


class ParticipantIn(Strict):
    user_id: Id
    division: str | int
    institution: str = Field(default="", max_length=255)
    grade: str = Field(default="", max_length=32)
    subject: str = Field(default="", max_length=255)
    consent: bool = False


class RoundIn(Strict):
    question_ids: list[Id] = Field(min_length=1, max_length=500)
    time_limit_minutes: int | None = Field(default=None, ge=1, le=10_000)
    max_grade: Decimal = Field(default=Decimal("100"), gt=0, le=100_000)
    shuffle: bool = False


class ReasonIn(Strict):
    reason: str = Field(default="", max_length=2000)
    closes_at: AwareDatetime | None = None


class ExtendIn(Strict):
    closes_at: AwareDatetime
    reason: str = Field(default="", max_length=2000)


class AdvanceIn(Strict):
    chosen: list[Id] | None = None


class PublishIn(Strict):
    appeal_hours: int = Field(default=72, ge=0, le=1440)


# --------------------------------------------------------------------------- serialisers


def stage_json(stage: Stage) -> dict[str, Any]:
    return {
        "id": stage.id, "contest_id": stage.contest_id, "position": stage.position, "title": stage.title,
        "kind": str(stage.kind), "state": str(stage.state), "description": stage.description,
        "opens_at": stage.opens_at.isoformat(), "closes_at": stage.closes_at.isoformat(),
        "advancement": {"rule": stage.advancement_rule,
                        "value": str(stage.advancement_value) if stage.advancement_value is not None else None,
                        "ties": stage.advancement_ties},
        "tiebreak_by_time": stage.tiebreak_by_time, "quiz_id": stage.quiz_id, "has_jury": stage.has_jury,
        "accepts": {"text": stage.accepts_text, "link": stage.accepts_link, "files": stage.accepts_files,
                    "file_types": sorted(stage.extensions), "max_file_mb": stage.max_file_mb,
                    "max_files": stage.max_files},
        "results_published_at": stage.results_published_at.isoformat() if stage.results_published_at else None,
        "appeals_close_at": stage.appeals_close_at.isoformat() if stage.appeals_close_at else None,
    }


def contest_json(contest: Contest, stages: list[Stage] | None = None) -> dict[str, Any]:
    stages = stages if stages is not None else queries.contest_stages(contest.id)
    return {
        "id": contest.id, "title": contest.title, "kind": str(contest.kind), "timezone": contest.timezone,
        "description": contest.description, "rules": contest.rules,
        "divisions": [{"id": d.id, "name": d.name} for d in queries.contest_divisions(contest.id)],
        "stages": [stage_json(s) for s in stages],
        "awards": contest.award_rules,
        "award_quota_percent": str(contest.award_quota_percent) if contest.award_quota_percent is not None else None,
        "bank_id": contest.bank_id,
    }


def _contest(contest_id: int, user: User) -> Contest:
    contest = db.session.get(Contest, contest_id)
    if contest is None or not can.can_view_contest(user, contest):
        raise not_found()
    return contest


def _stage(stage_id: int, user: User) -> tuple[Stage, Contest]:
    stage = db.session.get(Stage, stage_id)
    if stage is None:
        raise not_found()
    return stage, _contest(stage.contest_id, user)


def _organised_stage(stage_id: int) -> tuple[User, Stage, Contest]:
    user = api_user()
    stage, contest = _stage(stage_id, user)
    require_api(can.can_organise_contest(user, contest.id))
    return user, stage, contest


# --------------------------------------------------------------------------- contests


@endpoint("/contests", "POST", summary="Create a contest with divisions, stages, advancement, jury and awards",
          tag=TAG, body=ContestIn, status=201)
def create_contest(body: ContestIn) -> Any:
    user = api_user()
    require_api(can.can_create_contest(user))
    spec = ContestSpec(
        title=body.title, kind=body.kind, timezone=body.timezone, description=body.description, rules=body.rules,
        divisions=body.divisions,
        stages=[StageSpec(
            title=s.title, kind=s.kind, opens_at=s.opens_at, closes_at=s.closes_at, description=s.description,
            advancement=s.advancement.model_dump() if s.advancement else None, jury=s.jury, quiz_id=s.quiz_id,
            tiebreak_by_time=s.tiebreak_by_time, accepts_text=s.accepts_text, accepts_link=s.accepts_link,
            accepts_files=s.accepts_files, file_types=s.file_types, max_file_mb=s.max_file_mb,
            max_files=s.max_files,
        ) for s in body.stages],
        awards=[_award_dict(a) for a in body.awards],
        award_quota_percent=body.award_quota_percent, asks_institution=body.asks_institution,
        asks_grade=body.asks_grade, asks_subject=body.asks_subject, requires_consent=body.requires_consent,
    )
    contest = setup.create_contest(spec, actor=user, now=utcnow())
    return contest_json(contest), 201


def _award_dict(award: AwardIn) -> dict[str, Any]:
    data: dict[str, Any] = {"title": award.title, "ranks": award.ranks,
                            "top_percent": str(award.top_percent) if award.top_percent is not None else None,
                            "min_percent_of_max": str(award.min_percent_of_max)
                            if award.min_percent_of_max is not None else None}
    if award.counts_in_quota is not None:
        data["counts_in_quota"] = award.counts_in_quota
    return data


@endpoint("/contests", summary="Contests the caller can see", tag=TAG, query={"page": "integer", "per_page": "integer"})
def list_contests() -> Any:
    user = api_user()
    page, per_page = page_params()
    query = can.visible_contests(user).order_by(Contest.created_at.desc(), Contest.id.desc())
    return paginated(paginate(query, page, per_page),
                     lambda c: {"id": c.id, "title": c.title, "kind": str(c.kind), "timezone": c.timezone})


@endpoint("/contests/<int:contest_id>", summary="A contest with its divisions and stages", tag=TAG)
def get_contest(contest_id: int) -> Any:
    user = api_user()
    contest = _contest(contest_id, user)
    clock.run_clock(utcnow(), contest_id=contest.id)
    return contest_json(contest)


@endpoint("/contests/<int:contest_id>/participants", "POST", summary="Register a participant into a division",
          tag=TAG, body=ParticipantIn, status=201)
def add_participant(contest_id: int, body: ParticipantIn) -> Any:
    actor = api_user()
    contest = _contest(contest_id, actor)
    organiser = can.can_organise_contest(actor, contest.id)
    require_api(organiser or body.user_id == actor.id)
    user = db.session.get(User, body.user_id)
    if user is None:
        raise ApiError(422, _("The data is invalid."), {"user_id": _("No such user.")})
    participation = registration.register(
        contest, user, division=body.division, institution=body.institution, grade=body.grade,
        subject=body.subject, consent=body.consent, now=utcnow(), actor=actor if organiser else None,
    )
    return {"id": participation.id, "user_id": user.id, "division_id": participation.division_id}, 201


@endpoint("/contests/<int:contest_id>/participants/import", "POST", tag=TAG, body_media="text/csv",
          summary="Import participants from CSV (email,full_name,division[,institution,grade,subject]); all or nothing")
def import_participants(contest_id: int, body: str) -> Any:
    actor = api_user()
    contest = _contest(contest_id, actor)
    require_api(can.can_organise_contest(actor, contest.id))
    report = registration.import_participants(contest, body, actor=actor, now=utcnow())
    return {"created": report.created, "errors": [{"line": line, "message": m} for line, m in report.errors]}


@endpoint("/contests/<int:contest_id>/participants", summary="The contest's participants (organiser)", tag=TAG,
          query={"page": "integer", "per_page": "integer", "division": "integer"})
def list_participants(contest_id: int) -> Any:
    from sqlalchemy import select

    actor = api_user()
    contest = _contest(contest_id, actor)
    require_api(can.can_organise_contest(actor, contest.id))
    page, per_page = page_params()
    query = (select(Participation, User).join(User, User.id == Participation.user_id)
             .where(Participation.contest_id == contest.id).order_by(Participation.id))
    division = request.args.get("division", type=int)
    if division:
        query = query.where(Participation.division_id == division)
    return paginated(paginate(query, page, per_page, scalars=False), lambda row: {
        "id": row[0].id, "user_id": row[1].id, "full_name": row[1].full_name, "division_id": row[0].division_id,
        "institution": row[0].institution_name, "district": row[0].district, "grade": row[0].grade,
        "subject": row[0].subject, "registered_at": row[0].registered_at.isoformat()})


@endpoint("/contests/<int:contest_id>/audit", summary="The contest's audit log (organiser)", tag=TAG,
          query={"page": "integer", "per_page": "integer"})
def contest_audit(contest_id: int) -> Any:
    actor = api_user()
    contest = _contest(contest_id, actor)
    require_api(can.can_organise_contest(actor, contest.id))
    page, per_page = page_params()
    return paginated(queries.audit_page(contest.id, page=page, per_page=per_page), lambda e: {
        "id": e.id, "at": e.at.isoformat(), "actor_id": e.actor_id, "action": e.action,
        "object_type": e.object_type, "object_id": e.object_id, "reason": e.reason, "details": e.details})


# --------------------------------------------------------------------------- olympiad rounds


@endpoint("/contests/<int:contest_id>/questions/import", "POST", tag=TAG, body_media="text/plain",
          summary="Import GIFT questions into the contest's own bank")
def import_questions(contest_id: int, body: str) -> Any:
    actor = api_user()
    contest = _contest(contest_id, actor)
    require_api(can.can_organise_contest(actor, contest.id))
    report = olympiad.import_questions(contest, body, actor=actor)
    return {"imported": len(report.imported),
            "questions": [{"id": q.id, "type": str(q.type), "name": q.name} for q in report.imported],
            "errors": [{"line": line, "message": message} for line, message in report.errors]}


@endpoint("/contests/<int:contest_id>/questions/export", tag=TAG, summary="The contest's bank as GIFT")
def export_questions(contest_id: int) -> Any:
    actor = api_user()
    contest = _contest(contest_id, actor)
    require_api(can.can_organise_contest(actor, contest.id))
    return Response(olympiad.export_questions(contest), mimetype="text/plain")


@endpoint("/stages/<int:stage_id>/quiz", "POST", summary="Create the olympiad stage's round from bank questions",
          tag=TAG, body=RoundIn, status=201)
def create_round(stage_id: int, body: RoundIn) -> Any:
    actor, stage, contest = _organised_stage(stage_id)
    quiz = olympiad.create_round(stage, contest, question_ids=body.question_ids,
                                 time_limit_minutes=body.time_limit_minutes, max_grade=body.max_grade,
                                 shuffle=body.shuffle, actor=actor, now=utcnow())
    return {"id": quiz.id, "stage_id": stage.id, "title": quiz.title,
            "time_limit_minutes": quiz.time_limit_minutes, "max_grade": str(quiz.max_grade),
            "opens_at": quiz.opens_at.isoformat() if quiz.opens_at else None,
            "closes_at": quiz.closes_at.isoformat() if quiz.closes_at else None}, 201


# --------------------------------------------------------------------------- entries


@endpoint("/stages/<int:stage_id>/entries", "POST", tag=TAG, status=201,
          summary="Submit or replace the caller's entry (JSON {text, link} or multipart with files)")
def submit_entry(stage_id: int) -> Any:
    user = api_user()
    stage, contest = _stage(stage_id, user)
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
    entry = entries.submit_entry(stage, participation, text=text, link=link, files=files, actor=user, now=utcnow())
    return {"id": entry.id, "version": entry.version, "stage_id": stage.id,
            "submitted_at": entry.submitted_at.isoformat()}, 201


def entry_json(entry: Entry, user: User, stage: Stage) -> dict[str, Any]:
    """The entry as its reader may see it: a blind stage's juror gets neither the participant nor
    the files' original names (they often carry the author's name)."""
    participation = entry.participation
    show_names = can_see_entry_author(user, entry, stage)
    participant = None
    if show_names:
        person = db.session.get(User, participation.user_id)
        participant = {"id": participation.id, "full_name": person.full_name if person else "",
                       "institution": participation.institution_name, "district": participation.district}
    return {"id": entry.id, "stage_id": entry.stage_id, "version": entry.version, "is_current": entry.is_current,
            "submitted_at": entry.submitted_at.isoformat(), "text": entry.text, "link": entry.link,
            "files": [{"id": f.id, "size": f.size,
                       "name": blind.file_name(f, entry_id=entry.id, number=number, sees_names=show_names)}
                      for number, f in enumerate(entries.entry_files(entry.id), start=1)],
            "participant": participant}


@endpoint("/entries/<int:entry_id>", summary="An entry (its participant, an assigned juror, the organiser)", tag=TAG)
def get_entry(entry_id: int) -> Any:
    from sqlalchemy.orm import joinedload

    user = api_user()
    entry = db.session.get(Entry, entry_id, options=[joinedload(Entry.participation)])
    if entry is None or not can.can_read_entry(user, entry):
        raise not_found()
    stage = db.session.get(Stage, entry.stage_id)
    assert stage is not None
    return entry_json(entry, user, stage)


# --------------------------------------------------------------------------- the stage clock and actions


def _action_result(stage: Stage) -> dict[str, Any]:
    db.session.refresh(stage)
    return stage_json(stage)


@endpoint("/stages/<int:stage_id>", summary="A stage", tag=TAG)
def get_stage(stage_id: int) -> Any:
    user = api_user()
    stage, contest = _stage(stage_id, user)
    clock.run_clock(utcnow(), contest_id=contest.id)
    return _action_result(stage)


@endpoint("/stages/<int:stage_id>/close", "POST", summary="Close an open stage now (organiser)", tag=TAG,
          body=ReasonIn)
def close_stage(stage_id: int, body: ReasonIn) -> Any:
    actor, stage, _contest_row = _organised_stage(stage_id)
    clock.close_stage(stage, actor=actor, now=utcnow(), reason=body.reason)
    data = _action_result(stage)
    data.update({"advanced": [], "eliminated": [], "blocked": []})
    return data


@endpoint("/stages/<int:stage_id>/reopen", "POST", summary="Reopen a closed stage with a reason (organiser)",
          tag=TAG, body=ReasonIn)
def reopen_stage(stage_id: int, body: ReasonIn) -> Any:
    actor, stage, _contest_row = _organised_stage(stage_id)
    clock.reopen_stage(stage, actor=actor, now=utcnow(), reason=body.reason, new_closes_at=body.closes_at)
    return _action_result(stage)


@endpoint("/stages/<int:stage_id>/extend", "POST", summary="Move an open stage's close later (organiser)",
          tag=TAG, body=ExtendIn)
def extend_stage(stage_id: int, body: ExtendIn) -> Any:
    actor, stage, _contest_row = _organised_stage(stage_id)
    clock.extend_stage(stage, actor=actor, now=utcnow(), new_closes_at=body.closes_at, reason=body.reason)
    return _action_result(stage)


def _preview_json(preview: advancing.AdvancementPreview) -> dict[str, Any]:
    return {
        "stage_id": preview.stage.id, "next_stage_id": preview.next_stage.id, "can_confirm": preview.can_confirm,
        "divisions": [{
            "division": d.division.name,
            "advanced": list(d.result.advanced), "eliminated": list(d.result.eliminated),
            "tied_at_cutoff": list(d.result.tied_at_cutoff), "blocked": list(d.result.blocked),
            "ranks": {str(k): v for k, v in d.result.ranks.items()},
        } for d in preview.divisions],
        "advanced": preview.advanced, "eliminated": preview.eliminated, "tied_at_cutoff": preview.tied,
        "blocked": [{"entry_id": b["entry_id"], "participant_id": b["participant_id"],
                     "missing_jurors": b["missing_jurors"]} for b in preview.blocked_entries],
    }


@endpoint("/stages/<int:stage_id>/advance/preview", summary="Who would advance (organiser)", tag=TAG)
def preview_advancement(stage_id: int) -> Any:
    _actor, stage, _contest_row = _organised_stage(stage_id)
    return _preview_json(advancing.preview_advancement(stage, now=utcnow()))


@endpoint("/stages/<int:stage_id>/advance", "POST", summary="Confirm advancement to the next stage (organiser)",
          tag=TAG, body=AdvanceIn)
def advance_stage(stage_id: int, body: AdvanceIn) -> Any:
    actor, stage, _contest_row = _organised_stage(stage_id)
    outcome = advancing.confirm_advancement(stage, actor=actor, now=utcnow(), chosen=body.chosen)
    return {"advanced": outcome.advanced, "eliminated": outcome.eliminated,
            "blocked": [{"entry_id": b["entry_id"], "participant_id": b["participant_id"],
                         "missing_jurors": b["missing_jurors"]} for b in outcome.blocked],
            "confirmed": outcome.confirmed, "added": outcome.added, "kept": outcome.kept}


@endpoint("/stages/<int:stage_id>/publish", "POST", summary="Publish the stage's results and open appeals (organiser)",
          tag=TAG, body=PublishIn)
def publish_stage(stage_id: int, body: PublishIn) -> Any:
    actor, stage, _contest_row = _organised_stage(stage_id)
    results.publish_results(stage, actor=actor, now=utcnow(), appeal_hours=body.appeal_hours)
    return _action_result(stage)


@endpoint("/stages/<int:stage_id>/results/refresh", "POST", summary="Recompute the stored ranking (organiser)",
          tag=TAG)
def refresh_results(stage_id: int) -> Any:
    _actor, stage, _contest_row = _organised_stage(stage_id)
    if stage.state in queries.OPEN_STATES:
        raise ApiError(409, _("The stage is still open."))
    results.refresh_results(stage, now=utcnow())
    return _action_result(stage)


def result_json(row: results.ResultRow, full: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"participant_id": row.participation_id, "division": row.division,
                            "score": row.score_text or None, "rank": row.rank, "advanced": row.advanced,
                            "status": str(row.status)}
    if full:
        data.update({"full_name": row.full_name, "institution": row.institution, "district": row.district,
                     "time_used_seconds": row.time_used_seconds})
    return data


@endpoint("/stages/<int:stage_id>/results", summary="The stage's ranking per division", tag=TAG,
          query={"page": "integer", "per_page": "integer", "division": "integer", "q": "string"})
def stage_results(stage_id: int) -> Any:
    user = api_user()
    stage, contest = _stage(stage_id, user)
    now = utcnow()
    clock.run_clock(now, contest_id=contest.id)
    db.session.refresh(stage)
    page, per_page = page_params()
    if can.can_see_full_results(user, stage):
        results.ensure_results(stage, now=now)
        found = results.results_page(stage, page=page, per_page=per_page,
                                     division_id=request.args.get("division", type=int),
                                     search=request.args.get("q", ""))
        return paginated(found, lambda row: result_json(row, True))
    # Before publication a participant sees only their own status.
    participation = queries.find_participation(contest.id, user.id)
    own = results.own_result(stage.id, participation.id) if participation else None
    items = []
    if own is not None:
        items.append({"participant_id": own.participation_id, "division": None, "score": None, "rank": None,
                      "advanced": own.advanced, "status": str(own.status)})
    return {"items": items, "page": 1, "per_page": per_page, "total": len(items), "published": False}


@endpoint("/stages/<int:stage_id>/results.csv", summary="The ranking as CSV (organiser, or anyone once published)",
          tag=TAG)
def stage_results_csv(stage_id: int) -> Any:
    user = api_user()
    stage, _contest_row = _stage(stage_id, user)
    require_api(can.can_see_full_results(user, stage))
    results.ensure_results(stage, now=utcnow())
    return Response(results.results_csv(stage), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=results-{stage.id}.csv"})


# --------------------------------------------------------------------------- awards


def award_json(item: awards.AwardItem) -> dict[str, Any]:
    return {"participant_id": item.participation_id, "division": item.division, "award": item.award,
            "rank": item.rank, "score": scoring.display(item.score) if item.score is not None else None,
            "certificate_code": item.certificate_code}


@endpoint("/contests/<int:contest_id>/awards/compute", "POST", summary="Compute awards and diplomas (organiser)",
          tag=TAG)
def compute_awards(contest_id: int) -> Any:
    actor = api_user()
    contest = _contest(contest_id, actor)
    require_api(can.can_organise_contest(actor, contest.id))
    items = awards.compute_awards(contest, actor=actor, now=utcnow())
    return {"items": [award_json(item) for item in items]}


@endpoint("/contests/<int:contest_id>/awards", summary="The contest's awards", tag=TAG)
def list_awards(contest_id: int) -> Any:
    actor = api_user()
    contest = _contest(contest_id, actor)
    items = awards.contest_awards(contest.id)
    if not can.can_organise_contest(actor, contest.id):
        participation = queries.find_participation(contest.id, actor.id)
        items = [i for i in items if participation is not None and i.participation_id == participation.id]
    return {"items": [award_json(item) for item in items]}
