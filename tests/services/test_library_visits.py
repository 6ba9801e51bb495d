"""Views and downloads of a material count once per colleague per day, even two at once."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from app.accounts import User
from app.extensions import db
from community.library.models import Material, MaterialVisit, VisitKind
from community.library.visits import count_download, count_view
from tests.factories.accounts import teacher
from tests.factories.community import published_material

TODAY = date(2026, 3, 2)


def _counts(material_id: int) -> tuple[int, int]:
    material = db.session.get(Material, material_id)
    assert material is not None
    db.session.refresh(material)
    return material.views_count, material.downloads_count


def test_a_view_counts_once_a_day_and_again_the_next_day(app) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    reader = teacher()
    assert count_view(material, reader, TODAY) is True
    assert count_view(material, reader, TODAY) is False
    assert _counts(material.id) == (1, 0)
    assert count_view(material, reader, date(2026, 3, 3)) is True
    assert _counts(material.id) == (2, 0)


def test_downloads_are_counted_apart_from_views(app) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    reader, other = teacher(), teacher()
    assert count_view(material, reader, TODAY)
    assert count_download(material, reader, TODAY)
    assert not count_download(material, reader, TODAY)
    assert count_download(material, other, TODAY)
    assert _counts(material.id) == (1, 2)
    kinds = sorted(db.session.scalars(select(MaterialVisit.kind).where(MaterialVisit.user_id == reader.id)))
    assert kinds == [VisitKind.DOWNLOAD, VisitKind.VIEW]


def test_anonymous_readers_and_the_author_are_not_counted(app) -> None:  # type: ignore[no-untyped-def]
    material = published_material()

    class Anonymous:
        is_authenticated = False

    assert count_view(material, None, TODAY) is False
    assert count_view(material, Anonymous(), TODAY) is False
    assert count_view(material, db.session.get(User, material.author_id), TODAY) is False
    assert _counts(material.id) == (0, 0)
    assert db.session.scalar(select(func.count()).select_from(MaterialVisit)) == 0


def test_two_views_at_once_count_once(app) -> None:  # type: ignore[no-untyped-def]
    if db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file database")
    material = published_material()
    reader = teacher()
    material_id, reader_id = material.id, reader.id
    db.session.commit()
    db.session.close()
    outcomes: list[bool] = []
    barrier = threading.Barrier(4)

    def run() -> None:
        with app.app_context():
            barrier.wait()
            try:
                row = db.session.get(Material, material_id)
                assert row is not None
                outcomes.append(count_view(row, db.session.get(User, reader_id), TODAY))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False, False, False, True]
    assert _counts(material_id) == (1, 0)
    assert db.session.scalar(select(func.count()).select_from(MaterialVisit)) == 1
