"""Contest room: the stage clock (opening and closing stages by time, written by the tick job and by
the services acting on a stage, seen from the times by pages without writing) and the organiser's
manual stage moves: close, reopen, extend, start judging."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from contest_engine.messages import transition_refusal
from contest_engine.models import Stage
from contest_engine.queries import contest_stages
from contest_engine.rules.stages import (
    StageAction,
    StageState,
    StageTimes,
    StageTransitionError,
    apply_action,
    clock_state,
    validate_timeline,
)


def run_clock(now: datetime, *, contest_id: int | None = None) -> list[str]:
    """Open and close every due stage (or one contest's). Idempotent: a second run finds nothing due."""
    due = (
        select(Stage)
        .where(
            ((Stage.state == StageState.SCHEDULED) & (Stage.opens_at <= now))
            | ((Stage.state.in_([StageState.SCHEDULED, StageState.OPEN])) & (Stage.closes_at <= now))
        )
        .order_by(Stage.id)
    )
    if contest_id is not None:
        due = due.where(Stage.contest_id == contest_id)
    # populate_existing: a stage a page showed through `see_clock` (a state never written) is read
    # again as stored, so the move from the stored state is the one made.
    stages = list(db.session.scalars(due.execution_options(populate_existing=True)))
    if not stages:
        return []
    lines = apply_clock(stages, now)
    db.session.commit()
    return lines


def see_clock(stages: Iterable[Stage], now: datetime) -> None:
    """Show each stage in the state its times give it at `now`, without writing anything.

    Why: a page (a GET) reads side by side with other readers and must not take the write lock, so
    the lazy clock no longer writes on access: the stage's effective state is worked out from its
    times at read time (the same pure `clock_state` the writer uses) and set on the loaded object
    as if read so — nothing is flushed. The tick job, and every service that acts on a stage, write
    the move (`run_clock`, which reads the stored state afresh)."""
    for stage in stages:
        stored = StageState(stage.state)
        effective = clock_state(stored, stage.opens_at, stage.closes_at, now)
        if effective != stored:
            set_committed_value(stage, "state", effective)


def clock_job(now: datetime) -> list[str]:
    """`flask contests tick`: open and close stages by their times."""
    return run_clock(now)


def close_stage(stage: Stage, *, actor: User, now: datetime, reason: str = "") -> Stage:
    """Close an open stage early (by hand)."""
    run_clock(now, contest_id=stage.contest_id)
    db.session.refresh(stage)
    if stage.state == StageState.CLOSED and stage.closes_at <= now:
        return stage  # the clock closed it: closing is idempotent
    return _transition(stage, StageAction.CLOSE, actor=actor, now=now, reason=reason)


def reopen_stage(
    stage: Stage, *, actor: User, now: datetime, reason: str, new_closes_at: datetime | None = None
) -> Stage:
    """Reopen a closed stage, with a reason for the audit log and a close still ahead."""
    return _transition(
        stage, StageAction.REOPEN, actor=actor, now=now, reason=reason, new_closes_at=new_closes_at
    )


def extend_stage(
    stage: Stage, *, actor: User, now: datetime, new_closes_at: datetime, reason: str = ""
) -> Stage:
    """Keep an open stage open longer."""
    run_clock(now, contest_id=stage.contest_id)
    db.session.refresh(stage)
    return _transition(
        stage, StageAction.EXTEND, actor=actor, now=now, reason=reason, new_closes_at=new_closes_at
    )


def start_judging(stage: Stage, *, actor: User, now: datetime) -> Stage:
    """Move a closed stage to judging (the jury's work begins)."""
    return _transition(stage, StageAction.START_JUDGING, actor=actor, now=now)


def apply_clock(stages: Sequence[Stage], now: datetime, actor: User | None = None) -> list[str]:
    """Move each stage to its clock state with a conditional UPDATE (only from the state it was
    read in), so two processes running the clock at once change each stage once."""
    lines: list[str] = []
    for stage in stages:
        old = StageState(stage.state)
        new = clock_state(old, stage.opens_at, stage.closes_at, now)
        if new == old:
            continue
        result = cast(
            CursorResult[Any],
            db.session.execute(
                update(Stage)
                .where(Stage.id == stage.id, Stage.state == old)
                .values(state=new)
                .execution_options(synchronize_session=False)
            ),
        )
        if result.rowcount != 1:  # another process moved it first
            db.session.refresh(stage)
            continue
        stage.state = new
        action = "stage.opened" if new == StageState.OPEN else "stage.closed"
        audit.record(
            action,
            actor=actor,
            scope_type="contest",
            scope_id=stage.contest_id,
            object_type="stage",
            object_id=stage.id,
            reason=_("by the clock"),
            details={"from": old.value, "to": new.value, "at": now.isoformat()},
        )
        lines.append(f"stage {stage.id} {old.value} → {new.value}")
    return lines


def _transition(
    stage: Stage,
    action: StageAction,
    *,
    actor: User,
    now: datetime,
    reason: str = "",
    new_closes_at: datetime | None = None,
) -> Stage:
    old_state, old_close = StageState(stage.state), stage.closes_at
    try:
        target = apply_action(
            action, old_state, now=now, closes_at=old_close, new_closes_at=new_closes_at, reason=reason
        )
    except StageTransitionError as error:
        raise transition_refusal(error, old_state) from None
    values: dict[str, Any] = {"state": target}
    if new_closes_at is not None:
        stages = contest_stages(stage.contest_id)
        times = [StageTimes(s.opens_at, new_closes_at if s.id == stage.id else s.closes_at) for s in stages]
        if validate_timeline(times):
            raise Invalid(
                _("The new closing time overlaps the next stage."),
                {"closes_at": _("The new closing time overlaps the next stage.")},
            )
        values["closes_at"] = new_closes_at
    result = cast(
        CursorResult[Any],
        db.session.execute(
            update(Stage)
            .where(Stage.id == stage.id, Stage.state == old_state, Stage.closes_at == old_close)
            .values(**values)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict(_("The stage was changed by someone else at the same moment; reload and try again."))
    audit.record(
        f"stage.{_ACTION_NAMES[action]}",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id,
        object_type="stage",
        object_id=stage.id,
        reason=reason.strip(),
        details={
            "from": old_state.value,
            "to": StageState(target).value,
            "closes_at": (new_closes_at or old_close).isoformat(),
        },
    )
    db.session.commit()
    db.session.refresh(stage)
    return stage


_ACTION_NAMES = {
    StageAction.CLOSE: "closed",
    StageAction.REOPEN: "reopened",
    StageAction.EXTEND: "extended",
    StageAction.START_JUDGING: "judging_started",
    StageAction.PUBLISH: "published",
    StageAction.SCHEDULE: "scheduled",
}
