"""Before and after tables of the bench (bench/compare.py): pages matched by name, else by path, and
the single-database document printed before issue 17 read as its database's run."""

from __future__ import annotations

from typing import Any

from bench import compare


def page(name: str, path: str, ratio: float, p99: float, **bar: Any) -> dict[str, Any]:
    return {"name": name, "path": path, "ratio": ratio, "p99_ms": p99, **bar}


OLD_DOCUMENT = {  # the runner's output before it ran two databases
    "machine": {"database": "sqlite"},
    "results": [
        page("dashboard (teacher)", "/dashboard", 0.027, 119.0),
        page("jury overview", "/jury/stages/3/overview", 0.002, 4400.0),
        page("network list", "/network", 0.024, 211.0),
    ],
    "pure": [{"name": "rank 100,000", "seconds": 0.75}],
}
NEW_DOCUMENT = {
    "databases": [
        {
            "machine": {"database": "sqlite"},
            "results": [
                page("dashboard (teacher)", "/dashboard", 0.21, 30.0, at_least=0.15, verdict="PASS"),
                page(
                    "jury scores overview, page 1",
                    "/jury/stages/3/overview",
                    0.06,
                    420.0,
                    at_least=0.05,
                    p99_under_ms=500,
                    verdict="PASS",
                ),
                page("empty signed-in page", "/auth/password", 0.3, 20.0, at_least=0.25, verdict="PASS"),
            ],
            "pure": [{"name": "rank 100,000", "seconds": 0.4, "at_most_s": 0.5, "verdict": "PASS"}],
        },
        {"machine": {"database": "postgresql"}, "results": [], "pure": []},
    ]
}


def rows(block: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in block.splitlines()[2:]]


def test_pages_are_paired_by_name_then_by_path_and_unpaired_ones_kept() -> None:
    text = compare.render(OLD_DOCUMENT, NEW_DOCUMENT)
    blocks = text.split("\n\n")
    assert blocks[0] == "## sqlite: before and after"
    assert rows(blocks[1]) == [
        ["dashboard (teacher)", "0.027", "0.210", "119", "30.0", "≥ 0.15", "PASS"],
        ["jury scores overview, page 1", "0.002", "0.060", "4,400", "420", "≥ 0.05, p99 < 500 ms", "PASS"],
        ["empty signed-in page", "—", "0.300", "—", "20.0", "≥ 0.25", "PASS"],
        ["network list", "0.024", "—", "211", "—", "—", "—"],  # gone from the after run
    ]
    assert rows(blocks[2]) == [["rank 100,000", "0.750 s", "0.400 s", "≤ 0.5 s", "PASS"]]
    assert blocks[3] == "## postgresql: before and after"  # nothing measured there before
    assert len(blocks) == 4


def test_a_database_only_the_before_run_had_is_still_shown() -> None:
    text = compare.render(NEW_DOCUMENT, OLD_DOCUMENT)
    assert text.split("\n\n")[0] == "## sqlite: before and after"
    assert "## postgresql: before and after" in text
