"""Jury use cases: each loads rows, applies the pure rules (scoring, allocation), writes, audits and
commits once. Callable from HTML views, the API and the contest room alike.

Public for other rooms: `configure_stage_jury`, `stage_scores`; conflicts of interest live in
`contest_engine.jury.conflicts`.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from sqlalchemy import and_, delete, exists, false, func, select, update
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import Role, User
from app.certificates import Certificate, CertificateKind
from app.domain_errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.i18n import _
from app.notifications import notify
from contest_engine.jury.conflicts import is_conflicted, scoring_standing
from contest_engine.jury.models import (
    DemoSlot,
    JuryAssignment,
    JuryConfig,
    JuryConflict,
    JuryCriterion,
    Score,
    ScoreSheet,
    SheetState,
    StageJuror,
)
from contest_engine.models import Contest, Division, Entry, Participation, Stage, StageParticipant
from contest_engine.rules import allocation as allocation_rules
from contest_engine.rules import scoring
from contest_engine.rules.ranking import rank
from contest_engine.rules.stages import StageKind

MAX_CRITERIA = 30
SAVE_RETRIES = 3


# --- the jury spec -----------------------------------------------------------------------------

@dataclass(frozen=True)
class CriterionSpec:
    name: str
    max_points: Decimal
    weight: Decimal
    description: str = ""
    levels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class JurySpec:
    criteria: tuple[CriterionSpec, ...]
    aggregation: scoring.Aggregation = scoring.Aggregation.MEAN
    jurors_per_entry: int | None = None
    blind: bool = False
    disagreement_threshold: Decimal | None = None
    scoring_due_at: datetime | None = None


def _points(raw: object, *, positive: bool = False) -> Decimal | None:
    """A number with at most 2 decimal places, or None when it is not one."""
    if isinstance(raw, bool) or raw is None:
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")) or value < 0:
        return None
    if positive and value == 0:
        return None
    if abs(value) >= Decimal(10) ** 6:
        return None
    return value


def _time(raw: object) -> datetime | None | bool:
    """An aware datetime from a datetime or ISO text; False when unreadable or naive."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        try:
            raw = datetime.fromisoformat(raw)
        except ValueError:
            return False
    if not isinstance(raw, datetime) or raw.tzinfo is None:
        return False
    return raw.astimezone(UTC)


def parse_levels(text: str) -> tuple[tuple[str, str], ...]:
    """Level descriptions typed one per line as "points: what it means" (or "points — …")."""
    levels = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        for separator in (":", "—", "-", "–"):
            if separator in line:
                points, meaning = line.split(separator, 1)
                levels.append((points.strip(), meaning.strip()))
                break
        else:
            levels.append(("", line))
    return tuple(levels)


def parse_spec(spec: Mapping[str, Any]) -> JurySpec:
    """Check the API's "jury" object; every problem is reported by field path in one Invalid."""
    fields: dict[str, str] = {}
    raw_criteria = spec.get("criteria")
    criteria: list[CriterionSpec] = []
    if not isinstance(raw_criteria, list) or not raw_criteria:
        fields["criteria"] = _("Give at least one criterion.")
    elif len(raw_criteria) > MAX_CRITERIA:
        fields["criteria"] = _("At most %(n)d criteria.", n=MAX_CRITERIA)
    else:
        seen: set[str] = set()
        for index, item in enumerate(raw_criteria):
            prefix = f"criteria.{index}"
            if not isinstance(item, Mapping):
                fields[prefix] = _("Must be an object.")
                continue
            name = str(item.get("name") or "").strip()
            if not name:
                fields[f"{prefix}.name"] = _("Enter the criterion's name.")
            elif len(name) > 200:
                fields[f"{prefix}.name"] = _("Too long (at most %(n)s characters).", n=200)
            elif name in seen:
                fields[f"{prefix}.name"] = _("Criterion names must be unique.")
            seen.add(name)
            max_points = _points(item.get("max_points"), positive=True)
            if max_points is None:
                fields[f"{prefix}.max_points"] = _("Must be a number above 0 with at most 2 decimal places.")
            weight_raw = item.get("weight", 1)
            weight = _points(1 if weight_raw is None else weight_raw)
            if weight is None:
                fields[f"{prefix}.weight"] = _("Must be a number of at least 0 with at most 2 decimal places.")
            levels_raw = item.get("levels") or []
            levels: list[tuple[str, str]] = []
            if isinstance(levels_raw, str):
                levels = list(parse_levels(levels_raw))
            elif isinstance(levels_raw, list | tuple):
                for level in levels_raw:
                    if isinstance(level, Mapping):
                        levels.append((str(level.get("points", "")), str(level.get("text", ""))))
            else:
                fields[f"{prefix}.levels"] = _("Must be a list.")
            if max_points is not None and weight is not None and name:
                criteria.append(CriterionSpec(name, max_points, weight, str(item.get("description") or ""),
                                              tuple(levels)))
    try:
        aggregation = scoring.Aggregation(spec.get("aggregation") or "mean")
    except ValueError:
        fields["aggregation"] = _("Must be one of: %(values)s.", values="mean, median, trimmed_mean, sum")
        aggregation = scoring.Aggregation.MEAN
    per_entry = spec.get("jurors_per_entry")
    if per_entry is not None and (isinstance(per_entry, bool) or not isinstance(per_entry, int) or per_entry < 1):
        fields["jurors_per_entry"] = _("Must be empty (every juror) or a whole number of at least 1.")
    blind = spec.get("blind", False)
    if not isinstance(blind, bool):
        fields["blind"] = _("Must be true or false.")
    threshold_raw = spec.get("disagreement_threshold")
    threshold = None if threshold_raw is None else _points(threshold_raw)
    if threshold_raw is not None and threshold is None:
        fields["disagreement_threshold"] = _("Must be a number of at least 0 with at most 2 decimal places.")
    due = _time(spec.get("scoring_due_at"))
    if due is False:
        fields["scoring_due_at"] = _("Must be a date and time in ISO 8601 with an offset.")
    if fields:
        raise Invalid(next(iter(fields.values())), fields)
    return JurySpec(tuple(criteria), aggregation, per_entry, bool(blind), threshold,
                    due if isinstance(due, datetime) else None)


def _stage_has_scores(stage_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(ScoreSheet.stage_id == stage_id))))


def configure_stage_jury(stage: Stage, spec: Mapping[str, Any], *, actor: User | None) -> JuryConfig:
    """Set a jury stage's criteria, aggregation, blind mode and jurors per entry.

    Called by the contest room when a stage is created with "jury", and by the organiser's page.
    Flushes only: the caller commits (so a contest created with several stages is all or nothing).
    Criteria cannot change once a juror has saved scores (the scores would lose their meaning).
    """
    parsed = parse_spec(spec)
    config = db.session.get(JuryConfig, stage.id)
    existing = list(db.session.scalars(select(JuryCriterion).where(JuryCriterion.stage_id == stage.id)
                                       .order_by(JuryCriterion.position)))
    same = [(c.name, c.max_points, c.weight) for c in existing] == [
        (c.name, c.max_points, c.weight) for c in parsed.criteria]
    if not same and existing and _stage_has_scores(stage.id):
        raise Conflict(_("Jurors have already scored this stage: its criteria can no longer change."))
    if config is None:
        config = JuryConfig(stage_id=stage.id)
        db.session.add(config)
    config.aggregation = parsed.aggregation
    config.jurors_per_entry = parsed.jurors_per_entry
    config.blind = parsed.blind
    config.disagreement_threshold = parsed.disagreement_threshold
    config.scoring_due_at = parsed.scoring_due_at
    if same:
        for row, item in zip(existing, parsed.criteria, strict=True):
            row.description = item.description
            row.levels = [{"points": p, "text": t} for p, t in item.levels]
    else:
        for row in existing:
            db.session.delete(row)
        db.session.flush()
        for position, item in enumerate(parsed.criteria):
            db.session.add(JuryCriterion(
                stage_id=stage.id, position=position, name=item.name, description=item.description,
                levels=[{"points": p, "text": t} for p, t in item.levels], max_points=item.max_points,
                weight=item.weight,
            ))
    audit.record("jury.configured", actor=actor, scope_type="contest", scope_id=stage.contest_id,
                 object_type="stage", object_id=stage.id,
                 details={"criteria": [c.name for c in parsed.criteria], "aggregation": parsed.aggregation.value,
                          "jurors_per_entry": parsed.jurors_per_entry, "blind": parsed.blind})
    db.session.flush()
    return config


def jury_config(stage: Stage) -> JuryConfig:
    """The stage's jury config; a jury stage created without one gets the defaults."""
    config = db.session.get(JuryConfig, stage.id)
    if config is None:
        config = JuryConfig(stage_id=stage.id, aggregation=scoring.Aggregation.MEAN, blind=False)
    return config


def stage_criteria(stage_id: int) -> list[JuryCriterion]:
    return list(db.session.scalars(select(JuryCriterion).where(JuryCriterion.stage_id == stage_id)
                                   .order_by(JuryCriterion.position, JuryCriterion.id)))


def spec_of(stage: Stage) -> dict[str, Any]:
    """The stage's jury spec in the API's shape (round-trips through configure_stage_jury)."""
    config = jury_config(stage)
    return {
        "criteria": [{"name": c.name, "max_points": str(c.max_points), "weight": str(c.weight),
                      "description": c.description, "levels": c.levels} for c in stage_criteria(stage.id)],
        "aggregation": config.aggregation.value if config.aggregation else "mean",
        "jurors_per_entry": config.jurors_per_entry,
        "blind": bool(config.blind),
        "disagreement_threshold": None if config.disagreement_threshold is None else str(config.disagreement_threshold),
        "scoring_due_at": config.scoring_due_at.isoformat() if config.scoring_due_at else None,
    }


def save_jury_settings(stage: Stage, *, aggregation: str, jurors_per_entry: int | None, blind: bool,
                       disagreement_threshold: Decimal | None, scoring_due_at: datetime | None,
                       slot_pick_deadline: datetime | None, actor: User) -> JuryConfig:
    """The organiser's settings form: everything except the criteria."""
    spec = spec_of(stage)
    spec.update(aggregation=aggregation, jurors_per_entry=jurors_per_entry, blind=blind,
                disagreement_threshold=disagreement_threshold, scoring_due_at=scoring_due_at)
    if not spec["criteria"]:
        spec["criteria"] = None
        try:
            parse_spec(spec)
        except Invalid as error:
            error.fields.pop("criteria", None)
            if error.fields:
                raise Invalid(next(iter(error.fields.values())), error.fields) from None
        config = db.session.get(JuryConfig, stage.id) or JuryConfig(stage_id=stage.id)
        db.session.add(config)
        config.aggregation = scoring.Aggregation(aggregation)
        config.jurors_per_entry, config.blind = jurors_per_entry, blind
        config.disagreement_threshold, config.scoring_due_at = disagreement_threshold, scoring_due_at
    else:
        config = configure_stage_jury(stage, spec, actor=actor)
    config.slot_pick_deadline = slot_pick_deadline
    db.session.commit()
    return config


def add_criterion(stage: Stage, *, name: str, max_points: object, weight: object, description: str,
                  levels: str, actor: User) -> JuryCriterion:
    """Add one criterion from the organiser's form (refused once scoring has started)."""
    spec = spec_of(stage)
    spec["criteria"].append({"name": name, "max_points": max_points, "weight": weight,
                             "description": description, "levels": levels})
    try:
        configure_stage_jury(stage, spec, actor=actor)
    except Invalid as error:
        index = len(spec["criteria"]) - 1
        fields = {key.rsplit(".", 1)[-1]: message for key, message in error.fields.items()
                  if key.startswith(f"criteria.{index}.")}
        raise Invalid(error.message, fields or error.fields) from None
    db.session.commit()
    return stage_criteria(stage.id)[-1]


def delete_criterion(criterion: JuryCriterion, *, actor: User) -> None:
    if _stage_has_scores(criterion.stage_id):
        raise Conflict(_("Jurors have already scored this stage: its criteria can no longer change."))
    stage = db.session.get(Stage, criterion.stage_id)
    db.session.delete(criterion)
    audit.record("jury.criterion_deleted", actor=actor, scope_type="contest",
                 scope_id=stage.contest_id if stage else None, object_type="criterion", object_id=criterion.id,
                 details={"name": criterion.name})
    db.session.commit()


# --- jurors -------------------------------------------------------------------------------------

@dataclass
class Invitation:
    juror: StageJuror
    user: User
    new_account: bool
    reset_token: str | None = None


def _check_division(stage: Stage, division_id: int | None) -> None:
    if division_id is None:
        return
    division = db.session.get(Division, division_id)
    if division is None or division.contest_id != stage.contest_id:
        message = _("No such section in this contest.")
        raise Invalid(message, {"division_id": message})


def add_stage_juror(stage: Stage, user: User, *, division_id: int | None = None, is_chair: bool = False,
                    actor: User | None, commit: bool = True) -> StageJuror:
    """Make an existing user a juror of a jury stage (optionally of one section). Their institution
    is frozen on the juror row now: later edits of their profile do not move the conflict check."""
    if stage.kind != StageKind.JURY and not stage.has_jury:
        raise Conflict(_("Jurors can only be invited to a stage judged by a jury."))
    if not user.active:
        message = _("This user is deactivated.")
        raise Invalid(message, {"user_id": message})
    _check_division(stage, division_id)
    if db.session.scalar(select(exists().where(StageJuror.stage_id == stage.id, StageJuror.user_id == user.id))):
        raise Conflict(_("%(name)s is already a juror of this stage.", name=user.full_name))
    juror = StageJuror(stage_id=stage.id, user_id=user.id, division_id=division_id, is_chair=is_chair,
                       institution_id=user.institution_id)
    try:
        with db.session.begin_nested():
            db.session.add(juror)
    except IntegrityError:
        raise Conflict(_("%(name)s is already a juror of this stage.", name=user.full_name)) from None
    notify(user.id, _("You are a juror of “%(stage)s”.", stage=stage.title), f"/jury/stages/{stage.id}/schedule")
    audit.record("jury.juror_added", actor=actor, scope_type="contest", scope_id=stage.contest_id,
                 object_type="user", object_id=user.id, details={"stage_id": stage.id, "division_id": division_id,
                                                                 "institution_id": user.institution_id})
    if commit:
        db.session.commit()
    return juror


def invite_juror(stage: Stage, *, email: str, full_name: str, division_id: int | None = None,
                 is_chair: bool = False, actor: User) -> Invitation:
    """Invite by e-mail: an existing account is added; otherwise a juror account is created without a
    usable password and the caller mails `reset_token` as a set-password link (after the commit)."""
    from app.account_services import create_user, find_user_by_email, make_reset_token

    user = find_user_by_email(email)
    new_account = user is None
    if user is None:
        if not full_name.strip():
            message = _("Enter the full name.")
            raise Invalid(message, {"full_name": message})
        user = create_user(email=email, full_name=full_name, password=secrets.token_urlsafe(24),
                           role=Role.JUROR, actor=actor, commit=False)
    juror = add_stage_juror(stage, user, division_id=division_id, is_chair=is_chair, actor=actor, commit=False)
    db.session.commit()
    return Invitation(juror, user, new_account, make_reset_token(user) if new_account else None)


def remove_stage_juror(juror: StageJuror, *, actor: User) -> None:
    """Only a juror with no saved scores can be removed (their work must not vanish)."""
    if db.session.scalar(select(exists().where(ScoreSheet.stage_id == juror.stage_id,
                                               ScoreSheet.juror_id == juror.user_id))):
        raise Conflict(_("This juror has already scored entries and cannot be removed."))
    stage = db.session.get(Stage, juror.stage_id)
    db.session.execute(delete(JuryAssignment).where(JuryAssignment.stage_id == juror.stage_id,
                                                    JuryAssignment.juror_id == juror.user_id))
    db.session.delete(juror)
    audit.record("jury.juror_removed", actor=actor, scope_type="contest", scope_id=stage.contest_id if stage else None,
                 object_type="user", object_id=juror.user_id, details={"stage_id": juror.stage_id})
    db.session.commit()


def stage_jurors(stage_id: int) -> list[tuple[StageJuror, User]]:
    rows = db.session.execute(select(StageJuror, User).join(User, User.id == StageJuror.user_id)
                              .where(StageJuror.stage_id == stage_id).order_by(User.full_name, User.id)).all()
    return [(row[0], row[1]) for row in rows]


def is_stage_juror(user_id: int, stage_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(StageJuror.stage_id == stage_id,
                                                        StageJuror.user_id == user_id))))


def is_chair(user_id: int, stage_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(StageJuror.stage_id == stage_id, StageJuror.user_id == user_id,
                                                        StageJuror.is_chair.is_(True)))))


# --- allocation ---------------------------------------------------------------------------------

def _current_entries(stage_id: int) -> list[Any]:
    return list(db.session.execute(
        select(Entry.id, Entry.participation_id, Participation.division_id, User.institution_id,
               User.full_name, Participation.user_id)
        .join(Participation, Participation.id == Entry.participation_id)
        .join(User, User.id == Participation.user_id)
        .where(Entry.stage_id == stage_id, Entry.is_current.is_(True))
        .order_by(Entry.id)
    ).all())


def allocate_stage(stage: Stage, *, actor: User) -> list[JuryAssignment]:
    """Assign the stage's current entries to its jurors (all, or K per entry with balanced load),
    per section when jurors have sections; keeps what is still allowed, so re-running after late
    entries or new conflicts only fills the gaps. Nothing is written if any entry cannot be served."""
    config = jury_config(stage)
    jurors = db.session.execute(select(StageJuror.user_id, StageJuror.division_id, StageJuror.institution_id)
                                .where(StageJuror.stage_id == stage.id)).all()
    if not jurors:
        raise Conflict(_("Invite jurors to this stage first."))
    entries = _current_entries(stage.id)
    conflicts = [(row.juror_id, row.participation_id) for row in db.session.execute(
        select(JuryConflict.juror_id, JuryConflict.participation_id).where(JuryConflict.contest_id == stage.contest_id))]
    existing_rows = list(db.session.scalars(select(JuryAssignment).where(JuryAssignment.stage_id == stage.id)))
    existing = [(a.juror_id, a.entry_id) for a in existing_rows]
    divisions = {d.id: d.name for d in db.session.scalars(select(Division).where(Division.contest_id == stage.contest_id))}
    sectioned = any(j.division_id is not None for j in jurors)
    groups: dict[int | None, list[Any]] = defaultdict(list)
    for entry in entries:
        groups[entry.division_id if sectioned else None].append(entry)
    added: list[allocation_rules.Assignment] = []
    dropped: set[tuple[int, int]] = set()
    problems: list[str] = []
    entry_ids = {e.id for e in entries}
    dropped.update(pair for pair in existing if pair[1] not in entry_ids)
    for division_id, group in sorted(groups.items(), key=lambda kv: kv[0] or 0):
        pool = [allocation_rules.Juror(j.user_id, j.institution_id) for j in jurors
                if not sectioned or j.division_id in (None, division_id)]
        group_ids = {e.id for e in group}
        try:
            result = allocation_rules.allocate(
                [allocation_rules.Entry(e.id, e.participation_id, e.institution_id) for e in group],
                pool, per_entry=config.jurors_per_entry, conflicts=conflicts,
                existing=[pair for pair in existing if pair[1] in group_ids],
            )
        except allocation_rules.AllocationError as error:
            section = divisions.get(division_id, "") if sectioned else ""
            for shortfall in error.shortfalls:
                problems.append(_(
                    "Entry #%(entry)s%(section)s: %(eligible)d jurors without a conflict, %(needed)d needed.",
                    entry=shortfall.entry_id, eligible=shortfall.eligible, needed=shortfall.required,
                    section=(" (" + _("section “%(name)s”", name=section) + ")") if section else ""))
            continue
        added.extend(result.added)
        dropped.update((p.juror_id, p.entry_id) for p in result.dropped)
    if problems:
        raise Conflict(_("Allocation is impossible: %(details)s", details=" ".join(problems[:20])))
    if dropped:
        for row in existing_rows:
            if (row.juror_id, row.entry_id) in dropped:
                db.session.delete(row)
    for pair in added:
        db.session.add(JuryAssignment(stage_id=stage.id, entry_id=pair.entry_id, juror_id=pair.juror_id))
    audit.record("jury.allocated", actor=actor, scope_type="contest", scope_id=stage.contest_id,
                 object_type="stage", object_id=stage.id, details={"added": len(added), "dropped": len(dropped)})
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("Another allocation ran at the same time. Reload and try again.")) from None
    return stage_assignments(stage.id)


def stage_assignments(stage_id: int) -> list[JuryAssignment]:
    return list(db.session.scalars(select(JuryAssignment).where(JuryAssignment.stage_id == stage_id)
                                   .order_by(JuryAssignment.entry_id, JuryAssignment.juror_id)))


def move_assignment(assignment: JuryAssignment, to_juror_id: int, *, actor: User) -> JuryAssignment:
    """The organiser moves one assignment to another juror of the stage, checking conflicts."""
    stage = db.session.get(Stage, assignment.stage_id)
    assert stage is not None
    target = db.session.get(User, to_juror_id)
    juror_row = db.session.scalar(select(StageJuror).where(StageJuror.stage_id == stage.id,
                                                           StageJuror.user_id == to_juror_id))
    if target is None or juror_row is None:
        message = _("Choose a juror of this stage.")
        raise Invalid(message, {"juror_id": message})
    entry = db.session.get(Entry, assignment.entry_id)
    assert entry is not None
    if is_conflicted(target.id, entry):
        message = _("This juror has a conflict of interest with the participant.")
        raise Invalid(message, {"juror_id": message})
    if db.session.scalar(select(exists().where(ScoreSheet.entry_id == entry.id,
                                               ScoreSheet.juror_id == assignment.juror_id))):
        raise Conflict(_("The juror has already scored this entry: the assignment cannot move."))
    previous = assignment.juror_id
    assignment.juror_id = to_juror_id
    audit.record("jury.assignment_moved", actor=actor, scope_type="contest", scope_id=stage.contest_id,
                 object_type="entry", object_id=entry.id, details={"from": previous, "to": to_juror_id})
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        message = _("This juror already has this entry.")
        raise Invalid(message, {"juror_id": message}) from None
    return assignment


# --- scoring ------------------------------------------------------------------------------------

def scoring_closed(stage: Stage, config: JuryConfig | None = None) -> bool:
    """Closed by the organiser, or the results are published (changes then go through appeals)."""
    config = config or jury_config(stage)
    return config.scoring_closed_at is not None or stage.results_published_at is not None


def mark_messages(errors: Mapping[str, str]) -> dict[str, str]:
    """The pure rule's English reasons, translated for the form or the API."""
    translated = {}
    for name, reason in errors.items():
        if reason == "not a number":
            translated[name] = _("Must be a number.")
        elif reason == "must not be below 0":
            translated[name] = _("Must be at least %(n)s.", n=0)
        elif reason.startswith("must not be above"):
            translated[name] = _("Must be at most %(n)s.", n=reason.rsplit(" ", 1)[-1])
        elif reason == "unknown criterion":
            translated[name] = _("There is no such criterion.")
        elif reason == "missing":
            translated[name] = _("Give points for this criterion.")
        else:
            translated[name] = reason
    return translated


def _validated(criteria: list[JuryCriterion], marks: Mapping[str, object], complete: bool) -> dict[str, Decimal]:
    rules = [scoring.Criterion(c.name, c.max_points, c.weight) for c in criteria]
    try:
        parsed = scoring.validate_marks(rules, marks, complete=complete)
    except scoring.MarkError as error:
        fields = mark_messages(error.errors)
        raise Invalid(_("Some points are invalid."), {f"criteria.{k}": v for k, v in fields.items()}) from None
    too_precise = {f"criteria.{k}": _("At most 2 decimal places.") for k, v in parsed.items()
                   if v != v.quantize(Decimal("0.01"))}
    if too_precise:
        raise Invalid(_("Some points are invalid."), too_precise)
    return parsed


TOTAL_SCALE = 10_000  # ScoreSheet.weighted_total: points (hundredths) × weight (hundredths)


def _hundredths(value: Decimal) -> int:
    scaled = Decimal(value) * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than 2 decimal places")
    return int(scaled)


def sheet_weighted_total(criteria: list[JuryCriterion], points: Mapping[int, Decimal]) -> int | None:
    """The stored `ScoreSheet.weighted_total` for a sheet's points by criterion id: Σ points × weight
    in ten-thousandths (exact integers), or None while some criterion has no points."""
    total = 0
    for criterion in criteria:
        if criterion.id not in points:
            return None
        total += _hundredths(points[criterion.id]) * _hundredths(criterion.weight)
    return total


def save_scores(entry: Entry, juror: User, marks: Mapping[str, object], comment: str = "", *, submit: bool,
                now: datetime) -> ScoreSheet:
    """Save a juror's sheet for an entry: a draft (some criteria may be empty) or submitted (all).

    A submitted sheet stays submitted: later saves must be complete and replace the marks until
    scoring closes. One sheet per juror and entry (unique); a concurrent save by the same juror
    that loses the insert race retries as an update, so both saves land on the one sheet.
    """
    stage = db.session.get(Stage, entry.stage_id)
    assert stage is not None
    assigned, conflicted = scoring_standing(juror.id, entry)
    if not assigned:
        raise Forbidden(_("This entry is not assigned to you."))
    if conflicted:
        raise Forbidden(_("You have a conflict of interest with this participant: your score cannot be saved."))
    if scoring_closed(stage):
        raise Conflict(_("Scoring of this stage is closed."))
    criteria = stage_criteria(stage.id)
    if not criteria:
        raise Conflict(_("The organiser has not defined the criteria yet."))
    if len(comment) > 10000:
        message = _("Too long (at most %(n)s characters).", n=10000)
        raise Invalid(message, {"comment": message})
    entry_id, juror_id, stage_id = entry.id, juror.id, stage.id
    for attempt in range(SAVE_RETRIES):
        try:
            return _write_sheet(stage_id, entry_id, juror_id, criteria, marks, comment, submit, now)
        except IntegrityError:
            db.session.rollback()
            if attempt == SAVE_RETRIES - 1:
                raise Conflict(_("The scores were saved at the same time elsewhere. Reload and try again.")) from None
            criteria = stage_criteria(stage_id)
    raise AssertionError("unreachable")


def _write_sheet(stage_id: int, entry_id: int, juror_id: int, criteria: list[JuryCriterion],
                 marks: Mapping[str, object], comment: str, submit: bool, now: datetime) -> ScoreSheet:
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.entry_id == entry_id,
                                                       ScoreSheet.juror_id == juror_id))
    if sheet is None:
        was_submitted = False
        parsed = _validated(criteria, marks, complete=submit)
        sheet = ScoreSheet(stage_id=stage_id, entry_id=entry_id, juror_id=juror_id, state=SheetState.DRAFT,
                           comment=comment, updated_at=now)
        db.session.add(sheet)
        db.session.flush()
    else:
        # Takes the row lock on PostgreSQL: two saves of one sheet run one after the other, and the
        # state read after it is the one the other save committed (so only one of them audits).
        db.session.execute(update(ScoreSheet).where(ScoreSheet.id == sheet.id).values(updated_at=now))
        db.session.refresh(sheet)
        was_submitted = sheet.state == SheetState.SUBMITTED
        try:
            parsed = _validated(criteria, marks, complete=submit or was_submitted)
        except Invalid:
            db.session.rollback()
            raise
    by_criterion = {s.criterion_id: s for s in db.session.scalars(select(Score).where(Score.sheet_id == sheet.id))}
    before = {c.name: str(by_criterion[c.id].points) for c in criteria if c.id in by_criterion}
    for criterion in criteria:
        row = by_criterion.get(criterion.id)
        if criterion.name in parsed:
            if row is None:
                db.session.add(Score(sheet_id=sheet.id, criterion_id=criterion.id, points=parsed[criterion.name]))
            else:
                row.points = parsed[criterion.name]
        elif row is not None:
            db.session.delete(row)
    sheet.comment = comment
    sheet.updated_at = now
    if submit or was_submitted:
        sheet.state = SheetState.SUBMITTED
        sheet.submitted_at = now
    # The sheet's points are now exactly `parsed` (criteria without points were deleted above).
    sheet.weighted_total = (sheet_weighted_total(criteria, {c.id: parsed[c.name] for c in criteria if c.name in parsed})
                            if sheet.state == SheetState.SUBMITTED else None)
    after = {k: str(v) for k, v in parsed.items()}
    # Audited only by the save that changed something: a repeated or concurrent identical submit
    # writes no second row.
    if was_submitted and after != before:
        audit.record("jury.score_changed", actor=db.session.get(User, juror_id), scope_type="stage", scope_id=stage_id,
                     object_type="entry", object_id=entry_id,
                     details={"before": before, "after": after})
    elif submit and not was_submitted:
        audit.record("jury.score_submitted", actor=db.session.get(User, juror_id), scope_type="stage",
                     scope_id=stage_id, object_type="entry", object_id=entry_id,
                     details={"after": after})
    db.session.commit()
    return sheet


def sheet_for(entry_id: int, juror_id: int) -> tuple[ScoreSheet | None, dict[int, Decimal]]:
    """A juror's sheet for an entry and its points by criterion id (for the scoring form)."""
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.entry_id == entry_id, ScoreSheet.juror_id == juror_id))
    if sheet is None:
        return None, {}
    points = {row.criterion_id: row.points for row in db.session.scalars(select(Score).where(Score.sheet_id == sheet.id))}
    return sheet, points


def close_scoring(stage: Stage, *, actor: User, now: datetime) -> None:
    """Close scoring once (a conditional update: two clicks close it once)."""
    if db.session.get(JuryConfig, stage.id) is None:
        db.session.add(JuryConfig(stage_id=stage.id))
        db.session.flush()
    result = db.session.execute(update(JuryConfig).where(JuryConfig.stage_id == stage.id,
                                                         JuryConfig.scoring_closed_at.is_(None))
                                .values(scoring_closed_at=now))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise Conflict(_("Scoring of this stage is already closed."))
    audit.record("jury.scoring_closed", actor=actor, scope_type="contest", scope_id=stage.contest_id,
                 object_type="stage", object_id=stage.id)
    db.session.commit()


def reopen_scoring(stage: Stage, *, actor: User, reason: str) -> None:
    """Reopen before publication (e.g. a juror fell ill); the reason goes to the audit log."""
    if stage.results_published_at is not None:
        raise Conflict(_("Results are published: scores change only through appeals."))
    if not reason.strip():
        message = _("Give a reason.")
        raise Invalid(message, {"reason": message})
    db.session.execute(update(JuryConfig).where(JuryConfig.stage_id == stage.id).values(scoring_closed_at=None))
    audit.record("jury.scoring_reopened", actor=actor, scope_type="contest", scope_id=stage.contest_id,
                 object_type="stage", object_id=stage.id, reason=reason.strip())
    db.session.commit()


# --- reading scores: overview, stage scores, progress, queue -----------------------------------

@dataclass
class JurorMark:
    juror_id: int
    juror_name: str
    state: str  # "missing" | "draft" | "submitted"
    total: Decimal | None = None
    points: dict[str, Decimal] = field(default_factory=dict)
    comment: str = ""
    sheet_id: int | None = None


@dataclass
class OverviewRow:
    entry_id: int
    participation_id: int
    participant_name: str
    division_id: int
    division: str
    marks: list[JurorMark]
    score: Fraction | None = None
    spread: Fraction | None = None
    disagreement: bool = False
    rank: int | None = None
    missing_jurors: list[int] = field(default_factory=list)

    @property
    def score_display(self) -> str:
        return scoring.display(self.score) if self.score is not None else ""

    @property
    def spread_display(self) -> str:
        return scoring.display(self.spread) if self.spread is not None else ""


@dataclass
class Overview:
    criteria: list[JuryCriterion]
    config: JuryConfig
    rows: list[OverviewRow]


def aggregate_scaled(totals: list[int], method: scoring.Aggregation | str, scale: int) -> Fraction:
    """`scoring.aggregate` of the totals `t / scale`, on the integers `t`: every method is a sum, a
    mean or a median, so scaling all totals scales the result alike, and the division by `scale`
    happens once, in the single Fraction made. Same refusals and trimming rules as `aggregate`
    (tests/services/test_jury_scoring.py checks both agree)."""
    method = scoring.Aggregation(method)
    count = len(totals)
    if count == 0:
        raise ValueError("no juror totals to aggregate")
    if method is scoring.Aggregation.SUM:
        return Fraction(sum(totals), scale)
    if method is scoring.Aggregation.MEAN or (method is scoring.Aggregation.TRIMMED_MEAN and count < 3):
        return Fraction(sum(totals), count * scale)
    ordered = sorted(totals)
    if method is scoring.Aggregation.TRIMMED_MEAN:
        return Fraction(sum(ordered[1:-1]), (count - 2) * scale)
    middle = count // 2
    if count % 2:
        return Fraction(ordered[middle], scale)
    return Fraction(ordered[middle - 1] + ordered[middle], 2 * scale)


def scores_overview(stage: Stage, *, page: int | None = None, per_page: int = 100,
                    with_details: bool = True) -> Overview:
    """Every current entry with each assigned juror's total, spread, aggregated score and rank per
    division, sorted for display; criterion points and comments are loaded for one page of rows
    (all rows when `page` is None). Six queries whatever the number of entries and jurors.

    Jurors' totals are read from `ScoreSheet.weighted_total` (integers in ten-thousandths, kept by
    every score write), so they stay exact and the ranking reads one row per (entry, juror), never
    the per-criterion rows.
    """
    config = jury_config(stage)
    criteria = stage_criteria(stage.id)
    names = {c.id: c.name for c in criteria}
    entries = db.session.execute(
        select(Entry.id, Entry.participation_id, Participation.division_id, Division.name, User.full_name)
        .join(Participation, Participation.id == Entry.participation_id)
        .join(User, User.id == Participation.user_id)
        .join(Division, Division.id == Participation.division_id)
        .where(Entry.stage_id == stage.id, Entry.is_current.is_(True)).order_by(Entry.id)
    ).all()
    # The stage's jurors once (in the database's name order), not a joined name per assignment.
    juror_names = dict(db.session.execute(
        select(User.id, User.full_name).where(User.id.in_(
            select(JuryAssignment.juror_id).where(JuryAssignment.stage_id == stage.id).distinct()))
        .order_by(User.full_name, User.id)).all())
    # The large reads go through the Core connection: plain rows, no ORM result machinery.
    connection = db.session.connection()
    assigned: dict[int, list[int]] = defaultdict(list)
    for entry_id, juror_id in connection.execute(select(JuryAssignment.entry_id, JuryAssignment.juror_id)
                                                 .where(JuryAssignment.stage_id == stage.id)):
        assigned[entry_id].append(juror_id)
    juror_order = {juror_id: position for position, juror_id in enumerate(juror_names)}
    # (entry, juror) -> (sheet id, weighted total or None): the total is set only on a submitted
    # sheet with points for every criterion, so None means the juror is still missing.
    sheets: dict[tuple[int, int], tuple[int, int | None]] = {
        (entry_id, juror_id): (sheet_id, None if total is None or state != SheetState.SUBMITTED else int(total))
        for sheet_id, entry_id, juror_id, state, total in connection.execute(
            select(ScoreSheet.id, ScoreSheet.entry_id, ScoreSheet.juror_id, ScoreSheet.state,
                   ScoreSheet.weighted_total)
            .where(ScoreSheet.stage_id == stage.id))}
    # Aggregation on the integer totals (see aggregate_scaled): one Fraction per entry instead of
    # Decimal and Fraction arithmetic per juror; the threshold is compared on integers too. Exact.
    scale = TOTAL_SCALE
    method = scoring.Aggregation(config.aggregation or scoring.Aggregation.MEAN)
    threshold = (scoring.to_fraction(config.disagreement_threshold, name="threshold") * scale
                 if config.disagreement_threshold is not None else None)
    rows: list[OverviewRow] = []
    for entry in entries:
        marks: list[JurorMark] = []
        totals: list[int] = []
        missing: list[int] = []
        jurors = assigned.get(entry.id, [])
        if len(jurors) > 1:
            jurors.sort(key=juror_order.__getitem__)
        for juror_id in jurors:
            sheet_id, summed = sheets.get((entry.id, juror_id), (None, None))
            juror_name = juror_names[juror_id]
            if summed is None:
                missing.append(juror_id)
                marks.append(JurorMark(juror_id, juror_name, "draft" if sheet_id else "missing", sheet_id=sheet_id))
                continue
            totals.append(summed)
            marks.append(JurorMark(juror_id, juror_name, "submitted", Decimal(summed) / scale, sheet_id=sheet_id))
        row = OverviewRow(entry.id, entry.participation_id, entry.full_name, entry.division_id, entry.name, marks,
                          missing_jurors=missing)
        if totals and not missing:
            row.score = aggregate_scaled(totals, method, scale)
        if totals:
            gap = max(totals) - min(totals)
            row.spread = Fraction(gap, scale)
            if threshold is not None:
                row.disagreement = gap > threshold
        rows.append(row)
    by_division: dict[int, list[OverviewRow]] = defaultdict(list)
    for row in rows:
        if row.score is not None:
            by_division[row.division_id].append(row)
    for group in by_division.values():
        ranks = {r.participant_id: r.rank for r in rank([(row.participation_id, row.score) for row in group
                                                          if row.score is not None])}
        for row in group:
            row.rank = ranks[row.participation_id]
    rows.sort(key=lambda r: (r.division, r.rank is None, r.rank or 0, r.entry_id))
    if with_details:
        _fill_details(rows if page is None else rows[(page - 1) * per_page: page * per_page], names)
    return Overview(criteria, config, rows)


def _fill_details(rows: list[OverviewRow], names: dict[int, str]) -> None:
    """Criterion points and comments of the shown rows' sheets: two queries."""
    by_sheet = {mark.sheet_id: mark for row in rows for mark in row.marks if mark.sheet_id is not None}
    if not by_sheet:
        db.session.execute(select(Score.id).where(false()))  # keep the query count fixed
        db.session.execute(select(ScoreSheet.id).where(false()))
        return
    for sheet_id, criterion_id, points in db.session.execute(
            select(Score.sheet_id, Score.criterion_id, Score.points).where(Score.sheet_id.in_(list(by_sheet)))):
        if criterion_id in names:
            by_sheet[sheet_id].points[names[criterion_id]] = points
    for sheet_id, comment in db.session.execute(
            select(ScoreSheet.id, ScoreSheet.comment).where(ScoreSheet.id.in_(list(by_sheet)))):
        by_sheet[sheet_id].comment = comment


def entry_scores(stage: Stage, entry_id: int) -> tuple[OverviewRow | None, list[JuryCriterion]]:
    """One entry's overview row with its jurors' points and comments (the appeal page), and the
    stage's criteria: the overview without details, then the details of that row only."""
    overview = scores_overview(stage, with_details=False)
    row = next((r for r in overview.rows if r.entry_id == entry_id), None)
    _fill_details([row] if row else [], {c.id: c.name for c in overview.criteria})
    return row, overview.criteria


@dataclass(frozen=True)
class BlockedEntry:
    entry_id: int
    participation_id: int
    missing_jurors: list[int]


@dataclass(frozen=True)
class StageScores:
    scores: dict[int, Fraction]
    blocked: list[BlockedEntry]


def stage_scores(stage: Stage) -> StageScores:
    """For the contest room's results, advancement and awards: the exact aggregated score per
    participation, and entries that cannot be scored yet (an assigned juror has not submitted, or no
    juror is assigned) with the jurors they wait for."""
    overview = scores_overview(stage, with_details=False)
    scores: dict[int, Fraction] = {}
    blocked: list[BlockedEntry] = []
    for row in overview.rows:
        if row.score is not None:
            scores[row.participation_id] = row.score
        else:
            blocked.append(BlockedEntry(row.entry_id, row.participation_id, list(row.missing_jurors)))
    return StageScores(scores, blocked)


@dataclass(frozen=True)
class JurorProgress:
    user_id: int
    full_name: str
    email: str
    assigned: int
    submitted: int
    drafts: int
    late: bool


def jury_progress(stage: Stage, now: datetime) -> list[JurorProgress]:
    """Who has scored what; a juror is late with unsubmitted work past the scoring due date."""
    config = jury_config(stage)
    assigned = dict(db.session.execute(select(JuryAssignment.juror_id, func.count())
                                       .where(JuryAssignment.stage_id == stage.id)
                                       .group_by(JuryAssignment.juror_id)).all())
    states: dict[tuple[int, str], int] = {}
    for juror_id, state, count in db.session.execute(
        select(ScoreSheet.juror_id, ScoreSheet.state, func.count())
        .join(JuryAssignment, and_(JuryAssignment.entry_id == ScoreSheet.entry_id,
                                   JuryAssignment.juror_id == ScoreSheet.juror_id))
        .where(ScoreSheet.stage_id == stage.id).group_by(ScoreSheet.juror_id, ScoreSheet.state)
    ).all():
        states[(juror_id, str(state))] = count
    overdue = config.scoring_due_at is not None and now > config.scoring_due_at
    result = []
    for _juror, user in stage_jurors(stage.id):
        total = assigned.get(user.id, 0)
        done = states.get((user.id, SheetState.SUBMITTED.value), 0)
        result.append(JurorProgress(user.id, user.full_name, user.email, total, done,
                                    states.get((user.id, SheetState.DRAFT.value), 0), overdue and done < total))
    return result


def remind_late_jurors(stage: Stage, *, actor: User, now: datetime) -> list[JurorProgress]:
    """Notify each late juror; the caller mails them after this commits."""
    late = [p for p in jury_progress(stage, now) if p.late]
    for progress in late:
        notify(progress.user_id, _("Reminder: %(n)d entries of “%(stage)s” are waiting for your scores.",
                                   n=progress.assigned - progress.submitted, stage=stage.title), "/jury/")
    audit.record("jury.reminded", actor=actor, scope_type="contest", scope_id=stage.contest_id,
                 object_type="stage", object_id=stage.id, details={"jurors": [p.user_id for p in late]})
    db.session.commit()
    return late


@dataclass(frozen=True)
class QueueItem:
    entry_id: int
    stage_id: int
    stage_title: str
    contest_title: str
    state: str  # "missing" | "draft" | "submitted"
    closed: bool

    @property
    def scored(self) -> bool:
        return self.state == SheetState.SUBMITTED.value


def juror_queue_query(juror_id: int) -> Any:
    """The juror's assignments with their sheet state, for pagination (names never included)."""
    return (
        select(JuryAssignment.entry_id, JuryAssignment.stage_id, Stage.title, Contest.title.label("contest_title"),
               ScoreSheet.state, JuryConfig.scoring_closed_at, Stage.results_published_at)
        .join(Stage, Stage.id == JuryAssignment.stage_id)
        .join(Contest, Contest.id == Stage.contest_id)
        .outerjoin(ScoreSheet, and_(ScoreSheet.entry_id == JuryAssignment.entry_id,
                                    ScoreSheet.juror_id == JuryAssignment.juror_id))
        .outerjoin(JuryConfig, JuryConfig.stage_id == JuryAssignment.stage_id)
        .where(JuryAssignment.juror_id == juror_id)
        .order_by(ScoreSheet.state.is_not(None), JuryAssignment.stage_id, JuryAssignment.entry_id)
    )


def queue_item(row: Any) -> QueueItem:
    return QueueItem(row[0], row[1], row[2], row[3], str(row[4]) if row[4] else "missing",
                     row[5] is not None or row[6] is not None)


# --- certificates of jury work ------------------------------------------------------------------

def issue_jury_certificates(stage: Stage, *, actor: User, now: datetime) -> list[Certificate]:
    """One certificate of jury work per juror who submitted scores on the stage (re-issuing keeps codes)."""
    from app.certificates import issue

    contest = db.session.get(Contest, stage.contest_id)
    assert contest is not None
    rows = db.session.execute(select(User, func.count(ScoreSheet.id))
                              .join(ScoreSheet, ScoreSheet.juror_id == User.id)
                              .where(ScoreSheet.stage_id == stage.id, ScoreSheet.state == SheetState.SUBMITTED)
                              .group_by(User.id).order_by(User.full_name)).all()
    if not rows:
        raise Conflict(_("No juror has submitted scores on this stage yet."))
    issued = []
    for user, count in rows:
        issued.append(issue(kind=CertificateKind.JURY, user_id=user.id, holder=user.full_name,
                            title=f"{contest.title}: {stage.title}", source_type="jury_stage", source_id=stage.id,
                            details=_("Member of the jury; entries scored: %(n)d", n=count), now=now))
    audit.record("jury.certificates_issued", actor=actor, scope_type="contest", scope_id=contest.id,
                 object_type="stage", object_id=stage.id, details={"count": len(issued)})
    db.session.commit()
    return issued


def jury_certificates(stage_id: int) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.source_type == "jury_stage",
                                                             Certificate.source_id == stage_id,
                                                             Certificate.kind == CertificateKind.JURY)
                                   .order_by(Certificate.holder)))


def juror_certificates(user_id: int) -> list[Certificate]:
    """A juror's own certificates of jury work, newest first."""
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user_id,
                                                             Certificate.kind == CertificateKind.JURY,
                                                             Certificate.revoked_at.is_(None))
                                   .order_by(Certificate.issued_at.desc()).limit(50)))


def organised_jury_stages(user: User, admin: bool) -> list[Any]:
    """Jury stages of the contests `user` organises (every contest for an admin): the organiser's way in."""
    from contest_engine.models import ContestOrganiser

    query = (select(Stage.id, Stage.title, Contest.title.label("contest_title"))
             .join(Contest, Contest.id == Stage.contest_id)
             .where((Stage.kind == StageKind.JURY) | Stage.has_jury.is_(True))
             .order_by(Contest.id.desc(), Stage.position).limit(200))
    if not admin:
        query = query.join(ContestOrganiser, ContestOrganiser.contest_id == Contest.id).where(
            ContestOrganiser.user_id == user.id)
    return list(db.session.execute(query).all())


@dataclass(frozen=True)
class ParticipantLink:
    kind: str  # "schedule" | "appeal"
    stage_id: int
    entry_id: int | None
    stage_title: str
    contest_title: str


def participant_jury_links(user_id: int, now: datetime) -> list[ParticipantLink]:
    """Where a participant has something to do with the jury: pick or see their demo-lesson slot, or
    appeal their entry while the window is open. Two queries."""
    links: list[ParticipantLink] = []
    schedules = db.session.execute(
        select(Stage.id, Stage.title, Contest.title).distinct()
        .join(Contest, Contest.id == Stage.contest_id)
        .join(DemoSlot, DemoSlot.stage_id == Stage.id)
        .join(StageParticipant, StageParticipant.stage_id == Stage.id)
        .join(Participation, Participation.id == StageParticipant.participation_id)
        .where(Participation.user_id == user_id, Stage.closes_at > now).limit(20)).all()
    links += [ParticipantLink("schedule", row[0], None, row[1], row[2]) for row in schedules]
    appeals = db.session.execute(
        select(Stage.id, Entry.id, Stage.title, Contest.title)
        .join(Contest, Contest.id == Stage.contest_id)
        .join(Entry, Entry.stage_id == Stage.id)
        .join(Participation, Participation.id == Entry.participation_id)
        .where(Participation.user_id == user_id, Entry.is_current.is_(True),
               Stage.results_published_at.is_not(None), Stage.appeals_close_at >= now).limit(20)).all()
    links += [ParticipantLink("appeal", row[0], row[1], row[2], row[3]) for row in appeals]
    return links
