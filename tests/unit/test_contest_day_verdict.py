"""bench/contest_day.py's verdict (pure): which bars a run meets, what fails the command, the
table, the planned runs and the percentile."""

from __future__ import annotations

from typing import Any

import pytest

from bench.contest_day import Run, as_pure_results, bars, broken, planned_runs, table
from bench.measure import percentile


def figures(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "1,000 pupils, one node",
        "database": "sqlite",
        "nodes": 1,
        "workers_per_node": 2,
        "pupils": 1000,
        "requests_per_s": 180.5,
        "bare_requests_per_s": 1000.0,
        "ratio": 0.18,
        "p50_ms": 60.0,
        "p99_ms": 200.0,
        "attempts": {"started": 1000, "finished": 1000},
        "answers": {"acknowledged": 20_000, "missing": 0, "stored": 20_000},
        "errors": {},
    }
    base.update(changes)
    return base


def judged(run: dict[str, Any]) -> dict[str, bool]:
    return {bar["bar"]: bar["met"] for bar in bars(run)}


def test_a_clean_fast_run_meets_every_bar() -> None:
    assert judged(figures()) == {
        "0 failed requests": True,
        "0 answers lost": True,
        "all 1,000 pupils finished": True,
        "p99 < 250 ms": True,
    }


def test_each_bar_fails_on_its_own_figure() -> None:
    assert not judged(figures(p99_ms=250.0))["p99 < 250 ms"]
    assert not judged(figures(errors={"HTTP 500": 1}))["0 failed requests"]
    lost = figures(answers={"acknowledged": 20_000, "missing": 2, "stored": 19_998})
    assert not judged(lost)["0 answers lost"]
    nothing = figures(answers={"acknowledged": 0, "missing": 0, "stored": 0})
    assert not judged(nothing)["0 answers lost"]  # nothing acknowledged proves nothing
    short = figures(attempts={"started": 1000, "finished": 999})
    assert not judged(short)["all 1,000 pupils finished"]


def test_two_nodes_are_judged_without_the_p99_bar() -> None:
    assert "p99 < 250 ms" not in judged(
        figures(
            nodes=2,
            pupils=2000,
            p99_ms=900.0,
            attempts={"started": 2000, "finished": 2000},
            answers={"acknowledged": 40_000, "missing": 0, "stored": 40_000},
        )
    )


def test_a_slow_run_does_not_fail_the_command_but_a_lost_answer_does() -> None:
    slow = figures(p99_ms=900.0)
    assert not broken({"runs": [slow | {"bars": bars(slow)}]})
    lost = figures(answers={"acknowledged": 20_000, "missing": 1, "stored": 19_999})
    assert broken({"runs": [lost | {"bars": bars(lost)}]})
    failed = figures(errors={"RemoteDisconnected": 3})
    assert broken({"runs": [failed | {"bars": bars(failed)}]})
    assert broken({"runs": [{"name": "x", "database": "sqlite", "failure": "the run exited with 1"}]})


def test_the_table_shows_each_bar_beside_its_figure() -> None:
    slow = figures(p99_ms=628.0)
    text = table(
        {
            "runs": [
                slow | {"bars": bars(slow)},
                {"name": "2,000", "database": "postgresql", "failure": "the run exited with 1"},
            ]
        }
    )
    lines = text.splitlines()
    assert lines[0].startswith("| run | database | nodes × workers | pupils | req/s | bare req/s | ratio")
    assert (
        "| 1,000 pupils, one node | sqlite | 1 × 2 | 1,000 | 180.5 | 1000.0 | 0.18 | 60 | 628 | 0 |" in text
    )
    assert "p99 < 250 ms: FAIL" in text and "0 answers lost: PASS" in text
    assert "| 2,000 | postgresql |" in text and text.count("FAILED") == 1
    assert lines[-1] == "3 of 4 bars met"


def test_planned_runs_follow_the_settings() -> None:
    assert planned_runs({}) == [
        Run("1,000 pupils, one node", "sqlite", 1, 1000),
        Run("1,000 pupils, one node", "postgresql", 1, 1000),
        Run("2,000 pupils, two nodes + nginx", "postgresql", 2, 2000),
    ]
    only = planned_runs({"CONTEST_DATABASES": "sqlite", "CONTEST_TWO_NODES": "0", "CONTEST_PUPILS": "50"})
    assert only == [Run("50 pupils, one node", "sqlite", 1, 50)]


def test_percentile_is_the_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.99) == 100.0 and percentile(values, 0.5) == 51.0
    assert percentile([], 0.99) == 0.0


def test_a_run_becomes_pure_results_with_the_p99_bar() -> None:
    results = as_pure_results(figures(p99_ms=240.0, errors={"HTTP 502": 2}))
    by_name = {result.name: result for result in results}
    p99 = by_name["contest day: 1,000 pupils, one node, p99 (s)"]
    assert p99.seconds == 0.24 and p99.at_most_s == 0.25
    assert by_name["contest day: 1,000 pupils, one node, failed requests"].per_second == 2.0
    assert by_name["contest day: 1,000 pupils, one node (requests/s)"].per_second == 180.5
    with pytest.raises(RuntimeError, match="exited with 1"):
        as_pure_results({"name": "x", "database": "sqlite", "failure": "the run exited with 1"})
