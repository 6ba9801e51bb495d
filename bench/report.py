"""The verdicts and the printed tables of a bench run (pure: dicts in, text out).

A page's bar is the least share of the bare page's requests/s (`at_least`) and, for heavy pages, the
most p99 latency (`p99_under_ms`); a page with errors misses its bar. A pure result's bar is at most
`at_most_s` seconds or at least `at_least_per_s` per second. A row without a bar has no verdict.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

PASS = "PASS"
FAIL = "FAIL"

TARGET_COLUMNS = ("target", "req/s", "p50 ms", "p99 ms", "errors", "bare req/s", "ratio", "bar", "verdict")
PURE_COLUMNS = ("pure result", "figure", "bar", "verdict")


def target_verdict(row: Mapping[str, Any]) -> str | None:
    """PASS when the ratio reaches `at_least`, p99 stays under `p99_under_ms` and nothing failed."""
    at_least, p99_under = row.get("at_least"), row.get("p99_under_ms")
    if at_least is None and p99_under is None:
        return None
    ratio = row.get("ratio")
    met = not row.get("errors")
    if at_least is not None:
        met = met and ratio is not None and ratio >= at_least
    if p99_under is not None:
        met = met and row.get("p99_ms") is not None and row["p99_ms"] < p99_under
    return PASS if met else FAIL


def pure_verdict(row: Mapping[str, Any]) -> str | None:
    """PASS when `seconds` is at most `at_most_s` or `per_second` at least `at_least_per_s`."""
    at_most, at_least = row.get("at_most_s"), row.get("at_least_per_s")
    if at_most is None and at_least is None:
        return None
    met = True
    if at_most is not None:
        met = row.get("seconds") is not None and row["seconds"] <= at_most
    if at_least is not None:
        met = met and row.get("per_second") is not None and row["per_second"] >= at_least
    return PASS if met else FAIL


def count_bars(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """How many rows carry a bar (`total`) and how many of them met it (`met`)."""
    verdicts = [row.get("verdict") for row in rows if row.get("verdict") is not None]
    return {"met": verdicts.count(PASS), "total": len(verdicts)}


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The whole run's document: each database's run with its bar count, the total, every failure."""
    failures: list[dict[str, Any]] = []
    met = total = 0
    for run in runs:
        run["bars"] = count_bars([*run.get("results", []), *run.get("pure", [])])
        met, total = met + run["bars"]["met"], total + run["bars"]["total"]
        database = run.get("machine", {}).get("database")
        failures += [dict(failure, database=database) for failure in run.get("failures", [])]
        failures += [
            {"database": database, "target": row["name"], "error": f"{row['errors']} failed requests"}
            for row in run.get("results", [])
            if row.get("errors")
        ]
    document: dict[str, Any] = {"databases": runs, "bars": {"met": met, "total": total}}
    if failures:
        document["failures"] = failures
    return document


def exit_code(document: Mapping[str, Any]) -> int:
    """1 when a scenario, a target or a database failed or a page answered with errors; a missed
    bar alone is not a failure of the run."""
    return 1 if document.get("failures") else 0


def number(value: float | None, decimals: int | None = None) -> str:
    if value is None:
        return "—"
    if decimals is None:
        decimals = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return f"{value:,.{decimals}f}"


def target_bar(row: Mapping[str, Any]) -> str:
    parts = []
    if row.get("at_least") is not None:
        parts.append(f"≥ {row['at_least']:g}")
    if row.get("p99_under_ms") is not None:
        parts.append(f"p99 < {row['p99_under_ms']:g} ms")
    return ", ".join(parts) or "—"


def pure_bar(row: Mapping[str, Any]) -> str:
    parts = []
    if row.get("at_most_s") is not None:
        parts.append(f"≤ {row['at_most_s']:g} s")
    if row.get("at_least_per_s") is not None:
        parts.append(f"≥ {row['at_least_per_s']:,.0f}/s")
    return ", ".join(parts) or "—"


def pure_figure(row: Mapping[str, Any]) -> str:
    parts = []
    if row.get("seconds") is not None:
        parts.append(f"{row['seconds']:.3f} s")
    if row.get("per_second") is not None:
        parts.append(f"{row['per_second']:,.0f}/s")
    return ", ".join(parts) or "—"


def target_cells(row: Mapping[str, Any]) -> tuple[str, ...]:
    return (
        str(row["name"]),
        number(row.get("requests_per_s")),
        number(row.get("p50_ms")),
        number(row.get("p99_ms")),
        str(row.get("errors", 0)),
        number(row.get("baseline_requests_per_s")),
        number(row.get("ratio"), 3),
        target_bar(row),
        row.get("verdict") or "—",
    )


def pure_cells(row: Mapping[str, Any]) -> tuple[str, ...]:
    return (str(row["name"]), pure_figure(row), pure_bar(row), row.get("verdict") or "—")


def table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A Markdown table padded to line up in a terminal; numbers (all but the first column and the
    bar/verdict columns) aligned right."""
    widths = [max(len(cell) for cell in column) for column in zip(columns, *rows, strict=True)]
    right = [0 < i < len(columns) - 2 for i in range(len(columns))]

    def line(cells: tuple[str, ...]) -> str:
        padded = [
            cell.rjust(width) if is_right else cell.ljust(width)
            for cell, width, is_right in zip(cells, widths, right, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "| " + " | ".join(
        ("-" * (w - 1) + ":") if r else "-" * w for w, r in zip(widths, right, strict=True)
    )
    return "\n".join([line(columns), rule + " |", *(line(row) for row in rows)])


def render(document: Mapping[str, Any]) -> str:
    """Per database: its pages' table and its pure results' table; then failures and the bar count."""
    parts: list[str] = []
    for run in document["databases"]:
        machine = run.get("machine", {})
        heading = f"## {machine.get('database', '?')}"
        if machine.get("load_tool"):
            heading += (
                f" — {machine.get('gunicorn_workers')} gunicorn workers, {machine['load_tool']} "
                f"-c{machine.get('connections')} {machine.get('duration_s')} s per measurement"
            )
        if machine.get("load_average"):
            heading += f", load average {machine['load_average']}"
        parts.append(heading)
        if run.get("results"):
            parts.append(table(TARGET_COLUMNS, [target_cells(row) for row in run["results"]]))
        if run.get("pure"):
            parts.append(table(PURE_COLUMNS, [pure_cells(row) for row in run["pure"]]))
        bars = run.get("bars", {"met": 0, "total": 0})
        line = f"{machine.get('database', '?')}: {bars['met']} of {bars['total']} bars met"
        if machine.get("data_and_pure_s") is not None:
            spent = machine["data_and_pure_s"], machine.get("pages_s", 0)
            line += f" (data and pure timings {spent[0]:.0f} s, pages {spent[1]:.0f} s)"
        parts.append(line)
    for failure in document.get("failures", []):
        where = failure.get("target") or failure.get("scenario") or "run"
        parts.append(f"FAILED ({failure.get('database')}) {where}: {failure['error']}")
    bars = document["bars"]
    parts.append(f"{bars['met']} of {bars['total']} bars met")
    return "\n\n".join(parts)
