"""`python -m bench.chaos` (`make chaos`): the contest-day promise, measured. Pupils save quiz
answers against the real app on PostgreSQL under gunicorn with several workers, one worker is
killed with SIGKILL mid-run, and every answer acknowledged with HTTP 200 must be in the database.

This module finds the database and hands it to the round (`bench/chaos_round.py`, a child process
because the app reads its configuration when it is imported):
- `DATABASE_URL` (PostgreSQL) when set: the round runs in a throwaway schema of that database,
  dropped at the end, so no table of yours is touched;
- otherwise a throwaway PostgreSQL 15 cluster started the way `.ci/run` starts one (initdb into a
  temp dir as the `postgres` OS user when run as root, 127.0.0.1 on a free port, fsync off),
  stopped and removed at the end, also when the round fails.

Settings (environment): CHAOS_SECONDS (length of the load, 40; 10 is a short run for CI),
CHAOS_WORKERS (gunicorn workers, 4), CHAOS_PUPILS (pupils saving at once, 16).
The figures are printed as JSON; the exit code is 0 only when no acknowledged answer is missing.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import psycopg

from bench.run import ROOT, free_port, log

PG_BIN = Path("/usr/lib/postgresql/15/bin")
SYSTEM_USER = "vmeste-ci"  # the system user .ci/run creates when there is no `postgres` user
SETUP_SECONDS = 300  # data generation, gunicorn start-up and the count, beyond the load itself


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and the server refuse to run as root: as root, run them as the postgres OS user."""
    if os.getuid() != 0:
        return command
    return ["runuser", "-u", _postgres_os_user(), "--", *command]


def _postgres_os_user() -> str:
    for name in ("postgres", SYSTEM_USER):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name).pw_name
    subprocess.run(["useradd", "--system", "--no-create-home", SYSTEM_USER], check=True)
    return SYSTEM_USER


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """A PostgreSQL 15 cluster on 127.0.0.1 holding one empty database; yields its URL."""
    if not (PG_BIN / "initdb").exists():
        raise SystemExit(f"PostgreSQL 15 is not installed ({PG_BIN}); .ci/run installs postgresql-15")
    workdir = Path(tempfile.mkdtemp(prefix="vmeste-chaos-pg-"))
    data = workdir / "data"
    port = free_port()
    try:
        if os.getuid() == 0:
            shutil.chown(workdir, _postgres_os_user())
        quiet = {"check": True, "stdout": subprocess.DEVNULL}
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "vmeste",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            **quiet,
        )
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(workdir / "server.log"),
                    "-w",
                    "-o",
                    f"-h 127.0.0.1 -p {port} -k {workdir} -c fsync=off "
                    "-c full_page_writes=off -c max_connections=100",
                    "start",
                ]
            ),
            **quiet,
        )
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "vmeste", "vmeste_chaos"]
            ),
            **quiet,
        )
        log(f"PostgreSQL 15 started on 127.0.0.1:{port} in {workdir}")
        yield f"postgresql://vmeste@127.0.0.1:{port}/vmeste_chaos"
    finally:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(workdir, ignore_errors=True)
        log("PostgreSQL stopped and removed")


@contextlib.contextmanager
def throwaway_schema(url: str) -> Iterator[str]:
    """A new schema in the given database, first on the search path of the URL it yields; dropped
    with everything in it at the end."""
    libpq_url = url.replace("postgresql+psycopg://", "postgresql://", 1)
    schema = f"chaos_{secrets.token_hex(4)}"
    with psycopg.connect(libpq_url, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    log(f"using schema {schema} of the database in DATABASE_URL")
    parts = urllib.parse.urlsplit(libpq_url)
    query = urllib.parse.parse_qsl(parts.query) + [("options", f"-csearch_path={schema}")]
    try:
        yield urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
    finally:
        with psycopg.connect(libpq_url, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")
        log(f"schema {schema} dropped")


def chaos_database() -> contextlib.AbstractContextManager[str]:
    given = os.environ.get("DATABASE_URL", "").strip()
    if given.startswith(("postgres://", "postgresql://", "postgresql+psycopg://")):
        return throwaway_schema(given)
    if given:
        log("DATABASE_URL is not PostgreSQL: starting a throwaway PostgreSQL cluster instead")
    return throwaway_cluster()


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through the `finally` blocks that stop the servers


def main() -> int:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    seconds = float(os.environ.get("CHAOS_SECONDS", "40"))
    with chaos_database() as url, tempfile.TemporaryDirectory(prefix="vmeste-chaos-") as instance:
        env = dict(
            os.environ,
            DATABASE_URL=url,
            VMESTE_INSTANCE_PATH=instance,
            VMESTE_CONFIG="production",
            SECRET_KEY=secrets.token_urlsafe(32),
            PYTHONPATH=str(ROOT),
        )
        round_ = subprocess.Popen([sys.executable, "-m", "bench.chaos_round"], cwd=ROOT, env=env)
        try:
            return round_.wait(timeout=seconds + SETUP_SECONDS)
        except subprocess.TimeoutExpired:
            log("the round overran its time: stopped")
            return 1
        finally:
            if round_.poll() is None:
                round_.terminate()  # the round stops its gunicorn on SIGTERM
                try:
                    round_.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    round_.kill()
                    round_.wait()


if __name__ == "__main__":
    sys.exit(main())
