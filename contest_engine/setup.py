"""Contest room: setting a contest up — create it with divisions, stages, jury set-ups and its
question bank; add and edit stages; name organisers (editing the contest itself: `editing`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import Role, User
from app.cache_versions import bump
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from community.forums import places as forum_places
from community.forums.models import ForumScope
from contest_engine.clock import apply_clock, run_clock
from contest_engine.jury.setup import configure_stage_jury
from contest_engine.models import Contest, ContestKind, ContestOrganiser, Division, Stage
from contest_engine.queries import contest_stages, results_key
from contest_engine.rules.stages import StageKind, StageState
from contest_engine.spec import ContestSpec, StageSpec, check_contest_spec
from courses.quiz.banks import create_bank


def create_contest(spec: ContestSpec, *, actor: User, now: datetime) -> Contest:
    """Create a contest with its divisions, stages, jury set-ups and question bank in one transaction.

    Stages start `scheduled` and the clock is applied at once, so a stage whose window already
    began is open as soon as the contest exists.
    """
    fields = check_contest_spec(spec)
    if fields:
        raise Invalid(_("The contest cannot be saved: check the marked fields."), fields)
    contest = Contest(
        title=spec.title.strip(),
        kind=ContestKind(spec.kind),
        timezone=spec.timezone,
        description=spec.description,
        rules=spec.rules,
        award_rules=list(spec.awards),
        award_quota_percent=Decimal(str(spec.award_quota_percent))
        if spec.award_quota_percent is not None
        else None,
        asks_institution=spec.asks_institution,
        asks_grade=spec.asks_grade,
        asks_subject=spec.asks_subject,
        requires_consent=spec.requires_consent,
        created_by_id=actor.id,
        created_at=now,
    )
    db.session.add(contest)
    db.session.flush()
    db.session.add(ContestOrganiser(contest_id=contest.id, user_id=actor.id))
    for position, name in enumerate(spec.divisions):
        db.session.add(Division(contest_id=contest.id, name=name.strip(), position=position))
    stages: list[tuple[Stage, StageSpec]] = []
    for position, item in enumerate(spec.stages, start=1):
        stage = Stage(
            contest_id=contest.id,
            position=position,
            kind=StageKind(item.kind),
            state=StageState.SCHEDULED,
            has_jury=item.jury is not None,
            **_stage_values(item),
        )
        db.session.add(stage)
        stages.append((stage, item))
    db.session.flush()
    for stage, item in stages:
        if item.jury is not None:
            configure_stage_jury(stage, item.jury, actor=actor)
    contest.bank_id = _create_bank(contest)
    audit.record(
        "contest.created",
        actor=actor,
        scope_type="contest",
        scope_id=contest.id,
        object_type="contest",
        object_id=contest.id,
        details={"title": contest.title},
    )
    apply_clock([stage for stage, _ in stages], now)
    forum_places.add_default_forums(ForumScope.CONTEST, contest.id, actor_id=actor.id)
    db.session.commit()
    return contest


def add_stage(contest: Contest, item: StageSpec, *, actor: User, now: datetime) -> Stage:
    """Append a stage after the existing ones (the browser builds a contest stage by stage)."""
    stages = contest_stages(contest.id)
    probe = ContestSpec(
        title=contest.title,
        kind=contest.kind.value,
        timezone=contest.timezone,
        divisions=["-"],
        stages=[_spec_of(s) for s in stages] + [item],
    )
    index = len(stages)
    fields = {
        key.split(".", 2)[2]: message
        for key, message in check_contest_spec(probe).items()
        if key.startswith(f"stages.{index}.")
    }
    if fields:
        raise Invalid(_("The stage cannot be saved: check the marked fields."), fields)
    stage = Stage(
        contest_id=contest.id,
        position=(stages[-1].position + 1) if stages else 1,
        kind=StageKind(item.kind),
        state=StageState.SCHEDULED,
        has_jury=item.jury is not None,
        **_stage_values(item),
    )
    db.session.add(stage)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("Another stage was added at the same moment; reload and try again.")) from None
    if item.jury is not None:
        configure_stage_jury(stage, item.jury, actor=actor)
    audit.record(
        "stage.created",
        actor=actor,
        scope_type="contest",
        scope_id=contest.id,
        object_type="stage",
        object_id=stage.id,
        details={"title": stage.title, "kind": stage.kind.value},
    )
    apply_clock([stage], now, actor)
    db.session.commit()
    return stage


def update_stage(stage: Stage, item: StageSpec, *, actor: User, now: datetime) -> Stage:
    """Change a stage's texts, rules and limits; its dates only while it is still scheduled (an open
    stage is extended or closed instead, so nobody's window moves under them)."""
    run_clock(now, contest_id=stage.contest_id)
    db.session.refresh(stage)
    stages = contest_stages(stage.contest_id)
    index = next(i for i, s in enumerate(stages) if s.id == stage.id)
    contest = db.session.get(Contest, stage.contest_id)
    assert contest is not None
    specs = [_spec_of(s) for s in stages]
    item.kind = stage.kind.value
    specs[index] = item
    probe = ContestSpec(
        title=contest.title, kind=contest.kind.value, timezone=contest.timezone, divisions=["-"], stages=specs
    )
    fields = {
        key.split(".", 2)[2]: message
        for key, message in check_contest_spec(probe).items()
        if key.startswith(f"stages.{index}.") and not key.endswith(".jury")
    }
    moved = item.opens_at != stage.opens_at or item.closes_at != stage.closes_at
    if moved and stage.state not in (StageState.DRAFT, StageState.SCHEDULED):
        fields.setdefault(
            "opens_at", _("The dates of a stage that has opened cannot change: extend or close it.")
        )
    if stage.advanced_at is not None and (item.advancement or {}).get("rule") != stage.advancement_rule:
        fields.setdefault("advancement_rule", _("Advancement is already confirmed: the rule cannot change."))
    if fields:
        raise Invalid(_("The stage cannot be saved: check the marked fields."), fields)
    for name, value in _stage_values(item).items():
        setattr(stage, name, value)
    bump(results_key(stage.id))
    audit.record(
        "stage.updated",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id,
        object_type="stage",
        object_id=stage.id,
        details={"title": stage.title, "moved": moved},
    )
    db.session.commit()
    return stage


def add_organiser(contest: Contest, user: User, *, actor: User) -> None:
    """Name another organiser (idempotent)."""
    if user.role not in (Role.ORGANISER, Role.ADMIN):
        raise Invalid(_("Only organisers can organise a contest."), {"user_id": _("Not an organiser.")})
    exists_already = db.session.get(ContestOrganiser, (contest.id, user.id))
    if exists_already is None:
        db.session.add(ContestOrganiser(contest_id=contest.id, user_id=user.id))
        audit.record(
            "contest.organiser_added",
            actor=actor,
            scope_type="contest",
            scope_id=contest.id,
            object_type="user",
            object_id=user.id,
        )
    db.session.commit()


def _stage_values(item: StageSpec) -> dict[str, Any]:
    """The stage columns an organiser's description sets (on creation and on every edit)."""
    config = item.advancement or {"rule": "all"}
    value = config.get("value")
    return {
        "title": item.title.strip(),
        "description": item.description,
        "opens_at": item.opens_at,
        "closes_at": item.closes_at,
        "advancement_rule": config["rule"],
        "advancement_value": Decimal(str(value)) if value is not None else None,
        "advancement_ties": config.get("ties") or "include_tied",
        "tiebreak_by_time": item.tiebreak_by_time,
        "accepts_text": item.accepts_text,
        "accepts_link": item.accepts_link,
        "accepts_files": item.accepts_files,
        "file_types": item.file_types,
        "max_file_mb": item.max_file_mb,
        "max_files": item.max_files,
    }


def _spec_of(stage: Stage) -> StageSpec:
    return StageSpec(
        title=stage.title, kind=stage.kind.value, opens_at=stage.opens_at, closes_at=stage.closes_at
    )


def _create_bank(contest: Contest) -> int:
    """The contest's own question bank, for its olympiad rounds."""
    bank = create_bank("contest", contest.id, contest.title)
    db.session.flush()
    return int(bank.id)
