"""One database's half of `make bench`, run by `bench/run.py` in a child process (the app reads its
configuration when it is imported): build the schema, run every scenario's `prepare` and `pure`,
serve the app and the bare Flask page with gunicorn (2 workers each) on loopback, load each target
and right after it the bare page, and write the figures with their verdicts as JSON to the file
named by BENCH_OUTPUT.

The parent sets DATABASE_URL (emptied here), VMESTE_INSTANCE_PATH (a temp dir), SECRET_KEY and
BENCH_OUTPUT; BENCH_DURATION, BENCH_CONNECTIONS, BENCH_THREADS and BENCH_SCENARIOS pass through.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import pkgutil
import platform
import shutil
import signal
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import bench.scenarios
from app import create_app
from app.extensions import db
from app.security import hash_password
from bench import report
from bench.measure import measure
from bench.scenario import BenchContext, HttpTarget, PureResult
from bench.servers import PASSWORD, WORKERS, Gunicorn, log, login_cookie, stop_on_sigterm

DEFAULT_DURATION_S = 3


def settings_from_env() -> dict[str, Any]:
    duration = float(os.environ.get("BENCH_DURATION") or DEFAULT_DURATION_S)
    return {
        "duration": int(duration) if duration == int(duration) else duration,
        "connections": int(os.environ.get("BENCH_CONNECTIONS") or 16),
        "threads": int(os.environ.get("BENCH_THREADS") or 2),
        "tool": "wrk" if shutil.which("wrk") else "python",
    }


def discover() -> list[ModuleType]:
    """bench/scenarios/*.py, `foundation` first, then by name; BENCH_SCENARIOS narrows the list."""
    names = sorted(
        m.name for m in pkgutil.iter_modules(bench.scenarios.__path__) if not m.name.startswith("_")
    )
    names.sort(key=lambda name: (name != "foundation", name))
    wanted = [n.strip() for n in os.environ.get("BENCH_SCENARIOS", "").split(",") if n.strip()]
    if wanted:
        names = [n for n in names if n in wanted or n == "foundation"]
    return [importlib.import_module(f"bench.scenarios.{name}") for name in names]


def machine(settings: dict[str, Any], dialect: str) -> dict[str, Any]:
    memory = None
    with contextlib.suppress(ValueError, OSError):
        memory = round(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30, 1)
    return {
        "cpus": os.cpu_count(),
        "memory_gib": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "database": dialect,
        "gunicorn_workers": WORKERS,
        "load_tool": settings["tool"],
        "duration_s": settings["duration"],
        "connections": settings["connections"],
        "threads": settings["threads"],
        "load_average": " ".join(f"{n:.1f}" for n in os.getloadavg()),
    }


def prepare_all(
    ctx: BenchContext, failures: list[dict[str, str]]
) -> tuple[list[HttpTarget], list[PureResult]]:
    """Each scenario's data, targets and pure timings; a broken scenario is recorded, not fatal."""
    targets: list[HttpTarget] = []
    pure: list[PureResult] = []
    for scenario in discover():
        name = scenario.__name__.rsplit(".", 1)[-1]
        try:
            if hasattr(scenario, "prepare"):
                started = time.perf_counter()
                scenario.prepare(ctx)
                log(f"{name}: data ready in {time.perf_counter() - started:.1f}s")
            if hasattr(scenario, "targets"):
                targets.extend(scenario.targets(ctx))
            if hasattr(scenario, "pure"):
                started = time.perf_counter()
                pure.extend(scenario.pure(ctx))
                log(f"{name}: pure timings in {time.perf_counter() - started:.1f}s")
        except Exception as error:  # one room's broken scenario must not hide the others' figures
            db.session.rollback()
            failures.append({"scenario": name, "error": f"{type(error).__name__}: {error}"})
            log(f"{name}: FAILED {error!r}")
    return targets, pure


def target_row(target: HttpTarget, measured: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    rps = base["requests_per_s"]
    row = {
        "name": target.name,
        "path": target.path,
        **measured,
        "baseline_requests_per_s": rps,
        "baseline_p50_ms": base["p50_ms"],
        "baseline_p99_ms": base["p99_ms"],
        "ratio": round(measured["requests_per_s"] / rps, 3) if rps else None,
        "at_least": target.at_least,
        "p99_under_ms": target.p99_under_ms,
    }
    row["verdict"] = report.target_verdict(row)
    return row


def load_targets(
    targets: list[HttpTarget], env: dict[str, str], settings: dict[str, Any], workdir: Path
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Each target, then the bare page right after it, so both see the same machine state."""
    served = Gunicorn("bench.wsgi:app", env, workdir)
    bare = Gunicorn("bench.bare:app", env, workdir)
    rows: list[dict[str, Any]] = []
    failures: list[dict[str, str]] = []
    try:
        served.wait_ready("/auth/login")
        bare.wait_ready("/")
        cookies: dict[str, str] = {}
        baseline = HttpTarget("bare Flask page", "/")
        for target in targets:
            try:
                if target.login_as and target.login_as not in cookies:
                    cookies[target.login_as] = login_cookie(served.url, target.login_as, PASSWORD)
                cookie = cookies.get(target.login_as) if target.login_as else None
                log(f"measuring {target.name} ({target.method} {target.path})")
                measured = measure(served.url, target, cookie, settings, workdir)
                base = measure(bare.url, baseline, None, settings, workdir)
            except Exception as error:
                failures.append({"target": target.name, "error": f"{type(error).__name__}: {error}"})
                log(f"{target.name}: FAILED {error!r}")
                continue
            rows.append(target_row(target, measured, base))
    finally:
        served.stop()
        bare.stop()
    if failures and served.log_path.exists():
        log("the app's gunicorn log ends with:\n" + served.log_path.read_text(errors="replace")[-4000:])
    return rows, failures


def main() -> int:
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    settings = settings_from_env()
    workdir = Path(os.environ["VMESTE_INSTANCE_PATH"])
    app = create_app()
    failures: list[dict[str, str]] = []
    started = time.perf_counter()
    with app.app_context():
        dialect = db.engine.dialect.name
        db.drop_all()
        db.create_all()
        ctx = BenchContext(app=app, password=PASSWORD, password_hash=hash_password(PASSWORD))
        targets, pure = prepare_all(ctx, failures)
        db.session.remove()
        db.engine.dispose()
    prepared = time.perf_counter()
    rows, target_failures = load_targets(targets, dict(os.environ), settings, workdir)
    timings = {
        "data_and_pure_s": round(prepared - started, 1),
        "pages_s": round(time.perf_counter() - prepared, 1),
    }
    pure_rows = []
    for result in pure:
        row = result.as_json()
        row["verdict"] = report.pure_verdict(row)
        pure_rows.append(row)
    document: dict[str, Any] = {
        "machine": machine(settings, dialect) | timings,
        "results": rows,
        "pure": pure_rows,
    }
    if failures or target_failures:
        document["failures"] = failures + target_failures
    Path(os.environ["BENCH_OUTPUT"]).write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
