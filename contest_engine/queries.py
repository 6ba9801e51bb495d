"""Contest room: the small reads every use case shares — stages in order, divisions, a user's
participation, who is admitted where, entry counts and the contest's audit log. Reads only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, exists, func, select

from app.accounts import User
from app.audit import AuditEntry
from app.extensions import db
from app.pagination import Page, paginate
from contest_engine.models import (
    Award,
    Contest,
    ContestOrganiser,
    Division,
    Entry,
    Participation,
    Stage,
    StageParticipant,
)
from contest_engine.rules.stages import StageKind, StageState

COMPETITIVE_KINDS = (StageKind.SUBMISSION, StageKind.OLYMPIAD, StageKind.JURY)
OPEN_STATES = (StageState.DRAFT, StageState.SCHEDULED, StageState.OPEN)


def contest_stages(contest_id: int) -> list[Stage]:
    return list(
        db.session.scalars(select(Stage).where(Stage.contest_id == contest_id).order_by(Stage.position))
    )


def contest_divisions(contest_id: int) -> list[Division]:
    return list(
        db.session.scalars(
            select(Division).where(Division.contest_id == contest_id).order_by(Division.position, Division.id)
        )
    )


def current_stage(stages: Sequence[Stage], now: datetime) -> Stage | None:
    """The stage the contest is at: the open one, else one the jury is scoring, else the next one to
    open (the timeline calls it «следующий», not «сейчас»); none once every stage has ended, so a
    closed stage is never marked as happening now."""
    for state in (StageState.OPEN, StageState.JUDGING):
        for stage in stages:
            if stage.state == state:
                return stage
    upcoming = [s for s in stages if s.state in (StageState.SCHEDULED, StageState.DRAFT) and s.opens_at > now]
    return upcoming[0] if upcoming else None


def next_stage(stage: Stage, stages: Sequence[Stage]) -> Stage | None:
    later = [s for s in stages if s.position > stage.position]
    return later[0] if later else None


def final_stage(stages: Sequence[Stage]) -> Stage | None:
    """The last competitive stage: the one awards are computed from."""
    competitive = [s for s in stages if s.kind in COMPETITIVE_KINDS]
    return competitive[-1] if competitive else None


def find_participation(contest_id: int, user_id: int) -> Participation | None:
    return db.session.scalar(
        select(Participation).where(Participation.contest_id == contest_id, Participation.user_id == user_id)
    )


def is_first_competitive(stage: Stage, stages: Sequence[Stage]) -> bool:
    """The first stage after registration admits every registered participant; later ones only
    those who advanced into them."""
    return not any(s.position < stage.position and s.kind in COMPETITIVE_KINDS for s in stages)


def is_admitted(stage: Stage, participation: Participation) -> bool:
    if stage.kind == StageKind.REGISTRATION:
        return True
    stages = contest_stages(stage.contest_id)
    if is_first_competitive(stage, stages):
        return True
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    StageParticipant.stage_id == stage.id,
                    StageParticipant.participation_id == participation.id,
                )
            )
        )
    )


def count_stage_entries(stage_ids: list[int]) -> dict[int, int]:
    if not stage_ids:
        return {}
    return dict(
        db.session.execute(
            select(Entry.stage_id, func.count())
            .where(Entry.stage_id.in_(stage_ids), Entry.is_current.is_(True))
            .group_by(Entry.stage_id)
        ).all()
    )


def audit_page(contest_id: int, *, page: int, per_page: int) -> Page[AuditEntry]:
    """The contest's audit log, newest first (the organiser's page and the API)."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.scope_type == "contest", AuditEntry.scope_id == contest_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    return paginate(query, page, per_page)


def participants_query(
    contest_id: int, *, division_id: int | None = None, search: str = ""
) -> Select[Participation, User]:
    """(Participation, User) rows of a contest in registration order, for the organiser's lists
    (the page searches names and institutions, the API filters by division)."""
    query = (
        select(Participation, User)
        .join(User, User.id == Participation.user_id)
        .where(Participation.contest_id == contest_id)
        .order_by(Participation.id)
    )
    if division_id:
        query = query.where(Participation.division_id == division_id)
    if search:
        query = query.where(
            User.full_name.ilike(f"%{search}%") | Participation.institution_name.ilike(f"%{search}%")
        )
    return query


def participant_names(contest_id: int) -> list[tuple[int, str]]:
    """(participation id, full name) of every participant, by name: the manual advancement choice."""
    return [
        (pid, name)
        for pid, name in db.session.execute(_names_query(contest_id).order_by(User.full_name)).all()
    ]


def names_by_participation(contest_id: int) -> dict[int, str]:
    """Participation id → full name, for rows that name their participants (advancement, awards)."""
    return {pid: name for pid, name in db.session.execute(_names_query(contest_id)).all()}


def _names_query(contest_id: int) -> Select[int, str]:
    return (
        select(Participation.id, User.full_name)
        .join(User, User.id == Participation.user_id)
        .where(Participation.contest_id == contest_id)
    )


def organised_contests(user_id: int, *, limit: int = 10) -> list[Contest]:
    """The contests a user organises, newest first (the dashboard panel)."""
    return list(
        db.session.scalars(
            select(Contest)
            .join(ContestOrganiser, ContestOrganiser.contest_id == Contest.id)
            .where(ContestOrganiser.user_id == user_id)
            .order_by(Contest.created_at.desc())
            .limit(limit)
        )
    )


def award_ids(contest_id: int) -> dict[int, int]:
    """Participation id → award id, for the diploma links."""
    return dict(
        db.session.execute(
            select(Award.participation_id, Award.id).where(Award.contest_id == contest_id)
        ).all()
    )


def results_key(stage_id: int) -> str:
    """The cache version of what a stage's results pages show (app/cache_versions.py): moved on by
    every write of its ranking (and so its publication) and by edits of the stage or its contest."""
    return f"stage:{stage_id}:results"
