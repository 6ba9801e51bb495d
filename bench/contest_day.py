"""`python -m bench.contest_day` (`make contest-day`): an olympiad's round day, measured against the
issue's bar. Three runs, each a child process (`bench/contest_day_nodes.py`) on a fresh database:

1. 1,000 pupils, one gunicorn node with 2 workers, SQLite;
2. the same on a throwaway PostgreSQL 15 (bench/postgres.py; BENCH_DATABASE_URL gives a database
   to use a throwaway schema of instead);
3. 2,000 pupils on two gunicorn nodes (2 workers each, separate instance folders, one SECRET_KEY)
   behind Debian's nginx, sharing one PostgreSQL and one Redis (bench/topology.py).

Each pupil starts the round, saves 20 answers and finishes, 16 pupils per node at a time with no
pause (harder than a real round); every acknowledged answer is then looked up in the database.
Bars: p99 < 250 ms on one node, 0 failed requests, 0 answers lost, every pupil finished. Prints
one JSON document, then a table; keeps the JSON in bench/results/contest_day.json.

Settings: CONTEST_DATABASES (sqlite,postgresql), CONTEST_TWO_NODES (1; 0 skips run 3),
CONTEST_PUPILS (1000), CONTEST_NODE_PUPILS (2000), CONTEST_CONNECTIONS (16 per node).
Exit code 1 when a run failed, a request failed or an answer was lost; a missed p99 is reported
(PASS/FAIL in the table) without failing the command, since the machine may be shared.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import postgres
from bench.scenario import PureResult
from bench.servers import ROOT, log, stop_on_sigterm

P99_BAR_MS = 250.0
ANSWERS_PER_PUPIL = 20
RUN_SECONDS = 1800  # data, start-up, the load and the check of one run, at most


@dataclass(frozen=True)
class Run:
    name: str
    database: str  # "sqlite" or "postgresql"
    nodes: int
    pupils: int


def bars(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Each bar of the issue with the figure it is judged on and whether it is met."""
    answers = figures["answers"]
    failed = sum(figures["errors"].values())
    found = [
        {"bar": "0 failed requests", "figure": failed, "met": failed == 0},
        {
            "bar": "0 answers lost",
            "figure": answers["missing"],
            "met": answers["missing"] == 0 and answers["acknowledged"] > 0,
        },
        {
            "bar": f"all {figures['pupils']:,} pupils finished",
            "figure": figures["attempts"]["finished"],
            "met": figures["attempts"]["finished"] == figures["pupils"]
            and answers["acknowledged"] == figures["pupils"] * ANSWERS_PER_PUPIL,
        },
    ]
    if figures["nodes"] == 1:
        p99 = figures["p99_ms"]
        found.append({"bar": f"p99 < {P99_BAR_MS:g} ms", "figure": p99, "met": p99 < P99_BAR_MS})
    return found


def broken(document: dict[str, Any]) -> bool:
    """What fails the command: a run that did not finish, a failed request, a lost answer."""
    for run in document["runs"]:
        if "failure" in run:
            return True
        judged = {bar["bar"]: bar["met"] for bar in run["bars"]}
        if not (judged["0 failed requests"] and judged["0 answers lost"]):
            return True
    return False


def table(document: dict[str, Any]) -> str:
    """The runs as a Markdown table, every bar beside its figure."""
    lines = [
        "| run | database | nodes × workers | pupils | req/s | bare req/s | ratio | p50 ms | p99 ms | "
        "failed | acknowledged | lost | bars |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for run in document["runs"]:
        if "failure" in run:
            lines.append(f"| {run['name']} | {run['database']} |" + " — |" * 10 + " FAILED |")
            continue
        verdicts = "; ".join(f"{b['bar']}: {'PASS' if b['met'] else 'FAIL'}" for b in run["bars"])
        lines.append(
            f"| {run['name']} | {run['database']} | {run['nodes']} × {run['workers_per_node']} | "
            f"{run['pupils']:,} | {run['requests_per_s']:g} | {run.get('bare_requests_per_s', '—')} | "
            f"{run.get('ratio', '—')} | {run['p50_ms']:g} | {run['p99_ms']:g} | "
            f"{sum(run['errors'].values())} | {run['answers']['acknowledged']:,} | "
            f"{run['answers']['missing']} | {verdicts} |"
        )
    met = sum(b["met"] for run in document["runs"] for b in run.get("bars", []))
    total = sum(len(run.get("bars", [])) for run in document["runs"])
    lines.append(f"\n{met} of {total} bars met")
    return "\n".join(lines)


def as_pure_results(run: dict[str, Any]) -> list[PureResult]:
    """One run's figures as `make bench` prints pure results, each with its bar (for a scenario
    that runs the contest day with `perform` instead of its own copy of the load)."""
    if "failure" in run:
        raise RuntimeError(f"contest day, {run['name']}: {run['failure']}")
    name = f"contest day: {run['name']}"
    failed = sum(run["errors"].values())
    results = [
        PureResult(f"{name} (requests/s)", per_second=run["requests_per_s"]),
        PureResult(f"{name}, failed requests", per_second=float(failed)),
        PureResult(f"{name}, answers lost", per_second=float(run["answers"]["missing"])),
    ]
    if run["nodes"] == 1:
        results.append(
            PureResult(f"{name}, p99 (s)", seconds=run["p99_ms"] / 1000, at_most_s=P99_BAR_MS / 1000)
        )
    return results


def planned_runs(environ: dict[str, str]) -> list[Run]:
    databases = [d.strip() for d in environ.get("CONTEST_DATABASES", "sqlite,postgresql").split(",")]
    pupils = int(environ.get("CONTEST_PUPILS", "1000"))
    runs = [
        Run(f"{pupils:,} pupils, one node", database, 1, pupils)
        for database in databases
        if database in ("sqlite", "postgresql")
    ]
    if environ.get("CONTEST_TWO_NODES", "1") != "0":
        node_pupils = int(environ.get("CONTEST_NODE_PUPILS", "2000"))
        runs.append(Run(f"{node_pupils:,} pupils, two nodes + nginx", "postgresql", 2, node_pupils))
    return runs


@contextlib.contextmanager
def database_for(run: Run, workdir: Path) -> Iterator[str]:
    """A fresh, empty database for one run: a SQLite file, or PostgreSQL (a throwaway cluster, or a
    throwaway schema of BENCH_DATABASE_URL)."""
    if run.database == "sqlite":
        yield f"sqlite:///{workdir / 'contest-day.db'}"
        return
    given = os.environ.get("BENCH_DATABASE_URL", "")
    if postgres.is_postgresql(given):
        with postgres.throwaway_schema(given, prefix="contest_day") as url:
            yield url
        return
    with postgres.throwaway_cluster("vmeste_contest_day") as url:
        yield url


def perform(run: Run) -> dict[str, Any]:
    """One run in a child process (the app reads DATABASE_URL when it is built); its figures."""
    head = {"name": run.name, "database": run.database}
    with (
        tempfile.TemporaryDirectory(prefix="vmeste-contest-day-") as workdir,
        database_for(run, Path(workdir)) as url,
    ):
        env = dict(os.environ, DATABASE_URL=url, VMESTE_INSTANCE_PATH=workdir, VMESTE_CONFIG="production")
        env.update(CONTEST_NODES=str(run.nodes), CONTEST_PUPILS=str(run.pupils), PYTHONPATH=str(ROOT))
        env.setdefault("SECRET_KEY", "contest-day-" + os.urandom(16).hex())
        log(f"contest day: {run.name} on {run.database}")
        try:
            child = subprocess.run(
                [sys.executable, "-m", "bench.contest_day_nodes"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
                timeout=RUN_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return head | {"failure": f"the run took longer than {RUN_SECONDS}s"}
    if child.returncode != 0 or not child.stdout.strip():
        return head | {"failure": f"the run exited with {child.returncode}"}
    figures: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    log(f"contest day: {run.name} on {run.database}: {json.dumps(figures, ensure_ascii=False)}")
    return head | figures | {"bars": bars(figures)}


def main() -> int:
    document = {"runs": [perform(run) for run in planned_runs(dict(os.environ))]}
    text = json.dumps(document, ensure_ascii=False, indent=2)
    print(text)
    print()
    print(table(document))
    saved = ROOT / "bench" / "results"
    saved.mkdir(exist_ok=True)
    (saved / "contest_day.json").write_text(text + "\n")
    return 1 if broken(document) else 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    sys.exit(main())
