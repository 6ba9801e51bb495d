"""Jury room: appeals — a participant contests their entry's scores during the window after
publication; the organiser (or a jury chair) rejects it or accepts it with changed criterion points
and a reason. Everything goes to the audit log; accepted appeals refresh the stored ranking."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.i18n import _
from app.notifications import notify
from contest_engine.jury.models import Appeal, AppealState, Score, ScoreSheet, SheetState
from contest_engine.jury.setup import stage_criteria
from contest_engine.jury.sheets import check_marks, sheet_weighted_total
from contest_engine.jury.standing import refresh_standing
from contest_engine.models import Entry, Participation, Stage
from contest_engine.results import refresh_results


def appeal_window_open(stage: Stage, now: datetime) -> bool:
    return (
        stage.results_published_at is not None
        and stage.appeals_close_at is not None
        and stage.results_published_at <= now <= stage.appeals_close_at
    )


def file_appeal(entry: Entry, user: User, text: str, *, now: datetime) -> Appeal:
    """A participant appeals their entry's scores during the window; one appeal per entry."""
    participation = db.session.get(Participation, entry.participation_id)
    assert participation is not None
    if participation.user_id != user.id:
        raise Forbidden(_("Only the participant can appeal their entry."))
    stage = db.session.get(Stage, entry.stage_id)
    assert stage is not None
    text = text.strip()
    if not text:
        message = _("Explain what you appeal against.")
        raise Invalid(message, {"text": message})
    if len(text) > 10000:
        message = _("Too long (at most %(n)s characters).", n=10000)
        raise Invalid(message, {"text": message})
    if not appeal_window_open(stage, now):
        raise Conflict(_("Appeals are not accepted now: the appeal window is closed."))
    appeal = Appeal(
        stage_id=stage.id,
        entry_id=entry.id,
        participation_id=participation.id,
        filed_by_id=user.id,
        text=text,
        filed_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(appeal)
    except IntegrityError:
        raise Conflict(_("An appeal on this entry has already been filed.")) from None
    audit.record(
        "jury.appeal_filed",
        actor=user,
        scope_type="contest",
        scope_id=stage.contest_id,
        object_type="entry",
        object_id=entry.id,
    )
    db.session.commit()
    return appeal


def resolve_appeal(
    appeal: Appeal,
    *,
    decision: str,
    score_changes: Mapping[Any, Mapping[str, object]],
    reason: str,
    actor: User,
    now: datetime,
) -> Appeal:
    """Reject, or accept with changed criterion points per juror; the reason and every before/after
    go to the audit log and the participant is notified. Resolving twice is refused (409)."""
    if decision not in (AppealState.ACCEPTED.value, AppealState.REJECTED.value):
        message = _("Must be one of: %(values)s.", values="accepted, rejected")
        raise Invalid(message, {"decision": message})
    reason = reason.strip()
    if not reason:
        message = _("Give a reason.")
        raise Invalid(message, {"reason": message})
    if decision == AppealState.REJECTED.value and score_changes:
        message = _("A rejected appeal changes no scores.")
        raise Invalid(message, {"score_changes": message})
    criteria = stage_criteria(appeal.stage_id)
    by_name = {c.name: c for c in criteria}
    planned: list[tuple[ScoreSheet, dict[str, Decimal]]] = []
    fields: dict[str, str] = {}
    for raw_juror, marks in (score_changes or {}).items():
        try:
            juror_id = int(raw_juror)
        except (TypeError, ValueError):
            fields[f"score_changes.{raw_juror}"] = _("Must be a whole number.")
            continue
        sheet = db.session.scalar(
            select(ScoreSheet).where(
                ScoreSheet.entry_id == appeal.entry_id,
                ScoreSheet.juror_id == juror_id,
                ScoreSheet.state == SheetState.SUBMITTED,
            )
        )
        if sheet is None:
            fields[f"score_changes.{juror_id}"] = _("This juror has no submitted scores for the entry.")
            continue
        if not isinstance(marks, Mapping) or not marks:
            fields[f"score_changes.{juror_id}"] = _("Must be an object.")
            continue
        try:
            parsed = check_marks(criteria, marks, complete=False)
        except Invalid as error:
            fields.update(
                {
                    f"score_changes.{juror_id}.{k.removeprefix('criteria.')}": v
                    for k, v in error.fields.items()
                }
            )
            continue
        planned.append((sheet, parsed))
    if fields:
        raise Invalid(next(iter(fields.values())), fields)
    result = db.session.execute(
        update(Appeal)
        .where(Appeal.id == appeal.id, Appeal.state == AppealState.OPEN)
        .values(state=AppealState(decision), resolved_at=now, resolved_by_id=actor.id, reason=reason)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise Conflict(_("This appeal has already been resolved."))
    changes: dict[str, Any] = {}
    for sheet, parsed in planned:
        rows = {
            s.criterion_id: s for s in db.session.scalars(select(Score).where(Score.sheet_id == sheet.id))
        }
        juror_changes = {}
        merged = {criterion_id: row.points for criterion_id, row in rows.items()}
        for name, points in parsed.items():
            criterion = by_name[name]
            row = rows.get(criterion.id)
            juror_changes[name] = [str(row.points) if row else None, str(points)]
            if row is None:
                db.session.add(Score(sheet_id=sheet.id, criterion_id=criterion.id, points=points))
            else:
                row.points = points
            merged[criterion.id] = points
        # The stored total follows the changed points in the same transaction (the sheet is submitted).
        sheet.weighted_total = sheet_weighted_total(criteria, merged)
        changes[str(sheet.juror_id)] = juror_changes
    db.session.execute(update(Appeal).where(Appeal.id == appeal.id).values(changes=changes))
    stage = db.session.get(Stage, appeal.stage_id)
    participation = db.session.get(Participation, appeal.participation_id)
    assert stage is not None and participation is not None
    audit.record(
        f"jury.appeal_{decision}",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id,
        object_type="appeal",
        object_id=appeal.id,
        reason=reason,
        details={"score_changes": changes},
    )
    notify(
        participation.user_id,
        _("Your appeal on “%(stage)s” was accepted.", stage=stage.title)
        if decision == "accepted"
        else _("Your appeal on “%(stage)s” was rejected.", stage=stage.title),
        f"/jury/appeals/{appeal.id}",
    )
    refresh_standing(stage)
    db.session.commit()
    if decision == AppealState.ACCEPTED.value and stage.results_computed_at is not None:
        # The stored ranking follows the new scores at once (advancement and awards read them too).
        refresh_results(stage, now=now)
    db.session.refresh(appeal)
    return appeal


def stage_appeals(stage_id: int) -> list[tuple[Appeal, str]]:
    rows = db.session.execute(
        select(Appeal, User.full_name)
        .join(Participation, Participation.id == Appeal.participation_id)
        .join(User, User.id == Participation.user_id)
        .where(Appeal.stage_id == stage_id)
        .order_by(Appeal.state, Appeal.filed_at)
    ).all()
    return [(row[0], row[1]) for row in rows]


def entry_appeal(entry_id: int) -> Appeal | None:
    return db.session.scalar(select(Appeal).where(Appeal.entry_id == entry_id))
