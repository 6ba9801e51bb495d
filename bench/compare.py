"""Before and after: `python -m bench.compare BEFORE.json [AFTER.json]` (AFTER defaults to
bench/results/latest.json), or `BENCH_BEFORE=BEFORE.json make bench` at the end of a run. Prints,
per database, each page's ratio to the bare page and p99 before and after beside its bar, then the
pure results. A page is matched by its name, else by its path; either side may be missing.

Reads the runner's document and the single-database one it printed before issue 17
({"machine", "results", "pure"}).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bench import report
from bench.servers import ROOT

PAGE_COLUMNS = ("target", "ratio before", "ratio after", "p99 ms before", "p99 ms after", "bar", "verdict")
PURE_COLUMNS = ("pure result", "before", "after", "bar", "verdict")


def runs_by_database(document: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    runs = document.get("databases", [document])
    return {run.get("machine", {}).get("database", "?"): run for run in runs}


def _match(row: Mapping[str, Any], rows: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    by_name = [other for other in rows if other["name"] == row["name"]]
    if by_name:
        return by_name[0]
    by_path = [other for other in rows if row.get("path") and other.get("path") == row.get("path")]
    return by_path[0] if by_path else None


def paired(before: list[Mapping[str, Any]], after: list[Mapping[str, Any]]) -> list[tuple[Any, Any]]:
    """(before, after) pairs in the after run's order, then rows only the before run had."""
    pairs: list[tuple[Any, Any]] = [(_match(row, before), row) for row in after]
    matched = {id(pair[0]) for pair in pairs if pair[0] is not None}
    return pairs + [(row, None) for row in before if id(row) not in matched]


def _cell(row: Mapping[str, Any] | None, key: str, decimals: int | None = None) -> str:
    return report.number(row.get(key) if row else None, decimals)


def page_cells(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> tuple[str, ...]:
    named = after or before or {}
    return (
        str(named["name"]),
        _cell(before, "ratio", 3),
        _cell(after, "ratio", 3),
        _cell(before, "p99_ms"),
        _cell(after, "p99_ms"),
        report.target_bar(after or {}),
        (after or {}).get("verdict") or "—",
    )


def pure_cells(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> tuple[str, ...]:
    named = after or before or {}
    return (
        str(named["name"]),
        report.pure_figure(before) if before else "—",
        report.pure_figure(after) if after else "—",
        report.pure_bar(after or {}),
        (after or {}).get("verdict") or "—",
    )


def render(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    old, new = runs_by_database(before), runs_by_database(after)
    parts: list[str] = []
    for database in [*new, *(name for name in old if name not in new)]:
        was, now = old.get(database, {}), new.get(database, {})
        parts.append(f"## {database}: before and after")
        pages = paired(list(was.get("results", [])), list(now.get("results", [])))
        if pages:
            parts.append(report.table(PAGE_COLUMNS, [page_cells(b, a) for b, a in pages]))
        pure = paired(list(was.get("pure", [])), list(now.get("pure", [])))
        if pure:
            parts.append(report.table(PURE_COLUMNS, [pure_cells(b, a) for b, a in pure]))
    return "\n\n".join(parts)


def main(arguments: list[str]) -> int:
    if not 1 <= len(arguments) <= 2:
        print(__doc__, file=sys.stderr)
        return 2
    after_path = Path(arguments[1]) if len(arguments) > 1 else ROOT / "bench" / "results" / "latest.json"
    before = json.loads(Path(arguments[0]).read_text())
    print(render(before, json.loads(after_path.read_text())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
