"""Loading one target: wrk when it is installed (`wrk --latency`), else a Python client with one
keep-alive connection per simulated user. Both report requests/s, p50, p99 and errors.

`errors` counts socket errors (connect, read, write, and requests wrk gave up on after 10 s) and
answers other than 2xx/3xx; `timeouts` repeats the 10-second part of it for the reader.
"""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

from bench.scenario import HttpTarget

WRK_TIMEOUT_S = 10
WARM_UP_REQUESTS = 10
WARM_UP_S = 2.0
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unknown wrk duration {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> dict[str, float]:
    """Requests/sec, p50 and p99 from `wrk --latency`, errors (socket errors + non-2xx/3xx) and
    timeouts."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    if not (rps and p50 and p99):
        raise ValueError(f"unexpected wrk output: {output[-500:]!r}")
    errors = timeouts = 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
        timeouts = int(socket_errors.group(4))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    return {
        "requests_per_s": float(rps.group(1)),
        "p50_ms": _ms(p50.group(1)),
        "p99_ms": _ms(p99.group(1)),
        "errors": errors,
        "timeouts": timeouts,
    }


def _headers(target: HttpTarget, cookie: str | None) -> dict[str, str]:
    return dict(target.headers, **({"Cookie": cookie} if cookie else {}))


def run_wrk(
    url: str, target: HttpTarget, cookie: str | None, settings: dict[str, Any], workdir: Path
) -> dict[str, float]:
    command = ["wrk", f"-t{settings['threads']}", f"-c{settings['connections']}"]
    command += [f"-d{settings['duration']}s", "--latency", "--timeout", f"{WRK_TIMEOUT_S}s"]
    for name, value in _headers(target, cookie).items():
        command += ["-H", f"{name}: {value}"]
    if target.method != "GET" or target.body is not None:
        script = workdir / f"wrk-{abs(hash(target.name))}.lua"
        script.write_text(
            f"wrk.method = {json.dumps(target.method)}\nwrk.body = {json.dumps(target.body or '')}\n"
        )
        command += ["-s", str(script)]
    output = subprocess.run(command + [url + target.path], capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank); 0 for no values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def run_threads(threads: list[threading.Thread]) -> float:
    """Start the load's threads together, wait for all of them, and return the seconds it took."""
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def run_python(
    url: str, target: HttpTarget, cookie: str | None, settings: dict[str, Any]
) -> dict[str, float]:
    """The fallback load generator: one keep-alive connection per thread, for the same duration."""
    parsed = urllib.parse.urlsplit(url)
    headers = _headers(target, cookie)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + settings["duration"]

    def worker() -> None:
        connection = http.client.HTTPConnection(
            parsed.hostname or "127.0.0.1", parsed.port, timeout=WRK_TIMEOUT_S
        )
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
                connection = http.client.HTTPConnection(
                    parsed.hostname or "127.0.0.1", parsed.port, timeout=WRK_TIMEOUT_S
                )
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    elapsed = run_threads([threading.Thread(target=worker) for _ in range(settings["connections"])])
    latencies.sort()
    return {
        "requests_per_s": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
        "errors": errors[0],
        "timeouts": 0,
    }


def warm_up(url: str, target: HttpTarget, cookie: str | None) -> None:
    """A few requests first (imports, template compilation, caches), each of which must answer;
    at most WARM_UP_S seconds of them after the first two, so a slow page does not eat the run."""
    parsed = urllib.parse.urlsplit(url)
    deadline = time.monotonic() + WARM_UP_S
    for sent in range(WARM_UP_REQUESTS):
        if sent >= 2 and time.monotonic() > deadline:
            return
        connection = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=30)
        connection.request(target.method, target.path, body=target.body, headers=_headers(target, cookie))
        response = connection.getresponse()
        response.read()
        if response.status >= 400:
            raise RuntimeError(f"{target.name}: {target.path} answered {response.status}")


def measure(
    url: str, target: HttpTarget, cookie: str | None, settings: dict[str, Any], workdir: Path
) -> dict[str, float]:
    warm_up(url, target, cookie)
    if settings["tool"] == "wrk":
        result = run_wrk(url, target, cookie, settings, workdir)
    else:
        result = run_python(url, target, cookie, settings)
    return {key: round(value, 2) if isinstance(value, float) else value for key, value in result.items()}
