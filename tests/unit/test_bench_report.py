"""The bench runner's verdicts, bar count, exit code and printed tables (bench/report.py)."""

from __future__ import annotations

from typing import Any

import pytest

from bench import report
from bench.measure import parse_wrk
from bench.scenario import PureResult


def page(**fields: Any) -> dict[str, Any]:
    row = {
        "name": "dashboard (teacher)",
        "path": "/dashboard",
        "requests_per_s": 900.0,
        "p50_ms": 15.2,
        "p99_ms": 41.0,
        "errors": 0,
        "baseline_requests_per_s": 6000.0,
        "ratio": 0.15,
        "at_least": None,
        "p99_under_ms": None,
    }
    row.update(fields)
    row["verdict"] = report.target_verdict(row)
    return row


@pytest.mark.parametrize(
    ("fields", "verdict"),
    [
        ({}, None),
        ({"at_least": 0.15}, "PASS"),  # the bar itself is met
        ({"at_least": 0.15, "ratio": 0.149}, "FAIL"),
        ({"at_least": 0.15, "ratio": None}, "FAIL"),  # no baseline: nothing shows the bar met
        ({"at_least": 0.15, "errors": 1}, "FAIL"),
        ({"p99_under_ms": 500, "p99_ms": 499.9}, "PASS"),
        ({"p99_under_ms": 500, "p99_ms": 500.0}, "FAIL"),  # «under» is strict
        ({"at_least": 0.05, "ratio": 0.2, "p99_under_ms": 500, "p99_ms": 620.0}, "FAIL"),
        ({"at_least": 0.05, "ratio": 0.04, "p99_under_ms": 500, "p99_ms": 100.0}, "FAIL"),
        ({"at_least": 0.05, "ratio": 0.06, "p99_under_ms": 500, "p99_ms": 100.0}, "PASS"),
    ],
)
def test_a_page_meets_its_bar_only_with_every_part_of_it(fields: dict[str, Any], verdict: str | None) -> None:
    assert page(**fields)["verdict"] == verdict


@pytest.mark.parametrize(
    ("result", "verdict"),
    [
        (PureResult("rank", seconds=0.75), None),
        (PureResult("rank", seconds=0.5, at_most_s=0.5), "PASS"),
        (PureResult("rank", seconds=0.51, at_most_s=0.5), "FAIL"),
        (PureResult("grade", per_second=300_000, at_least_per_s=300_000), "PASS"),
        (PureResult("grade", per_second=299_999.9, at_least_per_s=300_000), "FAIL"),
        (PureResult("grade", seconds=0.1, at_least_per_s=300_000), "FAIL"),  # no rate measured
    ],
)
def test_a_pure_result_is_judged_by_its_own_bar(result: PureResult, verdict: str | None) -> None:
    assert report.pure_verdict(result.as_json()) == verdict


def test_a_pure_result_keeps_its_figure_and_bar_in_json() -> None:
    assert PureResult("rank", seconds=0.1234567, at_most_s=0.5).as_json() == {
        "name": "rank",
        "seconds": 0.123457,
        "at_most_s": 0.5,
    }
    assert PureResult("grade", per_second=12.34).as_json() == {"name": "grade", "per_second": 12.3}


def run(database: str, results: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"machine": {"database": database}, "results": results, "pure": [], **extra}


def test_bars_are_counted_per_database_and_in_all() -> None:
    pure = dict(PureResult("rank", seconds=0.4, at_most_s=0.5).as_json(), verdict="PASS")
    sqlite = run("sqlite", [page(at_least=0.15), page(at_least=0.25), page()], pure=[pure])
    postgresql = run("postgresql", [page(at_least=0.15, ratio=0.1)])
    document = report.summarise([sqlite, postgresql])
    assert sqlite["bars"] == {"met": 2, "total": 3}  # the page without a bar is not counted
    assert postgresql["bars"] == {"met": 0, "total": 1}
    assert document["bars"] == {"met": 2, "total": 4}
    assert "failures" not in document
    assert report.exit_code(document) == 0  # missed bars alone do not fail the run
    assert report.render(document).endswith("2 of 4 bars met")


def test_errors_and_failed_scenarios_fail_the_run() -> None:
    with_errors = report.summarise([run("sqlite", [page(errors=3)])])
    assert with_errors["failures"] == [
        {"database": "sqlite", "target": "dashboard (teacher)", "error": "3 failed requests"}
    ]
    assert report.exit_code(with_errors) == 1
    broken = report.summarise([run("postgresql", [], failures=[{"scenario": "jury", "error": "boom"}])])
    assert broken["failures"] == [{"database": "postgresql", "scenario": "jury", "error": "boom"}]
    assert report.exit_code(broken) == 1
    assert "FAILED (postgresql) jury: boom" in report.render(broken)


def test_each_database_prints_one_page_table_with_the_bar_beside_each_figure() -> None:
    rows = [
        page(at_least=0.15, requests_per_s=1234.5, ratio=0.206),
        page(name="jury overview", at_least=0.05, p99_under_ms=500, p99_ms=3120.0, ratio=0.002),
        page(name="login page"),
    ]
    pure = [
        dict(PureResult("grading", per_second=412_345.6, at_least_per_s=300_000).as_json(), verdict="PASS")
    ]
    postgresql = run("postgresql", rows)
    postgresql["machine"].update(data_and_pure_s=301.4, pages_s=222.0)
    text = report.render(report.summarise([run("sqlite", rows, pure=pure), postgresql]))
    blocks = text.split("\n\n")
    assert blocks[0] == "## sqlite"
    lines = blocks[1].splitlines()
    assert [cell.strip() for cell in lines[0].strip("|").split("|")] == list(report.TARGET_COLUMNS)
    assert len(lines) == 2 + len(rows)
    assert len({len(line) for line in lines}) == 1  # the columns line up
    cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]
    assert cells[0] == [
        "dashboard (teacher)",
        "1,234",
        "15.2",
        "41.0",
        "0",
        "6,000",
        "0.206",
        "≥ 0.15",
        "PASS",
    ]
    assert cells[1][-2:] == ["≥ 0.05, p99 < 500 ms", "FAIL"]
    assert cells[2][-2:] == ["—", "—"]
    assert blocks[2].splitlines()[2] == "| grading     | 412,346/s | ≥ 300,000/s | PASS    |"
    assert blocks[3] == "sqlite: 2 of 3 bars met"
    assert blocks[4] == "## postgresql"
    assert blocks[-2:] == [
        "postgresql: 1 of 2 bars met (data and pure timings 301 s, pages 222 s)",
        "3 of 5 bars met",
    ]


WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:5000/dashboard
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    15.10ms    3.20ms  60.00ms   90.00%
  Latency Distribution
     50%   14.80ms
     75%   16.00ms
     90%   18.00ms
     99%    1.20s
  2700 requests in 3.00s, 27.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:    900.00
Transfer/sec:      9.00MB
"""


def test_wrk_figures_are_read_with_their_units_and_errors() -> None:
    assert parse_wrk(WRK_OUTPUT) == {
        "requests_per_s": 900.0,
        "p50_ms": 14.8,
        "p99_ms": 1200.0,
        "errors": 7,
        "timeouts": 2,
    }
    with pytest.raises(ValueError):
        parse_wrk("unable to connect to 127.0.0.1:5000 Connection refused")
