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
import secrets
import signal
import subprocess
import sys
import tempfile

from bench import postgres
from bench.servers import ROOT, log, stop_on_sigterm

SETUP_SECONDS = 300  # data generation, gunicorn start-up and the count, beyond the load itself


def chaos_database() -> contextlib.AbstractContextManager[str]:
    given = os.environ.get("DATABASE_URL", "").strip()
    if postgres.is_postgresql(given):
        return postgres.throwaway_schema(given, prefix="chaos")
    if given:
        log("DATABASE_URL is not PostgreSQL: starting a throwaway PostgreSQL cluster instead")
    return postgres.throwaway_cluster("vmeste_chaos")


def main() -> int:
    signal.signal(signal.SIGTERM, stop_on_sigterm)
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
