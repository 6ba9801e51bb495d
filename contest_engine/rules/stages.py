"""Contest stages: kinds, states, the stage clock and the organiser's manual transitions (pure rules)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime, time, timedelta, tzinfo
from enum import StrEnum


class StageKind(StrEnum):
    """What a stage asks of participants; decides which other rules (quiz, jury) apply to it."""

    REGISTRATION = "registration"
    SUBMISSION = "submission"
    OLYMPIAD = "olympiad"
    JURY = "jury"


class StageState(StrEnum):
    """Life of a stage: draft → scheduled → open → closed → judging → published."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    JUDGING = "judging"
    PUBLISHED = "published"


class StageAction(StrEnum):
    """A manual step an organiser can take on a stage (the clock's moves are not actions)."""

    SCHEDULE = "schedule"
    CLOSE = "close"
    REOPEN = "reopen"
    EXTEND = "extend"
    START_JUDGING = "start_judging"
    PUBLISH = "publish"


class StageTransitionError(ValueError):
    """A manual action that the stage's state or the given times do not allow; `code` is one of
    `not_allowed`, `reason_missing`, `close_missing`, `close_not_later`, `close_past`."""

    def __init__(self, message: str, *, code: str = "not_allowed") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Transition:
    """One row of the manual transitions table."""

    action: StageAction
    source: StageState
    target: StageState
    needs_reason: bool = False


#: Every manual move an organiser may make. The clock's own moves (scheduled → open → closed)
#: are in `clock_state`, not here. `extend` keeps an open stage open with a later close;
#: `reopen` needs a reason because participants who saw a closed stage will see it open again;
#: `publish` is allowed straight from `closed` for stages with nothing to judge (registration,
#: an auto-graded olympiad round).
TRANSITIONS: tuple[Transition, ...] = (
    Transition(StageAction.SCHEDULE, StageState.DRAFT, StageState.SCHEDULED),
    Transition(StageAction.CLOSE, StageState.OPEN, StageState.CLOSED),
    Transition(StageAction.REOPEN, StageState.CLOSED, StageState.OPEN, needs_reason=True),
    Transition(StageAction.EXTEND, StageState.OPEN, StageState.OPEN),
    Transition(StageAction.START_JUDGING, StageState.CLOSED, StageState.JUDGING),
    Transition(StageAction.PUBLISH, StageState.CLOSED, StageState.PUBLISHED),
    Transition(StageAction.PUBLISH, StageState.JUDGING, StageState.PUBLISHED),
)

_BY_ACTION: dict[tuple[StageAction, StageState], Transition] = {(t.action, t.source): t for t in TRANSITIONS}
_ALLOWED: frozenset[tuple[StageState, StageState]] = frozenset((t.source, t.target) for t in TRANSITIONS)


def _require_aware(**times: datetime) -> None:
    for name, value in times.items():
        if not is_aware(value):
            raise ValueError(f"{name} must be timezone-aware, got {value!r}")


def is_aware(value: datetime) -> bool:
    """True for a datetime that carries an offset: naive times cannot be compared across time zones."""
    return value.tzinfo is not None and value.utcoffset() is not None


def clock_state(state: StageState, opens_at: datetime, closes_at: datetime, now: datetime) -> StageState:
    """Return the state the clock moves a stage to at `now`.

    Only the clock's moves are made: scheduled → open at `opens_at` (inclusive), open → closed at
    `closes_at` (inclusive), and a scheduled stage whose close has already passed goes straight to
    closed (the cron job may have been down for the whole window). Draft, closed, judging and
    published stages are never touched: they move only by an organiser's action. The result is a
    fixed point (applying it again at the same `now` returns the same state), which is what makes
    `flask contests tick` safe to run twice and to evaluate lazily on every access.
    """
    _require_aware(opens_at=opens_at, closes_at=closes_at, now=now)
    state = StageState(state)
    if state not in (StageState.SCHEDULED, StageState.OPEN):
        return state
    if now >= closes_at:
        return StageState.CLOSED
    if state is StageState.SCHEDULED and now >= opens_at:
        return StageState.OPEN
    return state


def can_transition(source: StageState, target: StageState) -> bool:
    """True when some manual action moves a stage from `source` to `target` (see `TRANSITIONS`)."""
    return (StageState(source), StageState(target)) in _ALLOWED


def apply_action(
    action: StageAction,
    state: StageState,
    *,
    now: datetime,
    closes_at: datetime,
    new_closes_at: datetime | None = None,
    reason: str = "",
) -> StageState:
    """Return the state after an organiser's `action`, or raise `StageTransitionError`.

    Why the extra checks: `reopen` needs a non-blank reason (it goes to the audit log) and a close
    that is still ahead of `now` (given as `new_closes_at`, or the current `closes_at` when the stage
    was closed early by hand), else the clock would close it again at once; `extend` needs a
    `new_closes_at` later than the current close and than `now`.
    """
    _require_aware(now=now, closes_at=closes_at)
    if new_closes_at is not None:
        _require_aware(new_closes_at=new_closes_at)
    action, state = StageAction(action), StageState(state)
    transition = _BY_ACTION.get((action, state))
    if transition is None:
        raise StageTransitionError(f"cannot {action.value} a stage that is {state.value}")
    if transition.needs_reason and not reason.strip():
        raise StageTransitionError(f"{action.value} needs a reason", code="reason_missing")
    if action is StageAction.EXTEND:
        if new_closes_at is None:
            raise StageTransitionError("extend needs a new closing time", code="close_missing")
        if new_closes_at <= closes_at:
            raise StageTransitionError(
                "the new closing time must be later than the current one", code="close_not_later"
            )
    if action in (StageAction.EXTEND, StageAction.REOPEN):
        effective_close = closes_at if new_closes_at is None else new_closes_at
        if effective_close <= now:
            raise StageTransitionError("the closing time must be in the future", code="close_past")
    return transition.target


@dataclass(frozen=True, slots=True)
class StageTimes:
    """The window of one stage, in the contest's stage order."""

    opens_at: datetime
    closes_at: datetime


@dataclass(frozen=True, slots=True)
class TimelineError:
    """One problem in a contest's timeline; `index` is the stage's position, `field` the bad time."""

    index: int
    field: str
    message: str
    code: str = dataclass_field(default="", compare=False)  # `naive`, `close_before_open`, `overlap`


def validate_timeline(stages: list[StageTimes]) -> list[TimelineError]:
    """Return every problem with the stages' windows (empty when the timeline is valid).

    Rules: both times are timezone-aware (they are stored in UTC and shown in the contest's zone);
    a stage closes strictly after it opens; stages in order do not overlap, i.e. a stage opens at or
    after the previous stage closes (touching windows are fine). All problems are reported at once so
    that a form can show each next to its field; a comparison involving a naive time is skipped
    (that time already has its own error).
    """
    errors: list[TimelineError] = []
    previous_close: datetime | None = None
    for index, stage in enumerate(stages):
        opens_ok, closes_ok = is_aware(stage.opens_at), is_aware(stage.closes_at)
        if not opens_ok:
            errors.append(TimelineError(index, "opens_at", "must be timezone-aware", "naive"))
        if not closes_ok:
            errors.append(TimelineError(index, "closes_at", "must be timezone-aware", "naive"))
        if opens_ok and closes_ok and stage.closes_at <= stage.opens_at:
            errors.append(TimelineError(index, "closes_at", "must be after opens_at", "close_before_open"))
        if opens_ok and previous_close is not None and stage.opens_at < previous_close:
            errors.append(
                TimelineError(
                    index, "opens_at", "must be at or after the previous stage's closing time", "overlap"
                )
            )
        previous_close = stage.closes_at if closes_ok else None
    return errors


PROPOSED_START = time(9, 0)  # a new stage proposed for a morning, when a school day begins
PROPOSED_LENGTH = timedelta(days=14)


def proposed_window(
    last_close: datetime | None, now: datetime, zone: tzinfo, length: timedelta = PROPOSED_LENGTH
) -> StageTimes:
    """The window a form proposes for a new stage: it opens at the later of tomorrow 09:00 in the
    contest's zone and the last stage's close (rounded up to the minute the form shows), so a stage
    added to a contest whose stages have all ended is not born closed; it lasts `length`."""
    _require_aware(now=now)
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, PROPOSED_START, tzinfo=zone)
    if last_close is not None:
        _require_aware(last_close=last_close)
        if last_close.second or last_close.microsecond:
            last_close = last_close.replace(second=0, microsecond=0) + timedelta(minutes=1)
        start = max(start, last_close.astimezone(zone))
    return StageTimes(opens_at=start, closes_at=start + length)
