"""The web shell: `create_app()` wires configuration, extensions, error pages and (through
app/wiring.py) the rooms' blueprints and hooks."""

from __future__ import annotations

import gc
import os
import secrets
import sqlite3
import time
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_request_context, session
from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import event

from app import (
    after_response,
    cli,
    errors,
    input_guard,
    mail_delivery,
    permissions,
    read_requests,
    security,
    templating,
    uploads,
)
from app.config import CONFIGS, ROOT, database_url, translation_directories
from app.extensions import babel, csrf, db, login_manager, migrate
from app.sessions import load_user
from app.timeutil import DEFAULT_TIMEZONE


def create_app(config: str | dict[str, Any] | None = None) -> Flask:
    """Build the application. `config` names a config class or gives overrides (tests pass a dict)."""
    overrides = config if isinstance(config, dict) else {}
    name = config if isinstance(config, str) else overrides.get("CONFIG_NAME")
    name = name or os.environ.get("VMESTE_CONFIG", "development")
    instance_path = os.environ.get("VMESTE_INSTANCE_PATH", str(ROOT / "instance"))

    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(CONFIGS[name])
    if name != "testing":
        app.config.from_pyfile("config.py", silent=True)
    for key in ("SECRET_KEY", "SERVER_NAME"):
        if os.environ.get(key):
            app.config[key] = os.environ[key]
    app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url(instance_path)
    if str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        # No server to have restarted: the ping before each checkout would only cost time.
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "pool_pre_ping": False}
    app.config["UPLOAD_DIR"] = app.config.get("UPLOAD_DIR") or str(Path(instance_path) / "uploads")
    app.config["MAIL_OUTBOX_DIR"] = app.config.get("MAIL_OUTBOX_DIR") or str(Path(instance_path) / "outbox")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", translation_directories())
    if not app.config.get("SECRET_KEY"):
        if name == "production":
            raise RuntimeError("SECRET_KEY is not set: put it in the environment or instance/config.py")
        app.config["SECRET_KEY"] = ensure_instance_config(Path(instance_path))

    # The one import inside a function, for a real cycle: the rooms import app.extensions and the
    # rest of the floor, which runs this package's __init__ first; importing the rooms here at the
    # top would make "import courses.…" before "import app" fail on a half-loaded module.
    from app import wiring

    app.config.setdefault("GET_WRITE_GUARD", os.environ.get("VMESTE_GET_WRITE_GUARD", ""))
    _init_extensions(app)
    after_response.init_app(app)
    input_guard.init_app(app)  # before the blueprints: their <int:…> rules bind the bounded converter
    wiring.register_rooms(app)  # blueprints, attempt policies, tick jobs, dashboard panels, demo parts
    _init_templates(app)
    errors.init_app(app)
    security.init_app(app)
    uploads.init_app(app)
    mail_delivery.init_app(app)
    cli.init_app(app)
    if not app.testing:
        _freeze_start_up_objects()
    return app


def _freeze_start_up_objects() -> None:
    """Move what start-up built (modules, models, templates, routes: ~170,000 objects) out of the
    garbage collector's sight: a full collection walked them all again and again on heavy pages
    (the jury overview went from 135 to 78 ms with this). They live as long as the worker anyway;
    under gunicorn's --preload the pages also stay shared with the master after the fork."""
    gc.collect()
    gc.freeze()


def ensure_instance_config(instance_path: Path) -> str:
    """Create instance/config.py with a random SECRET_KEY once; return the key it holds."""
    instance_path.mkdir(parents=True, exist_ok=True)
    config_file = instance_path / "config.py"
    if not config_file.exists():
        key = secrets.token_urlsafe(48)
        config_file.write_text(
            "# Per-installation settings; never committed.\n"
            f"SECRET_KEY = {key!r}\n"
            "# DATABASE_URL may also be set in the environment (postgresql://user:pass@host/db).\n"
        )
        config_file.chmod(0o600)
    namespace: dict[str, Any] = {}
    exec(compile(config_file.read_text(), str(config_file), "exec"), namespace)  # noqa: S102 - our own file
    return str(namespace["SECRET_KEY"])


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    login_manager.login_message = lazy_gettext("Please log in to open this page.")
    login_manager.login_message_category = "warning"
    # One query per request: the user joined with this login's row, version and `active` checked.
    login_manager.user_loader(load_user)

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _tune_sqlite(db.engine)
        if app.config["GET_WRITE_GUARD"] or app.testing:  # tests may turn it on for one request
            event.listen(db.engine, "before_cursor_execute", read_requests.check_statement)


def _tune_sqlite(engine: Any) -> None:
    """WAL, a busy timeout, foreign keys, and BEGIN IMMEDIATE so concurrent writers queue instead
    of failing with "database is locked" (see DESIGN.md, pitfalls); a GET or HEAD request only
    reads, so it begins deferred and runs beside the other worker (app/read_requests.py)."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        if read_requests.reads_only():
            connection.connection.driver_connection.execute("BEGIN")
        else:
            begin_immediate(connection.connection.driver_connection)


BUSY_TIMEOUT_MS = 30_000


def begin_immediate(dbapi_connection: Any, timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
    """Take SQLite's write lock for this transaction, retrying every half millisecond at most.

    SQLite's own busy handler sleeps in growing steps (1, 2, 5 … 100 ms), so under two gunicorn
    workers a request could sleep long after the lock was free (p99 in the hundreds of ms).
    Once the lock is ours nothing else in the transaction waits, and the normal busy timeout is
    back for anything unexpected."""
    deadline = time.monotonic() + timeout_ms / 1000
    pause = 0.0001
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                if time.monotonic() >= deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 1.5, 0.0005)
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def select_locale() -> str:
    """The user's saved language, else the one chosen in this session, else Russian."""
    if not has_request_context():
        return "ru"
    languages = current_app.config["LANGUAGES"]
    if current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    chosen = session.get("locale")
    return str(chosen) if chosen in languages else "ru"


def select_timezone() -> str:
    if has_request_context() and current_user.is_authenticated:
        return str(current_user.timezone)
    return DEFAULT_TIMEZONE


def _init_templates(app: Flask) -> None:
    templating.init_app(app)
    app.jinja_env.globals["permissions"] = permissions
