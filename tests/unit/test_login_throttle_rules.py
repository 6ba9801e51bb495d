"""The throttle's pure rules: free tries, a doubling pause with a cap, and forgetting quiet keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.login_throttle import KeyState, Limits, current_tries, pause_after, wait_seconds

LIMITS = Limits(free=5, base_seconds=2, max_seconds=900, forget_seconds=86400)
NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tries", "pause"), [(1, 0), (4, 0), (5, 2), (6, 4), (7, 8), (13, 512), (14, 900), (60, 900)]
)
def test_the_pause_doubles_after_the_free_tries_and_is_capped(tries: int, pause: float) -> None:
    assert pause_after(tries, LIMITS) == pause


def test_a_key_waits_until_its_next_try_time_and_not_longer() -> None:
    state = KeyState(tries=6, last_try_at=NOW, next_try_at=NOW + timedelta(seconds=4))
    assert wait_seconds(state, LIMITS, NOW) == 4
    assert wait_seconds(state, LIMITS, NOW + timedelta(seconds=3)) == 1
    assert wait_seconds(state, LIMITS, NOW + timedelta(seconds=4)) == 0


def test_free_tries_never_wait_and_quiet_keys_are_forgotten() -> None:
    assert wait_seconds(KeyState(4, NOW, NOW + timedelta(hours=1)), LIMITS, NOW) == 0
    old = KeyState(tries=50, last_try_at=NOW - timedelta(days=2), next_try_at=NOW + timedelta(hours=1))
    assert current_tries(old, LIMITS, NOW) == 0 and wait_seconds(old, LIMITS, NOW) == 0
    assert current_tries(KeyState(0, None, None), LIMITS, NOW) == 0
