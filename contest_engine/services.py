"""Contest use cases: setting up, registration, the stage clock, organisers' stage actions, entries.

Each public function validates with the pure rules, writes, records the audit entry and commits once.
Results, advancement and awards live in `contest_engine.results`; olympiad rounds in
`contest_engine.olympiad`.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from app import audit
from app.accounts import Institution, Role, User
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from app.ticks import tick_job
from app.timeutil import is_valid_timezone
from app.uploads import StoredFile, UploadError, UploadRules, store_upload
from contest_engine.jury.resubmission import follow_new_version
from contest_engine.models import (
    Award,
    Contest,
    ContestKind,
    ContestOrganiser,
    Division,
    Entry,
    EntryFile,
    Participation,
    Stage,
    StageParticipant,
)
from contest_engine.rules import advancement as advancement_rules
from contest_engine.rules import awards as award_rules
from contest_engine.rules.stages import (
    StageAction,
    StageKind,
    StageState,
    StageTimes,
    StageTransitionError,
    apply_action,
    clock_state,
    validate_timeline,
)

COMPETITIVE_KINDS = (StageKind.SUBMISSION, StageKind.OLYMPIAD, StageKind.JURY)
LINK_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
MAX_TEXT = 100_000


# --------------------------------------------------------------------------- setting up


@dataclass
class StageSpec:
    """One stage as the organiser describes it (API body or browser form)."""

    title: str
    kind: str
    opens_at: datetime
    closes_at: datetime
    advancement: dict[str, Any] | None = None
    jury: dict[str, Any] | None = None
    quiz_id: int | None = None
    description: str = ""
    tiebreak_by_time: bool = False
    accepts_text: bool = True
    accepts_link: bool = True
    accepts_files: bool = True
    file_types: str = "pdf,doc,docx,odt,ppt,pptx,jpg,png"
    max_file_mb: int = 10
    max_files: int = 3


@dataclass
class ContestSpec:
    title: str
    kind: str = ContestKind.TEACHER.value
    timezone: str = "Europe/Moscow"
    description: str = ""
    rules: str = ""
    divisions: list[str] = field(default_factory=list)
    stages: list[StageSpec] = field(default_factory=list)
    awards: list[dict[str, Any]] = field(default_factory=list)
    award_quota_percent: Decimal | float | int | None = None
    asks_institution: bool = True
    asks_grade: bool = False
    asks_subject: bool = False
    requires_consent: bool = True


def _limit(column: Any) -> int:
    """A String column's length: text limits come from the models, so no text longer than its
    column reaches the database (PostgreSQL would refuse it with a server error)."""
    return int(column.type.length)


def _too_long(column: Any) -> str:
    return _("Too long (at most %(n)s characters).", n=_limit(column))


def _check_contest_spec(spec: ContestSpec) -> dict[str, str]:
    """Every problem with a contest description, as {field path: message}, so a form shows them all."""
    fields: dict[str, str] = {}
    if not spec.title.strip():
        fields["title"] = _("Enter the title.")
    elif len(spec.title.strip()) > _limit(Contest.title):
        fields["title"] = _too_long(Contest.title)
    if spec.kind not in {k.value for k in ContestKind}:
        fields["kind"] = _("Unknown contest kind.")
    if not is_valid_timezone(spec.timezone):
        fields["timezone"] = _("Unknown time zone.")
    names = [name.strip() for name in spec.divisions]
    if not names:
        fields["divisions"] = _("Add at least one division.")
    elif any(not name for name in names):
        fields["divisions"] = _("A division needs a name.")
    elif len(set(names)) != len(names):
        fields["divisions"] = _("Division names must differ.")
    elif any(len(name) > _limit(Division.name) for name in names):
        fields["divisions"] = _("A division's name is too long (at most %(n)s characters).", n=_limit(Division.name))
    if not spec.stages:
        fields["stages"] = _("Add at least one stage.")
    for error in validate_timeline([StageTimes(s.opens_at, s.closes_at) for s in spec.stages]):
        key = f"stages.{error.index}.{error.field}"
        if error.field == "closes_at" and "after" in error.message:
            fields.setdefault(key, _("The stage must close after it opens."))
        elif "previous" in error.message:
            fields.setdefault(key, _("The stage overlaps the previous one: it must open after that one closes."))
        else:
            fields.setdefault(key, _("The time must carry an offset, e.g. +03:00."))
    for index, stage in enumerate(spec.stages):
        prefix = f"stages.{index}"
        if not stage.title.strip():
            fields[f"{prefix}.title"] = _("Enter the title.")
        elif len(stage.title.strip()) > _limit(Stage.title):
            fields[f"{prefix}.title"] = _too_long(Stage.title)
        if len(stage.file_types) > _limit(Stage.file_types):
            fields[f"{prefix}.file_types"] = _too_long(Stage.file_types)
        if stage.kind not in {k.value for k in StageKind}:
            fields[f"{prefix}.kind"] = _("Unknown stage kind.")
            continue
        if stage.advancement is not None:
            fields.update(_check_advancement(stage.advancement, f"{prefix}.advancement"))
        if stage.jury is not None and stage.kind not in (StageKind.SUBMISSION, StageKind.JURY):
            fields[f"{prefix}.jury"] = _("Only submission and jury stages have a jury.")
        if stage.kind == StageKind.JURY and stage.jury is None:
            fields[f"{prefix}.jury"] = _("A jury stage needs its jury: criteria and aggregation.")
        if stage.quiz_id is not None and stage.kind != StageKind.OLYMPIAD:
            fields[f"{prefix}.quiz_id"] = _("Only olympiad stages have a quiz.")
        elif stage.quiz_id is not None:
            fields[f"{prefix}.quiz_id"] = _(
                "Create the round after the contest, from the contest's own question bank."
            )
        if stage.max_file_mb < 1 or stage.max_file_mb > 100:
            fields[f"{prefix}.max_file_mb"] = _("Must be between %(lo)s and %(hi)s.", lo=1, hi=100)
        if stage.max_files < 0 or stage.max_files > 20:
            fields[f"{prefix}.max_files"] = _("Must be between %(lo)s and %(hi)s.", lo=0, hi=20)
    if spec.award_quota_percent is not None and not 0 <= Decimal(str(spec.award_quota_percent)) <= 100:
        fields["award_quota_percent"] = _("Must be between %(lo)s and %(hi)s.", lo=0, hi=100)
    for index, rule in enumerate(spec.awards):
        try:
            award_rules.parse_rules([rule])
        except award_rules.AwardRuleError as error:
            fields[f"awards.{index}"] = _award_message(error)
        else:
            if len(str(rule.get("title", "")).strip()) > _limit(Award.title):
                fields[f"awards.{index}"] = _too_long(Award.title)
    return fields


def _check_advancement(config: dict[str, Any], prefix: str) -> dict[str, str]:
    try:
        advancement_rules.parse_rule(config)
    except advancement_rules.AdvancementRuleError as error:
        text = str(error)
        if "top_percent" in text:
            return {f"{prefix}.value": _("The percentage must be above 0 and at most 100.")}
        if "top_n" in text:
            return {f"{prefix}.value": _("Must be a whole number, 0 or more.")}
        if "needs a value" in text:
            return {f"{prefix}.value": _("This rule needs a value.")}
        if "takes no value" in text:
            return {f"{prefix}.value": _("This rule takes no value.")}
        if "tie policy" in text:
            return {f"{prefix}.ties": _("Unknown tie policy.")}
        if "rule" in text and "unknown" in text:
            return {f"{prefix}.rule": _("Unknown advancement rule.")}
        return {f"{prefix}.value": _("The value is invalid.")}
    return {}


def _award_message(error: Exception) -> str:
    text = str(error)
    if "ranks" in text:
        return _("Ranks must be [from, to] with 1 ≤ from ≤ to.")
    if "top_percent" in text:
        return _("The percentage must be above 0 and at most 100.")
    if "title" in text:
        return _("An award needs a title.")
    return _("The award rule is invalid.")


def create_contest(spec: ContestSpec, *, actor: User, now: datetime) -> Contest:
    """Create a contest with its divisions, stages, jury set-ups and question bank in one transaction.

    Stages start `scheduled` and the clock is applied at once, so a stage whose window already
    began is open as soon as the contest exists.
    """
    fields = _check_contest_spec(spec)
    if fields:
        raise Invalid(_("The contest cannot be saved: check the marked fields."), fields)
    contest = Contest(
        title=spec.title.strip(), kind=ContestKind(spec.kind), timezone=spec.timezone,
        description=spec.description, rules=spec.rules, award_rules=list(spec.awards),
        award_quota_percent=Decimal(str(spec.award_quota_percent)) if spec.award_quota_percent is not None else None,
        asks_institution=spec.asks_institution, asks_grade=spec.asks_grade, asks_subject=spec.asks_subject,
        requires_consent=spec.requires_consent, created_by_id=actor.id, created_at=now,
    )
    db.session.add(contest)
    db.session.flush()
    db.session.add(ContestOrganiser(contest_id=contest.id, user_id=actor.id))
    for position, name in enumerate(spec.divisions):
        db.session.add(Division(contest_id=contest.id, name=name.strip(), position=position))
    stages: list[tuple[Stage, StageSpec]] = []
    for position, item in enumerate(spec.stages, start=1):
        stage = Stage(contest_id=contest.id, position=position, kind=StageKind(item.kind), state=StageState.SCHEDULED,
                      has_jury=item.jury is not None, **_stage_values(item))
        db.session.add(stage)
        stages.append((stage, item))
    db.session.flush()
    for stage, item in stages:
        if item.jury is not None:
            _configure_jury(stage, item.jury, actor)
    contest.bank_id = _create_bank(contest)
    audit.record("contest.created", actor=actor, scope_type="contest", scope_id=contest.id,
                 object_type="contest", object_id=contest.id, details={"title": contest.title})
    _apply_clock([stage for stage, _ in stages], now)
    db.session.commit()
    return contest


def _configure_jury(stage: Stage, spec: dict[str, Any], actor: User) -> None:
    """Hand the jury set-up to the jury room (it validates criteria and aggregation)."""
    try:
        from contest_engine.jury.setup import configure_stage_jury
    except ImportError:  # the jury room is not installed: the flag alone is kept
        return
    configure_stage_jury(stage, spec, actor=actor)


def _create_bank(contest: Contest) -> int | None:
    try:
        from courses.quiz.services import create_bank
    except ImportError:
        return None
    bank = create_bank("contest", contest.id, contest.title)
    db.session.flush()
    return int(bank.id)


def add_stage(contest: Contest, item: StageSpec, *, actor: User, now: datetime) -> Stage:
    """Append a stage after the existing ones (the browser builds a contest stage by stage)."""
    stages = contest_stages(contest.id)
    probe = ContestSpec(title=contest.title, kind=contest.kind.value, timezone=contest.timezone,
                        divisions=["-"], stages=[_spec_of(s) for s in stages] + [item])
    index = len(stages)
    fields = {key.split(".", 2)[2]: message for key, message in _check_contest_spec(probe).items()
              if key.startswith(f"stages.{index}.")}
    if fields:
        raise Invalid(_("The stage cannot be saved: check the marked fields."), fields)
    stage = Stage(contest_id=contest.id, position=(stages[-1].position + 1) if stages else 1,
                  kind=StageKind(item.kind), state=StageState.SCHEDULED, has_jury=item.jury is not None,
                  **_stage_values(item))
    db.session.add(stage)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("Another stage was added at the same moment; reload and try again.")) from None
    if item.jury is not None:
        _configure_jury(stage, item.jury, actor)
    audit.record("stage.created", actor=actor, scope_type="contest", scope_id=contest.id,
                 object_type="stage", object_id=stage.id, details={"title": stage.title, "kind": stage.kind.value})
    _apply_clock([stage], now, actor)
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
    probe = ContestSpec(title=contest.title, kind=contest.kind.value, timezone=contest.timezone, divisions=["-"],
                        stages=specs)
    fields = {key.split(".", 2)[2]: message for key, message in _check_contest_spec(probe).items()
              if key.startswith(f"stages.{index}.") and not key.endswith(".jury")}
    moved = item.opens_at != stage.opens_at or item.closes_at != stage.closes_at
    if moved and stage.state not in (StageState.DRAFT, StageState.SCHEDULED):
        fields.setdefault("opens_at", _("The dates of a stage that has opened cannot change: extend or close it."))
    if stage.advanced_at is not None and (item.advancement or {}).get("rule") != stage.advancement_rule:
        fields.setdefault("advancement_rule", _("Advancement is already confirmed: the rule cannot change."))
    if fields:
        raise Invalid(_("The stage cannot be saved: check the marked fields."), fields)
    for name, value in _stage_values(item).items():
        setattr(stage, name, value)
    audit.record("stage.updated", actor=actor, scope_type="contest", scope_id=stage.contest_id,
                 object_type="stage", object_id=stage.id, details={"title": stage.title, "moved": moved})
    db.session.commit()
    return stage


def _stage_values(item: StageSpec) -> dict[str, Any]:
    """The stage columns an organiser's description sets (on creation and on every edit)."""
    config = item.advancement or {"rule": "all"}
    value = config.get("value")
    return {
        "title": item.title.strip(), "description": item.description,
        "opens_at": item.opens_at, "closes_at": item.closes_at, "advancement_rule": config["rule"],
        "advancement_value": Decimal(str(value)) if value is not None else None,
        "advancement_ties": config.get("ties") or "include_tied", "tiebreak_by_time": item.tiebreak_by_time,
        "accepts_text": item.accepts_text, "accepts_link": item.accepts_link, "accepts_files": item.accepts_files,
        "file_types": item.file_types, "max_file_mb": item.max_file_mb, "max_files": item.max_files,
    }


def _spec_of(stage: Stage) -> StageSpec:
    return StageSpec(title=stage.title, kind=stage.kind.value, opens_at=stage.opens_at, closes_at=stage.closes_at)


def update_contest(contest: Contest, *, title: str, description: str, rules: str, timezone: str,
                   asks_institution: bool, asks_grade: bool, asks_subject: bool, requires_consent: bool,
                   actor: User) -> Contest:
    """Edit the public texts and what registration asks for."""
    fields: dict[str, str] = {}
    if not title.strip():
        fields["title"] = _("Enter the title.")
    elif len(title.strip()) > _limit(Contest.title):
        fields["title"] = _too_long(Contest.title)
    if not is_valid_timezone(timezone):
        fields["timezone"] = _("Unknown time zone.")
    if fields:
        raise Invalid(_("The contest cannot be saved: check the marked fields."), fields)
    contest.title, contest.description, contest.rules, contest.timezone = title.strip(), description, rules, timezone
    contest.asks_institution, contest.asks_grade = asks_institution, asks_grade
    contest.asks_subject, contest.requires_consent = asks_subject, requires_consent
    audit.record("contest.updated", actor=actor, scope_type="contest", scope_id=contest.id,
                 object_type="contest", object_id=contest.id)
    db.session.commit()
    return contest


def add_organiser(contest: Contest, user: User, *, actor: User) -> None:
    """Name another organiser (idempotent)."""
    if user.role not in (Role.ORGANISER, Role.ADMIN):
        raise Invalid(_("Only organisers can organise a contest."), {"user_id": _("Not an organiser.")})
    exists_already = db.session.get(ContestOrganiser, (contest.id, user.id))
    if exists_already is None:
        db.session.add(ContestOrganiser(contest_id=contest.id, user_id=user.id))
        audit.record("contest.organiser_added", actor=actor, scope_type="contest", scope_id=contest.id,
                     object_type="user", object_id=user.id)
    db.session.commit()


# --------------------------------------------------------------------------- reading


def contest_stages(contest_id: int) -> list[Stage]:
    return list(db.session.scalars(select(Stage).where(Stage.contest_id == contest_id).order_by(Stage.position)))


def contest_divisions(contest_id: int) -> list[Division]:
    return list(db.session.scalars(
        select(Division).where(Division.contest_id == contest_id).order_by(Division.position, Division.id)))


def current_stage(stages: Sequence[Stage], now: datetime) -> Stage | None:
    """The open stage, else the next one to open, else the last one."""
    for stage in stages:
        if stage.state == StageState.OPEN:
            return stage
    upcoming = [s for s in stages if s.state in (StageState.SCHEDULED, StageState.DRAFT) and s.opens_at > now]
    if upcoming:
        return upcoming[0]
    return stages[-1] if stages else None


def find_participation(contest_id: int, user_id: int) -> Participation | None:
    return db.session.scalar(select(Participation).where(
        Participation.contest_id == contest_id, Participation.user_id == user_id))


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
    return bool(db.session.scalar(select(exists().where(
        StageParticipant.stage_id == stage.id, StageParticipant.participation_id == participation.id))))


# --------------------------------------------------------------------------- the clock


def _apply_clock(stages: Sequence[Stage], now: datetime, actor: User | None = None) -> list[str]:
    """Move each stage to its clock state with a conditional UPDATE (only from the state it was
    read in), so two processes running the clock at once change each stage once."""
    lines: list[str] = []
    for stage in stages:
        old = StageState(stage.state)
        new = clock_state(old, stage.opens_at, stage.closes_at, now)
        if new == old:
            continue
        result = db.session.execute(
            update(Stage).where(Stage.id == stage.id, Stage.state == old).values(state=new)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # another process moved it first
            db.session.refresh(stage)
            continue
        stage.state = new
        action = "stage.opened" if new == StageState.OPEN else "stage.closed"
        audit.record(action, actor=actor, scope_type="contest", scope_id=stage.contest_id,
                     object_type="stage", object_id=stage.id, reason=_("by the clock"),
                     details={"from": old.value, "to": new.value, "at": now.isoformat()})
        lines.append(f"stage {stage.id} {old.value} → {new.value}")
    return lines


def run_clock(now: datetime, *, contest_id: int | None = None) -> list[str]:
    """Open and close every due stage (or one contest's). Idempotent: a second run finds nothing due."""
    due = select(Stage).where(
        ((Stage.state == StageState.SCHEDULED) & (Stage.opens_at <= now))
        | ((Stage.state.in_([StageState.SCHEDULED, StageState.OPEN])) & (Stage.closes_at <= now))
    ).order_by(Stage.id)
    if contest_id is not None:
        due = due.where(Stage.contest_id == contest_id)
    stages = list(db.session.scalars(due))
    if not stages:
        return []
    lines = _apply_clock(stages, now)
    db.session.commit()
    return lines


@tick_job("contest stages")
def clock_job(now: datetime) -> list[str]:
    """`flask contests tick`: open and close stages by their times."""
    return run_clock(now)


def _transition(stage: Stage, action: StageAction, *, actor: User, now: datetime, reason: str = "",
                new_closes_at: datetime | None = None) -> Stage:
    old_state, old_close = StageState(stage.state), stage.closes_at
    try:
        target = apply_action(action, old_state, now=now, closes_at=old_close, new_closes_at=new_closes_at,
                              reason=reason)
    except StageTransitionError as error:
        raise _transition_error(error, action, old_state) from None
    values: dict[str, Any] = {"state": target}
    if new_closes_at is not None:
        stages = contest_stages(stage.contest_id)
        times = [StageTimes(s.opens_at, new_closes_at if s.id == stage.id else s.closes_at) for s in stages]
        if validate_timeline(times):
            raise Invalid(_("The new closing time overlaps the next stage."),
                          {"closes_at": _("The new closing time overlaps the next stage.")})
        values["closes_at"] = new_closes_at
    result = db.session.execute(
        update(Stage).where(Stage.id == stage.id, Stage.state == old_state, Stage.closes_at == old_close)
        .values(**values).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict(_("The stage was changed by someone else at the same moment; reload and try again."))
    audit.record(f"stage.{_ACTION_NAMES[action]}", actor=actor, scope_type="contest", scope_id=stage.contest_id,
                 object_type="stage", object_id=stage.id, reason=reason.strip(),
                 details={"from": old_state.value, "to": StageState(target).value,
                          "closes_at": (new_closes_at or old_close).isoformat()})
    db.session.commit()
    db.session.refresh(stage)
    return stage


_ACTION_NAMES = {StageAction.CLOSE: "closed", StageAction.REOPEN: "reopened", StageAction.EXTEND: "extended",
                 StageAction.START_JUDGING: "judging_started", StageAction.PUBLISH: "published",
                 StageAction.SCHEDULE: "scheduled"}


def _transition_error(error: StageTransitionError, action: StageAction, state: StageState) -> Exception:
    text = str(error)
    if "needs a reason" in text:
        return Invalid(_("Give a reason: participants will see the stage open again."),
                       {"reason": _("Give a reason.")})
    if "closing time" in text:
        return Invalid(_("The closing time must be later than now and than the current one."),
                       {"closes_at": _("The closing time must be later than now and than the current one.")})
    return Conflict(_("This cannot be done to a stage that is %(state)s.", state=state_label(state)))


def close_stage(stage: Stage, *, actor: User, now: datetime, reason: str = "") -> Stage:
    """Close an open stage early (by hand)."""
    run_clock(now, contest_id=stage.contest_id)
    db.session.refresh(stage)
    if stage.state == StageState.CLOSED and stage.closes_at <= now:
        return stage  # the clock closed it: closing is idempotent
    return _transition(stage, StageAction.CLOSE, actor=actor, now=now, reason=reason)


def reopen_stage(stage: Stage, *, actor: User, now: datetime, reason: str,
                 new_closes_at: datetime | None = None) -> Stage:
    """Reopen a closed stage, with a reason for the audit log and a close still ahead."""
    return _transition(stage, StageAction.REOPEN, actor=actor, now=now, reason=reason, new_closes_at=new_closes_at)


def extend_stage(stage: Stage, *, actor: User, now: datetime, new_closes_at: datetime, reason: str = "") -> Stage:
    """Keep an open stage open longer."""
    run_clock(now, contest_id=stage.contest_id)
    db.session.refresh(stage)
    return _transition(stage, StageAction.EXTEND, actor=actor, now=now, reason=reason, new_closes_at=new_closes_at)


def start_judging(stage: Stage, *, actor: User, now: datetime) -> Stage:
    return _transition(stage, StageAction.START_JUDGING, actor=actor, now=now)


def state_label(state: StageState | str) -> str:
    labels = {
        StageState.DRAFT: _("draft"), StageState.SCHEDULED: _("scheduled"), StageState.OPEN: _("open"),
        StageState.CLOSED: _("closed"), StageState.JUDGING: _("judging"),
        StageState.PUBLISHED: _("results published"),
    }
    return str(labels[StageState(state)])


def kind_label(kind: StageKind | str) -> str:
    labels = {StageKind.REGISTRATION: _("Registration"), StageKind.SUBMISSION: _("Submission"),
              StageKind.OLYMPIAD: _("Olympiad round"), StageKind.JURY: _("Jury stage")}
    return str(labels[StageKind(kind)])


# --------------------------------------------------------------------------- registration


def registration_open(stages: Sequence[Stage], now: datetime) -> bool:
    """With a registration stage, registration is open while it is; without one, until the first
    stage closes."""
    registration = [s for s in stages if s.kind == StageKind.REGISTRATION]
    if registration:
        return any(clock_state(s.state, s.opens_at, s.closes_at, now) == StageState.OPEN for s in registration)
    return bool(stages) and clock_state(stages[0].state, stages[0].opens_at, stages[0].closes_at, now) in (
        StageState.SCHEDULED, StageState.OPEN)


def _division_by(contest_id: int, division: int | str | None) -> Division | None:
    if division is None or division == "":
        return None
    query = select(Division).where(Division.contest_id == contest_id)
    if isinstance(division, int):
        return db.session.scalar(query.where(Division.id == division))
    return db.session.scalar(query.where(Division.name == str(division).strip()))


def register(contest: Contest, user: User, *, division: int | str | None, now: datetime,
             institution: str = "", grade: str = "", subject: str = "", consent: bool = False,
             actor: User | None = None) -> Participation:
    """Register `user` into a division. Participants register themselves while registration is open
    (it closes with its stage); organisers (`actor` given and not the user) may add at any time."""
    by_organiser = actor is not None and actor.id != user.id
    fields: dict[str, str] = {}
    found = _division_by(contest.id, division)
    if found is None:
        fields["division"] = _("Choose one of the contest's divisions.")
    if not by_organiser:
        if contest.asks_institution and not institution.strip() and user.institution_id is None:
            fields["institution"] = _("Enter your institution.")
        if contest.asks_grade and not grade.strip():
            fields["grade"] = _("Enter your grade.")
        if contest.asks_subject and not subject.strip():
            fields["subject"] = _("Enter your subject.")
        if contest.requires_consent and not consent:
            fields["consent"] = _("Registration needs your consent to the processing of personal data.")
    if len(grade) > 32 or len(institution) > 255 or len(subject) > 255:
        fields["grade" if len(grade) > 32 else "institution"] = _("Too long.")
    if fields:
        raise Invalid(_("Registration cannot be completed: check the marked fields."), fields)
    if not by_organiser:
        stages = contest_stages(contest.id)
        if not registration_open(stages, now):
            raise Conflict(_("Registration is closed."))
    if find_participation(contest.id, user.id) is not None:
        raise Conflict(_("Already registered in this contest."))
    user_institution = db.session.get(Institution, user.institution_id) if user.institution_id else None
    assert found is not None
    participation = Participation(
        contest_id=contest.id, user_id=user.id, division_id=found.id,
        institution_name=institution.strip() or (user_institution.name if user_institution else ""),
        district=user_institution.district if user_institution else "",
        grade=grade.strip(), subject=subject.strip(), consent_at=now if consent else None,
        imported=by_organiser, registered_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(participation)
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("Already registered in this contest.")) from None
    audit.record("participant.registered", actor=actor or user, scope_type="contest", scope_id=contest.id,
                 object_type="participation", object_id=participation.id,
                 details={"user_id": user.id, "division": found.name})
    db.session.commit()
    return participation


@dataclass
class ImportReport:
    created: int
    errors: list[tuple[int, str]]


_CSV_COLUMNS = (("institution", Participation.institution_name), ("grade", Participation.grade),
                ("subject", Participation.subject))


def _csv_too_long(row: dict[str, str]) -> str | None:
    """The message for the first column longer than what the database keeps, if any."""
    for name, column in _CSV_COLUMNS:
        if len(row.get(name, "")) > _limit(column):
            return _("The column “%(column)s” is too long (at most %(n)s characters).", column=name, n=_limit(column))
    return None


def import_participants(contest: Contest, text: str, *, actor: User, now: datetime) -> ImportReport:
    """Register people from CSV (`email,full_name,division[,institution,grade,subject]`), creating
    accounts that do not exist yet. All or nothing: any bad line and nothing is written."""
    from app.account_services import create_user, find_user_by_email

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    required = {"email", "division"}
    if not reader.fieldnames or not required <= {name.strip() for name in reader.fieldnames}:
        return ImportReport(0, [(1, _("The first line must name the columns: email, full_name, division."))])
    divisions = {d.name: d for d in contest_divisions(contest.id)}
    registered = set(db.session.scalars(select(Participation.user_id).where(Participation.contest_id == contest.id)))
    errors: list[tuple[int, str]] = []
    rows: list[tuple[int, dict[str, str]]] = []
    seen: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        email = row.get("email", "").lower()
        if not email or "@" not in email:
            errors.append((line, _("Enter a valid e-mail address.")))
        elif email in seen:
            errors.append((line, _("This e-mail appears twice in the file.")))
        elif row.get("division", "") not in divisions:
            errors.append((line, _("Unknown division “%(name)s”.", name=row.get("division", ""))))
        elif too_long := _csv_too_long(row):
            errors.append((line, too_long))
        else:
            seen.add(email)
            rows.append((line, row))
    if errors:
        return ImportReport(0, errors)
    role = Role.STUDENT if contest.kind != ContestKind.TEACHER else Role.TEACHER
    created = 0
    for line, row in rows:
        user = find_user_by_email(row["email"])
        if user is None:
            if not row.get("full_name"):
                errors.append((line, _("No account with this e-mail: give full_name to create one.")))
                continue
            try:
                user = create_user(email=row["email"], full_name=row["full_name"], role=role,
                                   password=secrets.token_urlsafe(24), actor=actor, commit=False)
            except Invalid as error:
                errors.append((line, error.message))
                continue
        if user.id in registered:
            errors.append((line, _("Already registered in this contest.")))
            continue
        registered.add(user.id)
        db.session.add(Participation(
            contest_id=contest.id, user_id=user.id, division_id=divisions[row["division"]].id,
            institution_name=row.get("institution", "") or (user.institution.name if user.institution else ""),
            district=user.institution.district if user.institution else "",
            grade=row.get("grade", ""), subject=row.get("subject", ""), imported=True, registered_at=now,
        ))
        created += 1
    if errors:
        db.session.rollback()
        return ImportReport(0, errors)
    audit.record("participants.imported", actor=actor, scope_type="contest", scope_id=contest.id,
                 details={"created": created})
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return ImportReport(0, [(1, _("Someone registered the same people at the same moment; try again."))])
    return ImportReport(created, [])


# --------------------------------------------------------------------------- entries


def submit_entry(stage: Stage, participation: Participation, *, text: str = "", link: str = "",
                 files: Sequence[FileStorage] = (), actor: User, now: datetime) -> Entry:
    """Hand in (or replace) a participant's entry while the stage is open; the earlier version is kept
    and stops being current, and the jury's assignments and sheets follow the new one
    (`jury.resubmission`). Refused (409) after the close and for those who did not advance."""
    if stage.kind not in (StageKind.SUBMISSION, StageKind.JURY):
        raise Conflict(_("This stage does not take entries."))
    run_clock(now, contest_id=stage.contest_id)
    db.session.refresh(stage)
    if stage.state != StageState.OPEN or now >= stage.closes_at:
        if now < stage.opens_at:
            raise Conflict(_("The stage is not open yet."))
        raise Conflict(_("The stage is closed: entries are no longer accepted."))
    if participation.contest_id != stage.contest_id:
        raise Conflict(_("You are not a participant of this contest."))
    if not is_admitted(stage, participation):
        raise Conflict(_("You did not advance to this stage, so you cannot submit an entry."))
    text, link = (text or "").strip(), (link or "").strip()
    files = [f for f in files if f and f.filename]
    fields: dict[str, str] = {}
    if text and not stage.accepts_text:
        fields["text"] = _("This stage does not take text.")
    if len(text) > MAX_TEXT:
        fields["text"] = _("Too long (at most %(n)s characters).", n=MAX_TEXT)
    if link and not stage.accepts_link:
        fields["link"] = _("This stage does not take links.")
    elif link and (len(link) > 1000 or not LINK_PATTERN.match(link)):
        fields["link"] = _("Enter a web address starting with http:// or https://.")
    if files and not stage.accepts_files:
        fields["files"] = _("This stage does not take files.")
    elif len(files) > stage.max_files:
        fields["files"] = _("At most %(n)s files.", n=stage.max_files)
    if not (text or link or files):
        fields["text"] = _("The entry is empty: add text, a link or a file.")
    if fields:
        raise Invalid(_("The entry cannot be saved: check the marked fields."), fields)
    rules = UploadRules(allowed_extensions=stage.extensions, max_bytes=stage.max_file_mb * 1024 * 1024)
    stored = []
    for file in files:
        try:
            stored.append(store_upload(file, rules, actor.id))
        except UploadError as error:
            db.session.rollback()
            raise Invalid(str(error), {"files": str(error)}) from None
    latest = db.session.scalar(select(func.max(Entry.version)).where(
        Entry.stage_id == stage.id, Entry.participation_id == participation.id)) or 0
    previous_id = db.session.scalar(select(Entry.id).where(
        Entry.stage_id == stage.id, Entry.participation_id == participation.id, Entry.is_current.is_(True)))
    db.session.execute(
        update(Entry).where(Entry.stage_id == stage.id, Entry.participation_id == participation.id,
                            Entry.is_current.is_(True)).values(is_current=False)
        .execution_options(synchronize_session=False)
    )
    entry = Entry(stage_id=stage.id, participation_id=participation.id, version=latest + 1, is_current=True,
                  text=text, link=link, submitted_at=now, submitted_by_id=actor.id)
    db.session.add(entry)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("Another version was saved at the same moment; reload and try again.")) from None
    for position, file in enumerate(stored):
        db.session.add(EntryFile(entry_id=entry.id, file_id=file.id, position=position))
    if previous_id is not None:
        follow_new_version(stage, previous_id, entry, actor=actor)
    audit.record("entry.submitted", actor=actor, scope_type="contest", scope_id=stage.contest_id,
                 object_type="entry", object_id=entry.id,
                 details={"stage_id": stage.id, "participation_id": participation.id, "version": entry.version})
    db.session.commit()
    return entry


def entry_files(entry_id: int) -> list[StoredFile]:
    return list(db.session.scalars(select(StoredFile).join(EntryFile, EntryFile.file_id == StoredFile.id)
                                   .where(EntryFile.entry_id == entry_id).order_by(EntryFile.position)))


def entry_versions(stage_id: int, participation_id: int) -> list[Entry]:
    return list(db.session.scalars(select(Entry).where(
        Entry.stage_id == stage_id, Entry.participation_id == participation_id).order_by(Entry.version.desc())))
