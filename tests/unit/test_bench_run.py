"""Which databases `make bench` runs (BENCH_DATABASES) and which database URL each run gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import run


@pytest.mark.parametrize(
    ("setting", "databases"),
    [
        (None, ["sqlite", "postgresql"]),
        ("", ["sqlite", "postgresql"]),
        ("sqlite", ["sqlite"]),
        ("PostgreSQL", ["postgresql"]),
        ("postgresql, sqlite", ["sqlite", "postgresql"]),  # always SQLite first
    ],
)
def test_both_databases_run_unless_one_is_named(
    monkeypatch: pytest.MonkeyPatch, setting: str | None, databases: list[str]
) -> None:
    if setting is None:
        monkeypatch.delenv("BENCH_DATABASES", raising=False)
    else:
        monkeypatch.setenv("BENCH_DATABASES", setting)
    assert run.wanted_databases() == databases


def test_an_unknown_database_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_DATABASES", "sqlite,mysql")
    with pytest.raises(SystemExit, match="unknown mysql"):
        run.wanted_databases()


def test_sqlite_is_a_new_file_unless_a_sqlite_url_is_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    with run.database_url("sqlite", tmp_path) as url:
        assert url == f"sqlite:///{tmp_path / 'bench.db'}"
    monkeypatch.setenv("BENCH_DATABASE_URL", "postgresql://bench@127.0.0.1/scratch")  # not for SQLite
    with run.database_url("sqlite", tmp_path) as url:
        assert url == f"sqlite:///{tmp_path / 'bench.db'}"
    monkeypatch.setenv("BENCH_DATABASE_URL", "sqlite:////srv/scratch.db")
    with run.database_url("sqlite", tmp_path) as url:
        assert url == "sqlite:////srv/scratch.db"
