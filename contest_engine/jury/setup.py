"""Jury room: setting up a stage's jury — criteria, aggregation, blind mode, jurors per entry, due
dates. Reads and writes the jury config and criteria only; the spec is checked by the pure
`contest_engine.jury.spec`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, select

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from contest_engine.jury import open_lessons
from contest_engine.jury.messages import spec_invalid, text
from contest_engine.jury.models import JuryConfig, JuryCriterion, ScoreSheet
from contest_engine.jury.spec import SpecError, parse_spec
from contest_engine.jury.standing import refresh_standing
from contest_engine.models import Stage
from contest_engine.rules import scoring


def configure_stage_jury(stage: Stage, spec: Mapping[str, Any], *, actor: User | None) -> JuryConfig:
    """Set a jury stage's criteria, aggregation, blind mode and jurors per entry.

    Called by the contest room when a stage is created with "jury", and by the organiser's page.
    Flushes only: the caller commits (so a contest created with several stages is all or nothing).
    Criteria cannot change once a juror has saved scores (the scores would lose their meaning).
    """
    try:
        parsed = parse_spec(spec)
    except SpecError as error:
        raise spec_invalid(error) from None
    config = db.session.get(JuryConfig, stage.id)
    existing = stage_criteria(stage.id)
    same = [(c.name, c.max_points, c.weight) for c in existing] == [
        (c.name, c.max_points, c.weight) for c in parsed.criteria
    ]
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
            db.session.add(
                JuryCriterion(
                    stage_id=stage.id,
                    position=position,
                    name=item.name,
                    description=item.description,
                    levels=[{"points": p, "text": t} for p, t in item.levels],
                    max_points=item.max_points,
                    weight=item.weight,
                )
            )
    audit.record(
        "jury.configured",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id,
        object_type="stage",
        object_id=stage.id,
        details={
            "criteria": [c.name for c in parsed.criteria],
            "aggregation": parsed.aggregation.value,
            "jurors_per_entry": parsed.jurors_per_entry,
            "blind": parsed.blind,
        },
    )
    db.session.flush()
    return config


def set_jury_spec(stage: Stage, spec: Mapping[str, Any], *, actor: User) -> JuryConfig:
    """The whole spec at once (the API's PUT): `configure_stage_jury`, committed."""
    config = configure_stage_jury(stage, spec, actor=actor)
    refresh_standing(stage)
    db.session.commit()
    return config


def save_jury_settings(
    stage: Stage,
    *,
    aggregation: str,
    jurors_per_entry: int | None,
    blind: bool,
    disagreement_threshold: Decimal | None,
    scoring_due_at: datetime | None,
    slot_pick_deadline: datetime | None,
    actor: User,
) -> JuryConfig:
    """The organiser's settings form: everything except the criteria (a stage may have none yet)."""
    spec = spec_of(stage)
    spec.update(
        aggregation=aggregation,
        jurors_per_entry=jurors_per_entry,
        blind=blind,
        disagreement_threshold=disagreement_threshold,
        scoring_due_at=scoring_due_at,
    )
    if not spec["criteria"]:
        spec["criteria"] = None
        try:
            parse_spec(spec)
        except SpecError as error:
            error.problems.pop("criteria", None)
            if error.problems:
                raise spec_invalid(error) from None
        config = db.session.get(JuryConfig, stage.id) or JuryConfig(stage_id=stage.id)
        db.session.add(config)
        config.aggregation = scoring.Aggregation(aggregation)
        config.jurors_per_entry, config.blind = jurors_per_entry, blind
        config.disagreement_threshold, config.scoring_due_at = disagreement_threshold, scoring_due_at
    else:
        config = configure_stage_jury(stage, spec, actor=actor)
    config.slot_pick_deadline = slot_pick_deadline
    if config.open_to_colleagues and config.blind:
        open_lessons.follow_slots(stage)  # made blind: its open lessons are withdrawn
    refresh_standing(stage)  # the aggregation or the disagreement threshold may have changed
    db.session.commit()
    return config


def add_criterion(
    stage: Stage,
    *,
    name: str,
    max_points: object,
    weight: object,
    description: str,
    levels: str | list[dict[str, str]],
    actor: User,
) -> JuryCriterion:
    """Add one criterion from the organiser's form (refused once scoring has started); its problems
    come back by the form's own field names (`name`, `max_points`, …)."""
    spec = spec_of(stage)
    spec["criteria"].append(
        {
            "name": name,
            "max_points": max_points,
            "weight": weight,
            "description": description,
            "levels": levels,
        }
    )
    checked_criterion(spec, len(spec["criteria"]) - 1)
    configure_stage_jury(stage, spec, actor=actor)
    refresh_standing(stage)
    db.session.commit()
    return stage_criteria(stage.id)[-1]


def checked_criterion(spec: Mapping[str, Any], index: int) -> Any:
    """The spec's criterion at `index` as the pure spec reads it; the organiser's form shows one
    criterion, so its problems come back by the form's field names (`name`, `max_points`, …) and
    only the rest of the spec's problems as a whole."""
    prefix = f"criteria.{index}."
    try:
        return parse_spec(spec).criteria[index]
    except SpecError as error:
        whole = spec_invalid(error)
        fields = {
            key.removeprefix(prefix): text(problem)
            for key, problem in error.problems.items()
            if key.startswith(prefix)
        }
        raise Invalid(whole.message, fields or whole.fields) from None


def delete_criterion(criterion: JuryCriterion, *, actor: User) -> None:
    if _stage_has_scores(criterion.stage_id):
        raise Conflict(_("Jurors have already scored this stage: its criteria can no longer change."))
    stage = db.session.get(Stage, criterion.stage_id)
    db.session.delete(criterion)
    audit.record(
        "jury.criterion_deleted",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id if stage else None,
        object_type="criterion",
        object_id=criterion.id,
        details={"name": criterion.name},
    )
    refresh_standing(criterion.stage_id)
    db.session.commit()


def jury_config(stage: Stage) -> JuryConfig:
    """The stage's jury config; a jury stage created without one gets the defaults."""
    config = db.session.get(JuryConfig, stage.id)
    if config is None:
        config = JuryConfig(stage_id=stage.id, aggregation=scoring.Aggregation.MEAN, blind=False)
    return config


def stage_criteria(stage_id: int) -> list[JuryCriterion]:
    return list(
        db.session.scalars(
            select(JuryCriterion)
            .where(JuryCriterion.stage_id == stage_id)
            .order_by(JuryCriterion.position, JuryCriterion.id)
        )
    )


def spec_of(stage: Stage) -> dict[str, Any]:
    """The stage's jury spec in the API's shape (round-trips through configure_stage_jury)."""
    config = jury_config(stage)
    return {
        "criteria": [
            {
                "name": c.name,
                "max_points": str(c.max_points),
                "weight": str(c.weight),
                "description": c.description,
                "levels": c.levels,
            }
            for c in stage_criteria(stage.id)
        ],
        "aggregation": config.aggregation.value if config.aggregation else "mean",
        "jurors_per_entry": config.jurors_per_entry,
        "blind": bool(config.blind),
        "disagreement_threshold": None
        if config.disagreement_threshold is None
        else str(config.disagreement_threshold),
        "scoring_due_at": config.scoring_due_at.isoformat() if config.scoring_due_at else None,
    }


def _stage_has_scores(stage_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(ScoreSheet.stage_id == stage_id))))
