"""Configuration: database URLs, SQLite tuning, and settings from the environment."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.config import database_url
from app.extensions import db


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql://u:p@h:5433/db", "postgresql+psycopg://u:p@h:5433/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_url_from_the_environment(monkeypatch, given: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", given)
    assert database_url("/srv/instance") == expected


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url("/srv/instance") == "sqlite:////srv/instance/vmeste.db"


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(app) -> None:  # type: ignore[no-untyped-def]
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite tuning")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 30000


def test_secret_key_and_mail_settings_come_from_the_environment(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app import create_app

    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("VMESTE_INSTANCE_PATH", str(tmp_path))
    made = create_app(
        {"CONFIG_NAME": "development", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'c.db'}"}
    )
    assert made.config["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "config.py").exists()
    with made.app_context():
        db.engine.dispose()


def test_a_waiting_writer_gets_the_lock_soon_after_it_is_freed(app) -> None:  # type: ignore[no-untyped-def]
    """SQLite's own busy handler would sleep up to 100 ms at a time; we poll every 0.5 ms at most."""
    import threading
    import time

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite locking")
    engine = db.engine
    holder = engine.connect()
    holder.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: the write lock is held
    waited: list[float] = []

    def writer() -> None:
        start = time.monotonic()
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            waited.append(time.monotonic() - start)
            connection.rollback()

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.3)
    assert waited == []  # still waiting for the lock
    released = time.monotonic()
    holder.rollback()
    holder.close()
    thread.join(timeout=10)
    assert waited and waited[0] >= 0.3
    assert time.monotonic() - released < 0.1


def test_connections_are_pinged_before_use_on_postgresql_only(app) -> None:  # type: ignore[no-untyped-def]
    """A restarted PostgreSQL server leaves dead connections in the pool; a SQLite file cannot."""
    assert db.engine.pool._pre_ping is (db.engine.dialect.name != "sqlite")
