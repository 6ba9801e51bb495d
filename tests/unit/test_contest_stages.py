"""Stage clock, manual transitions and timeline validation: contest_engine.rules.stages."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from contest_engine.rules.stages import (
    TRANSITIONS,
    StageAction,
    StageKind,
    StageState,
    StageTimes,
    StageTransitionError,
    TimelineError,
    apply_action,
    can_transition,
    clock_state,
    proposed_window,
    validate_timeline,
)

OPEN = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
CLOSE = datetime(2025, 3, 10, 18, 0, tzinfo=UTC)
MSK = timezone(timedelta(hours=3))
BEFORE, DURING, AFTER = OPEN - timedelta(days=1), OPEN + timedelta(days=1), CLOSE + timedelta(days=1)
S = StageState


def test_enums_are_strings_with_the_api_values():
    assert [k.value for k in StageKind] == ["registration", "submission", "olympiad", "jury"]
    assert [s.value for s in StageState] == ["draft", "scheduled", "open", "closed", "judging", "published"]
    assert StageState("open") == "open"


@pytest.mark.parametrize(
    ("state", "now", "expected"),
    [
        (S.SCHEDULED, BEFORE, S.SCHEDULED),
        (S.SCHEDULED, OPEN, S.OPEN),  # opens exactly at opens_at
        (S.SCHEDULED, DURING, S.OPEN),
        (S.SCHEDULED, CLOSE, S.CLOSED),  # cron missed the whole window
        (S.SCHEDULED, AFTER, S.CLOSED),
        (S.OPEN, DURING, S.OPEN),
        (S.OPEN, CLOSE - timedelta(microseconds=1), S.OPEN),
        (S.OPEN, CLOSE, S.CLOSED),  # closes exactly at closes_at
        (S.OPEN, AFTER, S.CLOSED),
        (S.OPEN, BEFORE, S.OPEN),  # opened early by hand: the clock does not un-open it
        (S.DRAFT, DURING, S.DRAFT),
        (S.DRAFT, AFTER, S.DRAFT),
        (S.CLOSED, DURING, S.CLOSED),  # closed early by hand: the clock does not reopen it
        (S.JUDGING, AFTER, S.JUDGING),
        (S.PUBLISHED, AFTER, S.PUBLISHED),
        ("scheduled", DURING, S.OPEN),  # a plain string from the database works too
    ],
)
def test_clock_state_moves_only_scheduled_and_open_stages(state, now, expected):
    assert clock_state(state, OPEN, CLOSE, now) is expected


@pytest.mark.parametrize("state", list(StageState))
@pytest.mark.parametrize("now", [BEFORE, OPEN, DURING, CLOSE, AFTER])
def test_clock_state_is_idempotent(state, now):
    once = clock_state(state, OPEN, CLOSE, now)
    assert clock_state(once, OPEN, CLOSE, now) is once


def test_clock_state_compares_instants_across_time_zones():
    assert clock_state(S.SCHEDULED, OPEN, CLOSE, OPEN.astimezone(MSK)) is S.OPEN


@pytest.mark.parametrize(
    ("opens_at", "closes_at", "now"),
    [
        (OPEN.replace(tzinfo=None), CLOSE, DURING),
        (OPEN, CLOSE.replace(tzinfo=None), DURING),
        (OPEN, CLOSE, DURING.replace(tzinfo=None)),
    ],
)
def test_clock_state_refuses_naive_times(opens_at, closes_at, now):
    with pytest.raises(ValueError, match="timezone-aware"):
        clock_state(S.OPEN, opens_at, closes_at, now)


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        (S.DRAFT, S.SCHEDULED, True),
        (S.OPEN, S.CLOSED, True),
        (S.CLOSED, S.OPEN, True),  # reopen
        (S.OPEN, S.OPEN, True),  # extend
        (S.CLOSED, S.JUDGING, True),
        (S.JUDGING, S.PUBLISHED, True),
        (S.CLOSED, S.PUBLISHED, True),  # nothing to judge (olympiad, registration)
        (S.DRAFT, S.OPEN, False),
        (S.SCHEDULED, S.CLOSED, False),
        (S.PUBLISHED, S.OPEN, False),
        (S.PUBLISHED, S.JUDGING, False),
        (S.JUDGING, S.OPEN, False),
        (S.OPEN, S.PUBLISHED, False),
        ("open", "closed", True),
    ],
)
def test_can_transition_follows_the_table(source, target, allowed):
    assert can_transition(source, target) is allowed


def test_transition_table_only_reopen_needs_a_reason():
    assert {t.action for t in TRANSITIONS if t.needs_reason} == {StageAction.REOPEN}


@pytest.mark.parametrize(
    ("action", "state", "kwargs", "expected"),
    [
        (StageAction.SCHEDULE, S.DRAFT, {}, S.SCHEDULED),
        (StageAction.CLOSE, S.OPEN, {}, S.CLOSED),
        (StageAction.REOPEN, S.CLOSED, {"reason": "server outage", "new_closes_at": AFTER}, S.OPEN),
        # closed early by hand, reopened before the planned close: the old close still stands
        ("reopen", "closed", {"reason": "closed by mistake"}, S.OPEN),
        (StageAction.EXTEND, S.OPEN, {"new_closes_at": AFTER}, S.OPEN),
        (StageAction.START_JUDGING, S.CLOSED, {}, S.JUDGING),
        (StageAction.PUBLISH, S.JUDGING, {}, S.PUBLISHED),
        (StageAction.PUBLISH, S.CLOSED, {}, S.PUBLISHED),
    ],
)
def test_apply_action_allowed(action, state, kwargs, expected):
    assert apply_action(action, state, now=DURING, closes_at=CLOSE, **kwargs) is expected


@pytest.mark.parametrize(
    ("action", "state", "now", "kwargs", "message"),
    [
        (StageAction.CLOSE, S.SCHEDULED, DURING, {}, "cannot close a stage that is scheduled"),
        (StageAction.PUBLISH, S.OPEN, DURING, {}, "cannot publish"),
        (StageAction.START_JUDGING, S.PUBLISHED, AFTER, {}, "cannot start_judging"),
        (StageAction.REOPEN, S.CLOSED, AFTER, {"new_closes_at": AFTER + timedelta(days=1)}, "needs a reason"),
        (StageAction.REOPEN, S.CLOSED, AFTER, {"reason": "   ", "new_closes_at": AFTER}, "needs a reason"),
        (StageAction.REOPEN, S.CLOSED, AFTER, {"reason": "outage"}, "in the future"),
        (StageAction.REOPEN, S.CLOSED, AFTER, {"reason": "outage", "new_closes_at": AFTER}, "in the future"),
        (StageAction.EXTEND, S.OPEN, DURING, {}, "needs a new closing time"),
        (StageAction.EXTEND, S.OPEN, DURING, {"new_closes_at": CLOSE}, "later than the current"),
        (
            StageAction.EXTEND,
            S.CLOSED,
            AFTER,
            {"new_closes_at": AFTER},
            "cannot extend a stage that is closed",
        ),
        # an open stage past its close (the clock has not run yet): extending into the past is useless
        (StageAction.EXTEND, S.OPEN, AFTER, {"new_closes_at": AFTER - timedelta(hours=1)}, "in the future"),
    ],
)
def test_apply_action_refused(action, state, now, kwargs, message):
    with pytest.raises(StageTransitionError, match=message):
        apply_action(action, state, now=now, closes_at=CLOSE, **kwargs)


def test_apply_action_refuses_naive_new_close():
    with pytest.raises(ValueError, match="new_closes_at must be timezone-aware"):
        apply_action(
            StageAction.EXTEND, S.OPEN, now=DURING, closes_at=CLOSE, new_closes_at=datetime(2025, 4, 1)
        )


def _times(*pairs):
    return [StageTimes(datetime(2025, 3, a, tzinfo=UTC), datetime(2025, 3, b, tzinfo=UTC)) for a, b in pairs]


NAIVE = datetime(2025, 3, 5)


@pytest.mark.parametrize(
    ("stages", "errors"),
    [
        ([], []),
        (_times((1, 5)), []),
        (_times((1, 5), (5, 9), (10, 20)), []),  # touching windows are fine
        (_times((5, 5)), [TimelineError(0, "closes_at", "must be after opens_at")]),
        (_times((5, 1)), [TimelineError(0, "closes_at", "must be after opens_at")]),
        (
            _times((1, 5), (4, 9)),
            [TimelineError(1, "opens_at", "must be at or after the previous stage's closing time")],
        ),
        (
            _times((1, 9), (10, 20), (15, 25)),
            [TimelineError(2, "opens_at", "must be at or after the previous stage's closing time")],
        ),
        (
            [StageTimes(NAIVE, datetime(2025, 3, 9, tzinfo=UTC))],
            [TimelineError(0, "opens_at", "must be timezone-aware")],
        ),
        (
            # a naive close: its own error, and the next stage is not compared with it
            [StageTimes(datetime(2025, 3, 1, tzinfo=UTC), NAIVE), *_times((2, 9))],
            [TimelineError(0, "closes_at", "must be timezone-aware")],
        ),
        (
            # every problem at once, for a form
            [*_times((1, 9), (9, 3)), StageTimes(NAIVE, NAIVE)],
            [
                TimelineError(1, "closes_at", "must be after opens_at"),
                TimelineError(2, "opens_at", "must be timezone-aware"),
                TimelineError(2, "closes_at", "must be timezone-aware"),
            ],
        ),
        (
            # equal instants in different zones do not overlap
            [
                StageTimes(datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 3, 5, 12, tzinfo=UTC)),
                StageTimes(datetime(2025, 3, 5, 15, tzinfo=MSK), datetime(2025, 3, 9, tzinfo=MSK)),
            ],
            [],
        ),
    ],
)
def test_validate_timeline(stages, errors):
    assert validate_timeline(stages) == errors


SAMARA = ZoneInfo("Europe/Samara")  # UTC+4
PROPOSAL_NOW = datetime(2026, 12, 2, 22, 30, tzinfo=UTC)  # already 3 December, 02:30, in Samara


@pytest.mark.parametrize(
    ("last_close", "opens_at"),
    [
        (None, datetime(2026, 12, 4, 9, 0, tzinfo=SAMARA)),  # no stage yet: tomorrow morning
        # the last stage closed in the past: tomorrow morning, not a window already over
        (datetime(2026, 11, 1, 5, 0, tzinfo=UTC), datetime(2026, 12, 4, 9, 0, tzinfo=SAMARA)),
        # closing later tonight, still before tomorrow morning
        (datetime(2026, 12, 3, 1, 0, tzinfo=UTC), datetime(2026, 12, 4, 9, 0, tzinfo=SAMARA)),
        # the last stage closes later: right after it, rounded up to the minute the form shows
        (datetime(2027, 1, 20, 6, 0, 30, tzinfo=UTC), datetime(2027, 1, 20, 10, 1, tzinfo=SAMARA)),
    ],
)
def test_proposed_window_opens_after_now_and_the_last_stage(last_close, opens_at):
    window = proposed_window(last_close, PROPOSAL_NOW, SAMARA)
    assert window.opens_at == opens_at and window.opens_at > PROPOSAL_NOW
    assert window.closes_at - window.opens_at == timedelta(days=14)
    assert clock_state(S.SCHEDULED, window.opens_at, window.closes_at, PROPOSAL_NOW) is S.SCHEDULED


def test_proposed_window_refuses_a_naive_time():
    with pytest.raises(ValueError):
        proposed_window(NAIVE, PROPOSAL_NOW, SAMARA)
