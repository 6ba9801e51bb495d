"""What every bench run shares: the log line, a free loopback port, gunicorn serving a WSGI module
(the app, the bare page) in its own process group, and signing in through the real login form.

The bench's gunicorn reads the production `gunicorn.conf.py` (gc.freeze() and a higher young
generation threshold once a worker has loaded the app): what is measured is what is deployed.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
PASSWORD = "bench-password-1"


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def stop_on_sigterm(signum: int, frame: object) -> None:
    """A SIGTERM handler that unwinds through the `finally` blocks which stop the servers."""
    raise SystemExit(128 + signum)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Gunicorn:
    """`module` (e.g. "bench.wsgi:app") under gunicorn on 127.0.0.1, its log kept in `workdir`."""

    def __init__(self, module: str, env: dict[str, str], workdir: Path, workers: int = WORKERS) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"gunicorn-{module.replace(':', '-')}.log"
        command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{self.port}"]
        command += ["-c", str(ROOT / "gunicorn.conf.py"), "--log-level", "warning", "--timeout", "60", module]
        self.process = subprocess.Popen(
            command,
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
