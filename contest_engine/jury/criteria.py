"""Jury room: editing one criterion of a stage — its name, maximum, weight, description and levels —
without breaking the scores jurors have already given.

Why these limits once jurors have scored: a maximum below a score already given would leave that
score out of range, so the maximum may only go down to the highest score given; a new weight would
silently change every submitted total, so the weight is fixed once any juror has saved a sheet.
Names, descriptions and levels are words and may always change."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, func, select, update

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, Invalid
from app.extensions import db, rows_changed
from app.i18n import _
from app.numbers import number
from contest_engine.jury.messages import text
from contest_engine.jury.models import JuryCriterion, Score, ScoreSheet
from contest_engine.jury.setup import checked_criterion, spec_of, stage_criteria
from contest_engine.jury.spec import Problem
from contest_engine.jury.standing import refresh_standing
from contest_engine.models import Stage


def update_criterion(
    criterion: JuryCriterion,
    *,
    name: str,
    max_points: object,
    weight: object,
    description: str,
    levels: list[Mapping[str, Any]],
    actor: User,
) -> JuryCriterion:
    """Change one criterion from the organiser's form; refusals come back by the form's own field
    names (`name`, `max_points`, `weight`, `levels`)."""
    stage = db.session.get(Stage, criterion.stage_id)
    assert stage is not None
    entry = {
        "name": name,
        "max_points": max_points,
        "weight": weight,
        "description": description,
        "levels": [dict(level) for level in levels],
    }
    parsed = _checked(stage, criterion, entry)
    scored = bool(db.session.scalar(select(exists().where(ScoreSheet.stage_id == stage.id))))
    if scored and parsed.weight != criterion.weight:
        message = _("Jurors have already scored this stage: the weight can no longer change.")
        raise Invalid(message, {"weight": message})
    highest = highest_given(criterion.id)
    if highest is not None and parsed.max_points < highest:
        raise _below_given(highest)
    before = {
        "name": criterion.name,
        "max_points": str(criterion.max_points),
        "weight": str(criterion.weight),
    }
    above = select(Score.id).where(Score.criterion_id == criterion.id, Score.points > parsed.max_points)
    changed = rows_changed(
        update(JuryCriterion)
        .where(JuryCriterion.id == criterion.id, ~exists(above))
        .values(
            name=parsed.name,
            max_points=parsed.max_points,
            weight=parsed.weight,
            description=parsed.description,
            levels=[{"points": p, "text": t} for p, t in parsed.levels],
        )
    )
    if not changed:  # a juror gave a higher score a moment ago, or the criterion was deleted
        db.session.rollback()
        raise Conflict(_("A juror has just given a higher score; reload the page and try again."))
    audit.record(
        "jury.criterion_updated",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id,
        object_type="criterion",
        object_id=criterion.id,
        details={"name": parsed.name, "before": before},
    )
    refresh_standing(stage)
    db.session.commit()
    db.session.refresh(criterion)
    return criterion


def highest_given(criterion_id: int) -> Decimal | None:
    """The highest score any juror has given on the criterion (the form says it by the maximum)."""
    value = db.session.scalar(select(func.max(Score.points)).where(Score.criterion_id == criterion_id))
    return None if value is None else Decimal(value)


def _checked(stage: Stage, criterion: JuryCriterion, entry: dict[str, Any]) -> Any:
    """The criterion as the pure spec reads it among its siblings (unique names, exact points)."""
    spec = spec_of(stage)
    siblings = stage_criteria(stage.id)
    index = [row.id for row in siblings].index(criterion.id)
    if any(row.name == str(entry["name"]).strip() for row in siblings if row.id != criterion.id):
        message = text(Problem("criterion_name_duplicate"))  # by this field, not by the other one
        raise Invalid(message, {"name": message})
    spec["criteria"][index] = entry
    return checked_criterion(spec, index)


def _below_given(highest: Decimal) -> Invalid:
    message = _(
        "A juror has already given %(points)s points here: the maximum cannot be lower.",
        points=number(highest),
    )
    return Invalid(message, {"max_points": message})
