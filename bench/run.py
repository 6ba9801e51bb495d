"""`python -m bench.run`: generate data, serve the app and a bare Flask page with gunicorn (2 workers
each) on loopback, load every scenario's targets with wrk (or a Python client when wrk is missing),
each beside the baseline in the same run, and print one JSON document.

Settings (environment): BENCH_DATABASE_URL (a scratch database: it is emptied; default a new SQLite
file in a temp dir), BENCH_DURATION seconds per measurement (5), BENCH_CONNECTIONS (16),
BENCH_THREADS (2), BENCH_SCENARIOS (comma-separated names; default all).
"""

from __future__ import annotations

import http.client
import http.cookiejar
import importlib
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from types import ModuleType
from typing import Any

from bench.scenario import BenchContext, HttpTarget, PureResult

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
PASSWORD = "bench-password-1"


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- scenarios ----------------------------------------------------------------------------------


def discover() -> list[ModuleType]:
    """bench/scenarios/*.py, `foundation` first, then by name; BENCH_SCENARIOS narrows the list."""
    import pkgutil

    import bench.scenarios

    names = sorted(
        m.name for m in pkgutil.iter_modules(bench.scenarios.__path__) if not m.name.startswith("_")
    )
    names.sort(key=lambda name: (name != "foundation", name))
    wanted = [n.strip() for n in os.environ.get("BENCH_SCENARIOS", "").split(",") if n.strip()]
    if wanted:
        names = [n for n in names if n in wanted or n == "foundation"]
    return [importlib.import_module(f"bench.scenarios.{name}") for name in names]


# --- servers ------------------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, module: str, env: dict[str, str], workdir: Path, workers: int = WORKERS) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"gunicorn-{module.replace(':', '-')}.log"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "--timeout",
                "60",
                module,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log_path.open("wb"),
            start_new_session=True,
        )

    def wait_ready(self, path: str = "/", timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()[-2000:]}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", path)
                if connection.getresponse().status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn on {self.url} did not answer within {timeout}s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def login_cookie(base_url: str, email: str, password: str) -> str:
    """Log in through the real form (fetching its CSRF token first) and return the Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base_url + "/auth/login", timeout=30).read().decode()
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if not match:
        raise RuntimeError("no CSRF token on the login page")
    data = urllib.parse.urlencode(
        {"csrf_token": match.group(1), "email": email, "password": password}
    ).encode()
    response = opener.open(base_url + "/auth/login", data, timeout=30)
    if response.status != 200 or not response.geturl().endswith("/dashboard"):
        raise RuntimeError(f"login as {email} failed: ended at {response.geturl()}")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


# --- load generators ----------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unknown wrk duration {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> dict[str, float]:
    """Requests/sec, p50 and p99 from `wrk --latency`, and errors (socket errors + non-2xx/3xx)."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    errors = 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    return {"requests_per_s": rps, "p50_ms": p50, "p99_ms": p99, "errors": errors}


def run_wrk(
    url: str, target: HttpTarget, cookie: str | None, settings: dict[str, Any], workdir: Path
) -> dict[str, float]:
    command = [
        "wrk",
        f"-t{settings['threads']}",
        f"-c{settings['connections']}",
        f"-d{settings['duration']}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    headers = dict(target.headers)
    if cookie:
        headers["Cookie"] = cookie
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if target.method != "GET" or target.body is not None:
        script = workdir / f"wrk-{abs(hash(target.name))}.lua"
        script.write_text(
            f"wrk.method = {json.dumps(target.method)}\nwrk.body = {json.dumps(target.body or '')}\n"
        )
        command += ["-s", str(script)]
    output = subprocess.run(command + [url + target.path], capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def run_python(
    url: str, target: HttpTarget, cookie: str | None, settings: dict[str, Any]
) -> dict[str, float]:
    """The fallback load generator: one keep-alive connection per thread, for the same duration."""
    parsed = urllib.parse.urlsplit(url)
    headers = dict(target.headers)
    if cookie:
        headers["Cookie"] = cookie
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + settings["duration"]

    def worker() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
        mine: list[float] = []
        failed = 0
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                connection.request(target.method, target.path, body=target.body, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=worker) for _ in range(settings["connections"])]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else 0.0

    return {
        "requests_per_s": len(latencies) / elapsed,
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
        "errors": errors,
    }


def measure(
    url: str, target: HttpTarget, cookie: str | None, settings: dict[str, Any], workdir: Path
) -> dict[str, float]:
    # Warm up (imports, template compilation, SQLite page cache) and check the target answers.
    parsed = urllib.parse.urlsplit(url)
    headers = dict(target.headers, **({"Cookie": cookie} if cookie else {}))
    for _ in range(10):
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        connection.request(target.method, target.path, body=target.body, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status >= 400:
            raise RuntimeError(f"{target.name}: {target.path} answered {response.status}")
    if settings["tool"] == "wrk":
        result = run_wrk(url, target, cookie, settings, workdir)
    else:
        result = run_python(url, target, cookie, settings)
    return {key: round(value, 2) if isinstance(value, float) else value for key, value in result.items()}


# --- the run ------------------------------------------------------------------------------------


def machine(settings: dict[str, Any], dialect: str) -> dict[str, Any]:
    memory = None
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = round(pages / 2**30, 1)
    except (ValueError, OSError):
        pass
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
    }


def main() -> int:
    settings = {
        "duration": float(os.environ.get("BENCH_DURATION", "5")),
        "connections": int(os.environ.get("BENCH_CONNECTIONS", "16")),
        "threads": int(os.environ.get("BENCH_THREADS", "2")),
        "tool": "wrk" if shutil.which("wrk") else "python",
    }
    if settings["duration"] == int(settings["duration"]):
        settings["duration"] = int(settings["duration"])
    workdir = Path(tempfile.mkdtemp(prefix="vmeste-bench-"))
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.db'}"
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        VMESTE_INSTANCE_PATH=str(workdir),
        SECRET_KEY=secrets.token_urlsafe(32),
        VMESTE_CONFIG="development",
        PYTHONPATH=str(ROOT),
    )
    os.environ.update(
        {k: env[k] for k in ("DATABASE_URL", "VMESTE_INSTANCE_PATH", "SECRET_KEY", "VMESTE_CONFIG")}
    )

    from app import create_app
    from app.extensions import db
    from app.security import hash_password

    app = create_app()
    scenarios = discover()
    failures: list[dict[str, str]] = []
    targets: list[HttpTarget] = []
    pure_results: list[PureResult] = []
    with app.app_context():
        dialect = db.engine.dialect.name
        db.drop_all()
        db.create_all()
        ctx = BenchContext(app=app, password=PASSWORD, password_hash=hash_password(PASSWORD))
        for scenario in scenarios:
            name = scenario.__name__.rsplit(".", 1)[-1]
            try:
                if hasattr(scenario, "prepare"):
                    started = time.perf_counter()
                    scenario.prepare(ctx)
                    log(f"{name}: data ready in {time.perf_counter() - started:.1f}s")
                if hasattr(scenario, "targets"):
                    targets.extend(scenario.targets(ctx))
                if hasattr(scenario, "pure"):
                    pure_results.extend(scenario.pure(ctx))
            except Exception as error:  # one room's broken scenario must not hide the others' figures
                db.session.rollback()
                failures.append({"scenario": name, "error": f"{type(error).__name__}: {error}"})
                log(f"{name}: FAILED {error!r}")
        db.session.remove()
        db.engine.dispose()

    served = Gunicorn("bench.wsgi:app", env, workdir)
    bare = Gunicorn("bench.bare:app", env, workdir)
    results: list[dict[str, Any]] = []
    try:
        served.wait_ready("/auth/login")
        bare.wait_ready("/")
        cookies: dict[str, str] = {}
        baseline = HttpTarget("bare Flask page", "/")
        for target in targets:
            try:
                cookie = None
                if target.login_as:
                    if target.login_as not in cookies:
                        cookies[target.login_as] = login_cookie(served.url, target.login_as, PASSWORD)
                    cookie = cookies[target.login_as]
                log(f"measuring {target.name} ({target.method} {target.path})")
                measured = measure(served.url, target, cookie, settings, workdir)
                base = measure(bare.url, baseline, None, settings, workdir)
            except Exception as error:
                failures.append({"target": target.name, "error": f"{type(error).__name__}: {error}"})
                log(f"{target.name}: FAILED {error!r}")
                continue
            results.append(
                {
                    "name": target.name,
                    "path": target.path,
                    **measured,
                    "baseline_requests_per_s": base["requests_per_s"],
                    "baseline_p50_ms": base["p50_ms"],
                    "baseline_p99_ms": base["p99_ms"],
                    "ratio": round(measured["requests_per_s"] / base["requests_per_s"], 3)
                    if base["requests_per_s"]
                    else None,
                }
            )
    finally:
        served.stop()
        bare.stop()
    if failures and served.log_path.exists():
        log("the app's gunicorn log ends with:\n" + served.log_path.read_text(errors="replace")[-4000:])

    document: dict[str, Any] = {
        "machine": machine(settings, dialect),
        "results": results,
        "pure": [result.as_json() for result in pure_results],
    }
    if failures:
        document["failures"] = failures
    text = json.dumps(document, ensure_ascii=False, indent=2)
    print(text)
    saved = ROOT / "bench" / "results"
    saved.mkdir(exist_ok=True)
    (saved / "latest.json").write_text(text + "\n")
    shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
