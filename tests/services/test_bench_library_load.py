"""The bench's library load (bench/scenarios/library.py) on the suite's database: its bulk path —
on PostgreSQL with the search trigger resting and the vectors filled in one statement — leaves a
library the catalogue searches as the app's own indexing would, and the trigger working again for
materials changed after it."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from bench.scenario import BenchContext
from bench.scenarios import library
from community.library import search
from community.library.catalogue import Viewer, browse
from community.library.catalogue_params import Filters
from community.library.models import Material
from tests.factories.accounts import teacher


def _found(q: str) -> int:
    return browse(Filters(q=q), Viewer(), page=1, per_page=20).page.total


def test_the_loaded_library_is_searchable_and_later_edits_are_indexed(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(library, "MATERIALS", 60)
    monkeypatch.setattr(library, "CHUNK", 20)
    monkeypatch.setattr(library, "AUTHORS", 10)
    school = teacher().institution_id
    db.session.commit()
    ctx = BenchContext(app=app, password="", password_hash="x", data={"institution_ids": [school]})
    library.prepare(ctx)

    assert db.session.scalar(select(func.count()).select_from(Material)) == 60
    assert db.session.scalar(select(func.count()).where(Material.published_version_id.is_(None))) == 0
    fractions = db.session.scalar(select(func.count()).where(Material.title.contains("дробей")))
    assert fractions  # the seeded generator puts the topic in some titles
    assert _found(library.SEARCH) == fractions
    # The trigger (PostgreSQL) or the app's indexing (SQLite) keeps up with a change after the load.
    material = db.session.scalars(select(Material).where(Material.title.contains("дробей")).limit(1)).one()
    material.search_text = "Круговорот воды в природе"
    search.index_material(material)
    db.session.commit()
    assert _found(library.SEARCH) == fractions - 1
    assert _found("круговорот") == 1
