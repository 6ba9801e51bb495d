"""State that every app node must share, not only the workers of one: sliding-window rate limits.

With `REDIS_URL` set (two or more gunicorn nodes behind nginx, README «Deployment»), the windows
live in Redis, so a person's previews are counted once whichever node answers. Without it (one
node, tests, `make run`) they live in this worker's memory — enough for a guard against a runaway
script, which is all these limits are. Counts that must be exact across everything (the login
throttle) are kept in the database instead (app/login_throttle.py).

When Redis stops answering, a limit falls back to this worker's memory and logs it once, then asks
Redis again after RETRY_SECONDS: a preview or a pupil's page must not fail because the counter is
away, and the worker's own window still stops a loop. Every Redis call has a short timeout, so a
dead Redis costs a request at most that, once per RETRY_SECONDS per worker.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import deque

import redis
from flask import Flask, current_app

EXTENSION_KEY = "shared_store"
RETRY_SECONDS = 30.0
TIMEOUT_SECONDS = 0.25
log = logging.getLogger(__name__)

# One round trip, atomic on the Redis server: drop the moments older than the window, count the
# rest, add this one only if it fits, and let the key expire with the window.
_SLIDING_WINDOW = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(ARGV[2] * 1000))
return 1
"""


class MemoryWindows:
    """Each key's moments within its window, in this worker's memory; quiet keys are forgotten
    once more than `max_keys` are held."""

    def __init__(self, max_keys: int = 10_000) -> None:
        self.max_keys = max_keys
        self._moments: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, now: float, limit: int, window: float) -> bool:
        """Count this hit and say whether it is within `limit` for the window ending `now`."""
        with self._lock:
            moments = self._moments.setdefault(key, deque())
            while moments and moments[0] <= now - window:
                moments.popleft()
            if len(moments) >= limit:
                return False
            moments.append(now)
            if len(self._moments) > self.max_keys:
                self._forget_quiet(now, window)
            return True

    def _forget_quiet(self, now: float, window: float) -> None:
        quiet = [key for key, moments in self._moments.items() if not moments or moments[-1] <= now - window]
        for key in quiet:
            del self._moments[key]


class RedisWindows:
    """The same windows in Redis sorted sets (one per key, scored by the moment), shared by every
    node that points at the same server and prefix; the worker's memory stands in while Redis is
    unreachable."""

    def __init__(self, url: str, prefix: str, fallback: MemoryWindows | None = None) -> None:
        self.client = redis.Redis.from_url(
            url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
        )
        self.prefix = prefix
        self.fallback = fallback or MemoryWindows()
        self._script = self.client.register_script(_SLIDING_WINDOW)
        self._down_until = 0.0

    def allow(self, key: str, now: float, limit: int, window: float) -> bool:
        if time.monotonic() < self._down_until:
            return self.fallback.allow(key, now, limit, window)
        member = f"{now!r}:{uuid.uuid4().hex}"  # two hits in the same microsecond are two hits
        try:
            allowed = self._script(keys=[self.prefix + key], args=[now, window, limit, member])
        except redis.RedisError as error:
            self._down_until = time.monotonic() + RETRY_SECONDS
            log.warning(
                "Redis unreachable (%s): rate limits kept in this worker for %ss", error, RETRY_SECONDS
            )
            return self.fallback.allow(key, now, limit, window)
        return bool(allowed)

    @property
    def using_fallback(self) -> bool:
        return time.monotonic() < self._down_until


Windows = MemoryWindows | RedisWindows


def windows_for(app: Flask) -> Windows:
    """The app's windows: Redis when REDIS_URL is configured, else this worker's memory."""
    found = app.extensions.get(EXTENSION_KEY)
    if isinstance(found, MemoryWindows | RedisWindows):
        return found
    url = app.config.get("REDIS_URL") or ""
    made: Windows = RedisWindows(url, app.config.get("REDIS_PREFIX") or "vmeste:") if url else MemoryWindows()
    app.extensions[EXTENSION_KEY] = made
    return made


def allow(name: str, who: str | int, limit: int, window: float, now: float | None = None) -> bool:
    """Count one hit of `who` on the limit `name` and say whether it fits `limit` per `window`
    seconds. Wall-clock time, since several machines compare their moments."""
    moment = time.time() if now is None else now
    return windows_for(current_app).allow(f"rate:{name}:{who}", moment, limit, window)
