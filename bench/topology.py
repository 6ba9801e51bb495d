"""The two-node topology of README «Deployment», started for a bench run: Debian's nginx in front
of the gunicorn nodes and Debian's redis-server beside them, both on loopback, both foreground
processes of the run (config and files in its temp dir), stopped at its end."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.servers import free_port, log

NGINX_CONF = """worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream vmeste {{
        least_conn;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 64m;
        location / {{
            proxy_pass http://vmeste;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


@contextmanager
def nginx(upstreams: list[int], workdir: Path) -> Iterator[int]:
    """Debian's nginx in the foreground on a free loopback port, its config and temp files in
    `workdir`, balancing to the given gunicorn ports; yields the port, stopped at the end."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise SystemExit("nginx is not installed: apt-get install nginx (make contest-day does as root)")
    port = free_port()
    servers = "\n".join(f"        server 127.0.0.1:{upstream};" for upstream in upstreams)
    conf = workdir / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=workdir, servers=servers, port=port))
    command = [binary, "-p", str(workdir), "-e", str(workdir / "error.log"), "-c", str(conf)]
    process = subprocess.Popen([*command, "-g", "daemon off;"], start_new_session=True)
    try:
        _wait_listening(port, process, workdir / "error.log")
        log(f"nginx on 127.0.0.1:{port} in front of {upstreams}")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_listening(port: int, process: subprocess.Popen[bytes], log_path: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log_path.read_text(errors="replace")[-2000:] if log_path.exists() else ""
            raise RuntimeError(f"{process.args!r} exited: {text}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{process.args!r} did not listen on {port} within {timeout}s")


@contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """Debian's redis-server on a free loopback port, nothing saved to disk; yields its URL, or ""
    when redis-server is not installed (the nodes then keep their limits per worker)."""
    binary = shutil.which("redis-server")
    if binary is None:
        log("redis-server is not installed: the nodes run without Redis")
        yield ""
        return
    port = free_port()
    args = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    args += ["--dir", str(workdir), "--logfile", str(workdir / "redis.log")]
    process = subprocess.Popen([binary, *args], stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_listening(port, process, workdir / "redis.log")
        log(f"redis-server on 127.0.0.1:{port}")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=20)
