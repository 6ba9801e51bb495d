"""Fixtures for every test that needs the app: one database per run (SQLite by default,
PostgreSQL when DATABASE_URL is set), emptied after each test; clients, API tokens, query counting."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from flask_babel import refresh as refresh_babel
from sqlalchemy import event, text

from app import create_app
from app.extensions import db
from app.memo import forget_everything

DEFAULT_PASSWORD = "password123"
# A GET or HEAD whose own transaction writes fails its test (app/read_requests.py): reads begin
# deferred on SQLite and must stay readers. VMESTE_GET_WRITE_GUARD=log lists them instead.
GET_WRITE_GUARD = os.environ.get("VMESTE_GET_WRITE_GUARD", "raise")


def _database_url(tmp: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url or f"sqlite:///{tmp / 'test.db'}"


@pytest.fixture(scope="session")
def _app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp("vmeste")
    url = _database_url(tmp)
    app = create_app(
        {
            "CONFIG_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_DIR": str(tmp / "uploads"),
            "MAIL_OUTBOX_DIR": str(tmp / "outbox"),
            "SERVER_NAME": "localhost",
        }
    )

    @app.before_request
    def forget_the_previous_request() -> None:
        # Tests keep one app context (and so one `g`) across requests; Flask-Login caches the user
        # and Flask-Babel the locale in `g`, so without this a request would see the previous one's.
        g.pop("_login_user", None)
        refresh_babel()

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        # The schema comes from the models here; tests/test_migrations.py proves the migrations
        # build the same schema, so one broken migration fails one test, not the whole suite.
        db.create_all()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


def empty_database() -> None:
    """Remove every row (faster than re-creating the schema, and it resets ids on PostgreSQL)."""
    db.session.remove()
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture()
def app(_app: Flask) -> Iterator[Flask]:
    _app.config["GET_WRITE_GUARD"] = GET_WRITE_GUARD  # a test that changed it changed it for itself
    with _app.app_context():
        yield _app
        empty_database()
        forget_everything()
    for key in ("UPLOAD_DIR", "MAIL_OUTBOX_DIR"):
        shutil.rmtree(_app.config[key], ignore_errors=True)


@pytest.fixture()
def guarded(app: Flask) -> Flask:
    """The GET-write guard raising for this test even when the run only logs (VMESTE_GET_WRITE_GUARD):
    the tests that prove a page reads use it; `app` puts the run's setting back for the next test."""
    app.config["GET_WRITE_GUARD"] = "raise"
    return app


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def login(client: FlaskClient, user: Any, password: str = DEFAULT_PASSWORD) -> None:
    """Log in through the real form; fails the test if the login is refused."""
    response = client.post("/auth/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


class ApiClient:
    """A test client that speaks the API: JSON in, JSON out, a bearer token when given a user."""

    def __init__(self, client: FlaskClient, token: str | None = None) -> None:
        self.client = client
        self.token = token

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers.update(extra or {})
        return headers

    def request(
        self,
        method: str,
        path: str,
        json: Any = None,
        *,
        data: Any = None,
        content_type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        kwargs: dict[str, Any] = {"headers": self._headers(headers)}
        if json is not None:
            kwargs["json"] = json
        if data is not None:
            kwargs["data"] = data
        if content_type:
            kwargs["content_type"] = content_type
        return self.client.open("/api/v1" + path, method=method, **kwargs)

    def get(self, path: str, **kw: Any) -> Any:
        return self.request("GET", path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.request("POST", path, json, **kw)

    def put(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.request("PUT", path, json, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.request("DELETE", path, **kw)


@pytest.fixture()
def api(client: FlaskClient) -> Any:
    """`api(user)` → an ApiClient with a fresh token for `user`; `api()` → no token."""
    from app.account_services import issue_token

    def make(user: Any = None) -> ApiClient:
        return ApiClient(client, issue_token(user) if user is not None else None)

    return make


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture()
def count_queries(app: Flask) -> Any:
    """`with count_queries() as counter:` … `counter.count` SQL statements run inside.

    Tests share one session across requests, so rows loaded earlier may answer from the identity
    map; `count_queries(cold=True)` empties the session first, as a real request starts (objects
    the test holds are detached then: read their ids before)."""

    @contextmanager
    def counting(cold: bool = False) -> Iterator[QueryCounter]:
        if cold:
            db.session.remove()
        counter = QueryCounter()

        def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if (
                not statement.lstrip()
                .upper()
                .startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA"))
            ):
                counter.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counting


@pytest.fixture()
def outbox(app: Flask) -> Any:
    from app.mail import outbox_messages

    return outbox_messages


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the Russian catalogues when a .po is newer than its .mo (a plain `pytest` run)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent
    for po in (root / "translations").glob("*/ru/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as handle:
                catalog = read_po(handle, locale="ru")
            with mo.open("wb") as handle:
                write_mo(handle, catalog)
