"""Browser tests: the app served for real on loopback and Debian's Chromium driven by Playwright.

`live_server` serves a second app object on the suite's test database with CSRF switched on, so
the browser proves that forms carry their tokens. The per-test `app` fixture empties the database
after each test: e2e tests create their data through services (inside `app`), then drive the page.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db

CHROMIUM = Path(os.environ.get("VMESTE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@dataclass
class LiveServer:
    url: str
    app: Flask

    def __call__(self, path: str = "/") -> str:
        return self.url + path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    reason = (
        f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run browser tests"
    )
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


_SERVED: list[Flask] = []  # the live server's app, once started


@pytest.fixture(autouse=True)
def _live_memo_follows_the_database() -> Iterator[None]:
    """The live server's app outlives each test, while `app` empties the database after each one and
    so restarts every cache version at 0: its memo (app/memo.py) must be emptied with it."""
    yield
    for served in _SERVED:
        served.extensions.pop("memo", None)


@pytest.fixture(scope="session")
def live_server(_app: Flask) -> Iterator[LiveServer]:
    """The application on 127.0.0.1 and a free port, in a background thread, CSRF on."""
    served = create_app(
        {
            "CONFIG_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": _app.config["SQLALCHEMY_DATABASE_URI"],
            "UPLOAD_DIR": _app.config["UPLOAD_DIR"],
            "MAIL_OUTBOX_DIR": _app.config["MAIL_OUTBOX_DIR"],
            "WTF_CSRF_ENABLED": True,
        }
    )
    _SERVED.append(served)
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", served)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with served.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def _browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(_browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A fresh browser context (no cookies) per test; the page's base URL is the live server."""
    context = _browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 860},
        locale="ru-RU",
        timezone_id="Europe/Moscow",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []  # uncaught JavaScript errors (a 4xx answer is not one)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


@pytest.fixture()
def screenshot(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """`screenshot(page, "dashboard")` saves a PNG; with UPDATE_SCREENSHOTS=1 (`make screenshots`)
    into docs/screenshots/ for the README, otherwise into a temp folder so a test run leaves the
    working tree clean."""
    folder = (
        SCREENSHOTS
        if os.environ.get("UPDATE_SCREENSHOTS") == "1"
        else tmp_path_factory.getbasetemp() / "screenshots"
    )

    def save(page: Any, name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        return target

    return save
