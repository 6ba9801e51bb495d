"""`python -m bench.run` (`make bench`): every scenario on SQLite and on PostgreSQL, each page beside
a bare Flask page in the same run, every figure printed beside its bar with PASS/FAIL.

For each database a child process (`bench/database_run.py`) generates the data, serves the app and
the bare page with gunicorn (2 workers each) on loopback and loads each target with wrk (or a Python
client when wrk is missing). SQLite is a new file in a temp dir; PostgreSQL is a throwaway 15 cluster
started here (as `.ci/run` and `make chaos` do), or a throwaway schema of BENCH_DATABASE_URL.

Prints one table per database (pages, then pure results) and «N of M bars met»; keeps the whole
document as JSON in bench/results/latest.json (and in BENCH_JSON when set); with BENCH_BEFORE (an
earlier run's JSON) it also prints each figure before and after (bench/compare.py). The exit code
is 1 when a scenario, a target or a database failed or a page answered with errors, not for a
missed bar.

Settings (environment): BENCH_DATABASES (sqlite,postgresql), BENCH_DATABASE_URL (used for the
database of its kind; a SQLite file given is emptied), BENCH_DURATION seconds per measurement (3),
BENCH_CONNECTIONS (16), BENCH_THREADS (2), BENCH_SCENARIOS (comma-separated names; default all).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench import compare, postgres, report
from bench.servers import PASSWORD, ROOT, Gunicorn, free_port, log, stop_on_sigterm

# Scenarios and bench/chaos_round.py import the shared pieces from here (they live in bench/servers.py).
__all__ = ["PASSWORD", "ROOT", "Gunicorn", "free_port", "log", "main"]

DATABASES = ("sqlite", "postgresql")
# The contest day's rounds inside the contests and quiz scenarios (4-5 minutes each per database) stay
# off unless asked for: `make contest-day` (bench/contest_day.py) measures the contest day with its bars.
ROUNDS_OVER_HTTP = ("BENCH_CONTESTS_HTTP", "BENCH_QUIZ_HTTP")
CHILD_TIMEOUT_S = 45 * 60  # one database's whole run; a hung child must not hang CI


def wanted_databases() -> list[str]:
    names = [n.strip().lower() for n in (os.environ.get("BENCH_DATABASES") or ",".join(DATABASES)).split(",")]
    unknown = [n for n in names if n and n not in DATABASES]
    if unknown:
        raise SystemExit(f"BENCH_DATABASES: unknown {', '.join(unknown)} (use sqlite, postgresql)")
    return [n for n in DATABASES if n in names]


@contextlib.contextmanager
def database_url(kind: str, workdir: Path) -> Iterator[str]:
    """The URL the run of `kind` uses: BENCH_DATABASE_URL when it is of that kind, else a new SQLite
    file or a throwaway PostgreSQL 15 cluster."""
    given = (os.environ.get("BENCH_DATABASE_URL") or "").strip()
    if kind == "postgresql":
        if postgres.is_postgresql(given):
            with postgres.throwaway_schema(given) as url:
                yield url
        else:
            with postgres.throwaway_cluster("vmeste_bench") as url:
                yield url
    elif given.startswith("sqlite"):
        yield given
    else:
        yield f"sqlite:///{workdir / 'bench.db'}"


def run_one(kind: str) -> dict[str, Any]:
    """One database's run in a child process; its document, or one naming why there is none."""
    workdir = Path(tempfile.mkdtemp(prefix=f"vmeste-bench-{kind}-"))
    output = workdir / "result.json"
    started = time.perf_counter()
    failure = None
    try:
        with database_url(kind, workdir) as url:
            env = dict(
                os.environ,
                DATABASE_URL=url,
                VMESTE_INSTANCE_PATH=str(workdir),
                SECRET_KEY=secrets.token_urlsafe(32),
                VMESTE_CONFIG="development",
                PYTHONPATH=str(ROOT),
                BENCH_OUTPUT=str(output),
            )
            for flag in ROUNDS_OVER_HTTP:
                env.setdefault(flag, "0")
            log(f"{kind}: starting")
            child = subprocess.Popen([sys.executable, "-m", "bench.database_run"], cwd=ROOT, env=env)
            try:
                code = child.wait(timeout=CHILD_TIMEOUT_S)
            finally:
                if child.poll() is None:
                    child.terminate()  # it stops its gunicorns on SIGTERM
                    child.wait(timeout=60)
            if code != 0 or not output.exists():
                failure = f"the {kind} run exited with {code}"
    except (SystemExit, subprocess.SubprocessError, OSError) as error:
        if isinstance(error, SystemExit) and not isinstance(error.code, str):
            raise  # SIGTERM: stop, after the cluster is gone
        failure = f"{type(error).__name__}: {error}"
    run: dict[str, Any] = {"machine": {"database": kind}, "results": [], "pure": []}
    if output.exists():
        run = json.loads(output.read_text())
    if failure:
        run.setdefault("failures", []).append({"scenario": "run", "error": failure})
    run["seconds"] = round(time.perf_counter() - started, 1)
    log(f"{kind}: done in {run['seconds']:.0f}s")
    shutil.rmtree(workdir, ignore_errors=True)
    return run


def main() -> int:
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    runs = [run_one(kind) for kind in wanted_databases()]
    document = report.summarise(runs)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    saved = ROOT / "bench" / "results"
    saved.mkdir(exist_ok=True)
    (saved / "latest.json").write_text(text)
    if os.environ.get("BENCH_JSON"):
        Path(os.environ["BENCH_JSON"]).write_text(text)
    print(report.render(document))
    if os.environ.get("BENCH_BEFORE"):
        before = json.loads(Path(os.environ["BENCH_BEFORE"]).read_text())
        print("\n" + compare.render(before, document))
    print(f"\nJSON: {saved / 'latest.json'}")
    return report.exit_code(document)


if __name__ == "__main__":
    sys.exit(main())
