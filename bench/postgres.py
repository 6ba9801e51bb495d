"""A throwaway PostgreSQL for `make bench` and `make chaos`, started the way `.ci/run` starts one:
initdb into a temp dir (as the `postgres` OS user when run as root: initdb and the server refuse
root), 127.0.0.1 on a free port, fsync off; stopped and removed at the end, also when the run fails.
Or, given a PostgreSQL URL, a throwaway schema of that database, dropped with everything in it.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import psycopg

from bench.servers import free_port, log

PG_BIN = Path("/usr/lib/postgresql/15/bin")
SYSTEM_USER = "vmeste-ci"  # the system user .ci/run creates when there is no `postgres` user
URL_PREFIXES = ("postgres://", "postgresql://", "postgresql+psycopg://")


def is_postgresql(url: str) -> bool:
    return url.strip().startswith(URL_PREFIXES)


def installed() -> bool:
    return (PG_BIN / "initdb").exists()


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
def throwaway_cluster(name: str = "vmeste_bench", max_connections: int = 100) -> Iterator[str]:
    """A PostgreSQL 15 cluster on 127.0.0.1 holding one empty database `name`; yields its URL."""
    if not installed():
        raise SystemExit(f"PostgreSQL 15 is not installed ({PG_BIN}); .ci/run installs postgresql-15")
    workdir = Path(tempfile.mkdtemp(prefix=f"{name.replace('_', '-')}-pg-"))
    data = workdir / "data"
    port = free_port()
    try:
        if os.getuid() == 0:
            shutil.chown(workdir, _postgres_os_user())
        initdb = [str(PG_BIN / "initdb"), "-D", str(data), "-U", "vmeste", "--auth=trust", "-E", "UTF8"]
        subprocess.run(_as_postgres([*initdb, "--locale=C.UTF-8"]), check=True, stdout=subprocess.DEVNULL)
        options = f"-h 127.0.0.1 -p {port} -k {workdir} -c fsync=off -c full_page_writes=off"
        options += f" -c max_connections={max_connections}"
        start = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(workdir / "server.log"), "-w"]
        subprocess.run(_as_postgres([*start, "-o", options, "start"]), check=True, stdout=subprocess.DEVNULL)
        createdb = [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "vmeste", name]
        subprocess.run(_as_postgres(createdb), check=True, stdout=subprocess.DEVNULL)
        log(f"PostgreSQL 15 started on 127.0.0.1:{port} in {workdir}")
        yield f"postgresql://vmeste@127.0.0.1:{port}/{name}"
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
def throwaway_schema(url: str, prefix: str = "bench") -> Iterator[str]:
    """A new schema in the given database, first on the search path of the URL it yields; dropped
    with everything in it at the end."""
    libpq_url = url.replace("postgresql+psycopg://", "postgresql://", 1)
    schema = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(libpq_url, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    log(f"using schema {schema} of the given database")
    parts = urllib.parse.urlsplit(libpq_url)
    query = urllib.parse.parse_qsl(parts.query) + [("options", f"-csearch_path={schema}")]
    try:
        yield urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
    finally:
        with psycopg.connect(libpq_url, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")
        log(f"schema {schema} dropped")
