"""Contests API for setting a contest up: create, list and read contests, register and import
participants, the audit log, the question bank and an olympiad stage's round."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from flask import Response, request
from pydantic import AwareDatetime, Field

from app.accounts import User
from app.api.contests.common import TAG, contest_for, contest_json, organised_stage
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
from app.extensions import db
from app.i18n import _
from app.pagination import paginate
from app.permissions import contests as can
from app.tabular_http import import_report_json, request_table, valid_only_wanted
from app.timeutil import utcnow
from contest_engine import clock, olympiad, participant_import, queries, registration, setup
from contest_engine.models import Contest
from contest_engine.spec import ContestSpec, StageSpec
from courses.quiz.question_formats import MAX_IMPORT_CHARS


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


@endpoint(
    "/contests",
    "POST",
    summary="Create a contest with divisions, stages, advancement, jury and awards",
    tag=TAG,
    body=ContestIn,
    status=201,
)
def create_contest(body: ContestIn) -> Any:
    user = api_user()
    require_api(can.can_create_contest(user))
    spec = ContestSpec(
        title=body.title,
        kind=body.kind,
        timezone=body.timezone,
        description=body.description,
        rules=body.rules,
        divisions=body.divisions,
        stages=[
            StageSpec(
                title=s.title,
                kind=s.kind,
                opens_at=s.opens_at,
                closes_at=s.closes_at,
                description=s.description,
                advancement=s.advancement.model_dump() if s.advancement else None,
                jury=s.jury,
                quiz_id=s.quiz_id,
                tiebreak_by_time=s.tiebreak_by_time,
                accepts_text=s.accepts_text,
                accepts_link=s.accepts_link,
                accepts_files=s.accepts_files,
                file_types=s.file_types,
                max_file_mb=s.max_file_mb,
                max_files=s.max_files,
            )
            for s in body.stages
        ],
        awards=[_award_dict(a) for a in body.awards],
        award_quota_percent=body.award_quota_percent,
        asks_institution=body.asks_institution,
        asks_grade=body.asks_grade,
        asks_subject=body.asks_subject,
        requires_consent=body.requires_consent,
    )
    contest = setup.create_contest(spec, actor=user, now=utcnow())
    return contest_json(contest), 201


def _award_dict(award: AwardIn) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": award.title,
        "ranks": award.ranks,
        "top_percent": str(award.top_percent) if award.top_percent is not None else None,
        "min_percent_of_max": str(award.min_percent_of_max) if award.min_percent_of_max is not None else None,
    }
    if award.counts_in_quota is not None:
        data["counts_in_quota"] = award.counts_in_quota
    return data


@endpoint(
    "/contests",
    summary="Contests the caller can see",
    tag=TAG,
    query={"page": "integer", "per_page": "integer"},
)
def list_contests() -> Any:
    user = api_user()
    page, per_page = page_params()
    query = can.visible_contests(user).order_by(Contest.created_at.desc(), Contest.id.desc())
    return paginated(
        paginate(query, page, per_page),
        lambda c: {"id": c.id, "title": c.title, "kind": str(c.kind), "timezone": c.timezone},
    )


@endpoint("/contests/<int:contest_id>", summary="A contest with its divisions and stages", tag=TAG)
def get_contest(contest_id: int) -> Any:
    user = api_user()
    contest = contest_for(contest_id, user)
    stages = queries.contest_stages(contest.id)
    clock.see_clock(stages, utcnow())  # a read: the clock's move is seen, the tick job writes it
    return contest_json(contest, stages)


@endpoint(
    "/contests/<int:contest_id>/participants",
    "POST",
    summary="Register a participant into a division",
    tag=TAG,
    body=ParticipantIn,
    status=201,
)
def add_participant(contest_id: int, body: ParticipantIn) -> Any:
    actor = api_user()
    contest = contest_for(contest_id, actor)
    organiser = can.can_organise_contest(actor, contest.id)
    require_api(organiser or body.user_id == actor.id)
    user = db.session.get(User, body.user_id)
    if user is None:
        raise ApiError(422, _("The data is invalid."), {"user_id": _("No such user.")})
    participation = registration.register(
        contest,
        user,
        division=body.division,
        institution=body.institution,
        grade=body.grade,
        subject=body.subject,
        consent=body.consent,
        now=utcnow(),
        actor=actor if organiser else None,
    )
    return {"id": participation.id, "user_id": user.id, "division_id": participation.division_id}, 201


@endpoint(
    "/contests/<int:contest_id>/participants/import",
    "POST",
    tag=TAG,
    body_media="multipart/form-data",
    query={"valid_only": "boolean"},
    summary=(
        "Import participants from a table (email, division, optionally full_name, institution, grade, "
        "subject; Russian headers too): CSV in UTF-8 or cp1251 separated by , ; or TAB, or XLSX, as the "
        "raw body or a multipart `file`; all or nothing unless ?valid_only=1"
    ),
)
def import_participants(contest_id: int, body: str) -> Any:
    actor = api_user()
    contest = contest_for(contest_id, actor)
    require_api(can.can_organise_contest(actor, contest.id))
    report = participant_import.import_participants(
        contest, request_table(), actor=actor, now=utcnow(), valid_only=valid_only_wanted()
    )
    return import_report_json(report.created, report.errors)


@endpoint(
    "/contests/<int:contest_id>/participants",
    summary="The contest's participants (organiser)",
    tag=TAG,
    query={"page": "integer", "per_page": "integer", "division": "integer"},
)
def list_participants(contest_id: int) -> Any:
    actor = api_user()
    contest = contest_for(contest_id, actor)
    require_api(can.can_organise_contest(actor, contest.id))
    page, per_page = page_params()
    query = queries.participants_query(contest.id, division_id=request.args.get("division", type=int))
    return paginated(
        paginate(query, page, per_page, scalars=False),
        lambda row: {
            "id": row[0].id,
            "user_id": row[1].id,
            "full_name": row[1].full_name,
            "division_id": row[0].division_id,
            "institution": row[0].institution_name,
            "district": row[0].district,
            "grade": row[0].grade,
            "subject": row[0].subject,
            "registered_at": row[0].registered_at.isoformat(),
        },
    )


@endpoint(
    "/contests/<int:contest_id>/audit",
    summary="The contest's audit log (organiser)",
    tag=TAG,
    query={"page": "integer", "per_page": "integer"},
)
def contest_audit(contest_id: int) -> Any:
    actor = api_user()
    contest = contest_for(contest_id, actor)
    require_api(can.can_organise_contest(actor, contest.id))
    page, per_page = page_params()
    return paginated(
        queries.audit_page(contest.id, page=page, per_page=per_page),
        lambda e: {
            "id": e.id,
            "at": e.at.isoformat(),
            "actor_id": e.actor_id,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "reason": e.reason,
            "details": e.details,
        },
    )


# --------------------------------------------------------------------------- olympiad rounds


@endpoint(
    "/contests/<int:contest_id>/questions/import",
    "POST",
    tag=TAG,
    body_media="text/plain",
    summary="Import GIFT questions into the contest's own bank",
)
def import_questions(contest_id: int, body: str) -> Any:
    actor = api_user()
    contest = contest_for(contest_id, actor)
    require_api(can.can_organise_contest(actor, contest.id))
    if len(body) > MAX_IMPORT_CHARS:
        raise ApiError(422, _("The file is too large."), {"body": _("The file is too large.")})
    report = olympiad.import_questions(contest, body, actor=actor)
    return {
        "imported": len(report.imported),
        "questions": [{"id": q.id, "type": str(q.type), "name": q.name} for q in report.imported],
        "errors": [{"line": line, "message": message} for line, message in report.errors],
    }


@endpoint("/contests/<int:contest_id>/questions/export", tag=TAG, summary="The contest's bank as GIFT")
def export_questions(contest_id: int) -> Any:
    actor = api_user()
    contest = contest_for(contest_id, actor)
    require_api(can.can_organise_contest(actor, contest.id))
    return Response(olympiad.export_questions(contest), mimetype="text/plain")


@endpoint(
    "/stages/<int:stage_id>/quiz",
    "POST",
    summary="Create the olympiad stage's round from bank questions",
    tag=TAG,
    body=RoundIn,
    status=201,
)
def create_round(stage_id: int, body: RoundIn) -> Any:
    actor, stage, contest = organised_stage(stage_id)
    quiz = olympiad.create_round(
        stage,
        contest,
        question_ids=body.question_ids,
        time_limit_minutes=body.time_limit_minutes,
        max_grade=body.max_grade,
        shuffle=body.shuffle,
        actor=actor,
        now=utcnow(),
    )
    return {
        "id": quiz.id,
        "stage_id": stage.id,
        "title": quiz.title,
        "time_limit_minutes": quiz.time_limit_minutes,
        "max_grade": str(quiz.max_grade),
        "opens_at": quiz.opens_at.isoformat() if quiz.opens_at else None,
        "closes_at": quiz.closes_at.isoformat() if quiz.closes_at else None,
    }, 201
