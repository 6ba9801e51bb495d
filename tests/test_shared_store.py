"""app/shared_store.py: sliding-window rate limits in this worker's memory, or in Redis shared by
every node (tests marked `redis` need REDIS_URL, as .ci/run's PostgreSQL half sets it), and the
fall-back to memory while Redis is unreachable; the Markdown preview's limit held across two nodes."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import shared_store
from app.extensions import db
from app.shared_store import EXTENSION_KEY, MemoryWindows, RedisWindows
from tests.conftest import login
from tests.factories.accounts import teacher

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set (no Redis server)")
PREVIEW = "/markdown/preview"


def _dead_redis_url() -> str:
    """A loopback port nobody listens on: a Redis that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture(autouse=True)
def _fresh_store(app: Flask) -> Iterator[None]:
    app.extensions.pop(EXTENSION_KEY, None)
    yield
    app.extensions.pop(EXTENSION_KEY, None)


@pytest.fixture()
def prefix() -> str:
    return f"vmeste-test-{uuid.uuid4().hex}:"  # nothing left over from another run or test


def test_memory_windows_forget_old_moments_and_quiet_keys() -> None:
    windows = MemoryWindows(max_keys=2)
    assert windows.allow("a", 0.0, 2, 60) and windows.allow("a", 1.0, 2, 60)
    assert not windows.allow("a", 59.0, 2, 60)  # two within the last minute already
    assert windows.allow("a", 60.5, 2, 60)  # the first has left the window
    windows.allow("b", 100.0, 2, 60)
    windows.allow("c", 200.0, 2, 60)  # a third key: those quiet for a window are forgotten
    assert set(windows._moments) == {"c"}


def test_without_redis_url_the_limits_live_in_the_worker(app: Flask) -> None:
    with app.test_request_context():
        assert [shared_store.allow("x", 1, 2, 60, now=10.0) for _ in range(3)] == [True, True, False]
        assert shared_store.allow("x", 2, 2, 60, now=10.0)  # another person
        assert shared_store.allow("y", 1, 2, 60, now=10.0)  # another limit
        assert isinstance(app.extensions[EXTENSION_KEY], MemoryWindows)


def test_a_dead_redis_falls_back_to_the_worker_and_still_bounds() -> None:
    windows = RedisWindows(_dead_redis_url(), "vmeste-test:")
    assert [windows.allow("k", 5.0, 2, 60) for _ in range(3)] == [True, True, False]
    assert windows.using_fallback  # it will ask Redis again after RETRY_SECONDS


def test_previews_keep_working_while_redis_is_down(app: Flask, client: FlaskClient, monkeypatch: Any) -> None:
    monkeypatch.setitem(app.config, "REDIS_URL", _dead_redis_url())
    monkeypatch.setitem(app.config, "MARKDOWN_PREVIEW_PER_MINUTE", 2)
    login(client, teacher())
    db.session.commit()
    codes = [client.post(PREVIEW, data={"text": "раз"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert app.extensions[EXTENSION_KEY].using_fallback


@needs_redis
def test_redis_windows_are_shared_by_two_nodes(prefix: str) -> None:
    node_a, node_b = RedisWindows(REDIS_URL, prefix), RedisWindows(REDIS_URL, prefix)
    assert node_a.allow("k", 100.0, 3, 60) and node_b.allow("k", 100.1, 3, 60)
    assert node_a.allow("k", 100.2, 3, 60)
    assert not node_b.allow("k", 100.3, 3, 60)  # the three hits on both nodes count together
    assert node_b.allow("other", 100.3, 3, 60)
    assert node_b.allow("k", 160.05, 3, 60)  # the first left the window
    assert not node_a.using_fallback and not node_b.using_fallback
    assert 0 < node_a.client.pttl(prefix + "k") <= 60_000  # the key goes away with its window


@needs_redis
def test_same_moment_hits_are_counted_apart(prefix: str) -> None:
    windows = RedisWindows(REDIS_URL, prefix)
    assert [windows.allow("k", 1.0, 2, 60) for _ in range(3)] == [True, True, False]


@needs_redis
def test_the_preview_limit_holds_across_two_nodes(
    app: Flask, client: FlaskClient, monkeypatch: Any, prefix: str
) -> None:
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "REDIS_PREFIX", prefix)
    monkeypatch.setitem(app.config, "MARKDOWN_PREVIEW_PER_MINUTE", 3)
    login(client, teacher())
    db.session.commit()
    assert [client.post(PREVIEW, data={"text": "раз"}).status_code for _ in range(2)] == [200, 200]
    node_a = app.extensions[EXTENSION_KEY]
    assert isinstance(node_a, RedisWindows)
    app.extensions[EXTENSION_KEY] = RedisWindows(REDIS_URL, prefix)  # the next request lands on node B
    assert client.post(PREVIEW, data={"text": "два"}).status_code == 200
    refused = client.post(PREVIEW, data={"text": "три"})
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
