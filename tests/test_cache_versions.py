"""The shared cache versions and the per-app memo built on them (app/cache_versions.py, app/memo.py)."""

from __future__ import annotations

from flask import Flask

from app.cache_versions import bump, current
from app.extensions import db
from app.memo import Memo, remember
from tests.concurrency import at_once_words, skip_memory_database


def test_a_key_never_bumped_is_version_zero(app: Flask) -> None:
    assert current(["course:1", "library"]) == (0, 0)
    assert current([]) == ()


def test_bump_counts_each_call_and_only_its_keys(app: Flask) -> None:
    bump("course:1")
    bump("course:1", "library")
    db.session.commit()
    assert current(["course:1", "library", "course:2"]) == (2, 1, 0)


def test_a_rolled_back_bump_leaves_the_version(app: Flask) -> None:
    bump("course:1")
    db.session.commit()
    bump("course:1")
    db.session.rollback()
    assert current(["course:1"]) == (1,)


def test_remember_builds_once_per_version(app: Flask) -> None:
    built: list[int] = []

    def build() -> int:
        built.append(1)
        return len(built)

    assert remember("thing", (1,), ("course:1",), build) == 1
    assert remember("thing", (1,), ("course:1",), build) == 1
    assert remember("thing", (2,), ("course:1",), build) == 2  # other parts, other entry
    bump("course:1")
    db.session.commit()
    assert remember("thing", (1,), ("course:1",), build) == 3
    assert len(built) == 3


def test_the_memo_drops_the_least_recently_used() -> None:
    memo = Memo(size=2)
    memo.get_or_build("a", lambda: 1)
    memo.get_or_build("b", lambda: 2)
    memo.get_or_build("a", lambda: 0)  # a used again: b is now the oldest
    memo.get_or_build("c", lambda: 3)
    assert memo.get_or_build("a", lambda: 10) == 1  # kept
    assert memo.get_or_build("b", lambda: 20) == 20  # dropped, built again
    assert len(memo) == 2


def test_two_bumps_at_once_both_count(app: Flask) -> None:
    skip_memory_database()

    def one_bump() -> None:
        bump("stage:1:results")
        db.session.commit()

    assert at_once_words(app, [one_bump, one_bump]) == ["ok", "ok"]
    assert current(["stage:1:results"]) == (2,)
