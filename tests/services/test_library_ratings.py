"""Ratings (one per colleague, never by the author, sums kept atomically, two at once) and
"useful for me" bookmarks."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.accounts import User
from app.domain_errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.timeutil import utcnow
from community.library import bookmarks, ratings
from community.library.models import Material, MaterialBookmark, MaterialRating, MaterialStatus
from tests.concurrency import at_once_words as _at_once
from tests.factories.accounts import teacher
from tests.factories.community import published_material


def _sums(material_id: int) -> tuple[int, int]:
    material = db.session.get(Material, material_id)
    assert material is not None
    db.session.refresh(material)
    return material.rating_sum, material.ratings_count


def _rows(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_ratings_average_and_a_second_rating_changes_the_first(app) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    a, b, c = teacher(), teacher(), teacher()
    ratings.rate_material(material, a, 5, now=utcnow())
    ratings.rate_material(material, b, 4, now=utcnow())
    summary = ratings.rate_material(material, c, 5, now=utcnow())
    assert (summary.average, summary.count) == (Decimal("4.67"), 3)
    summary = ratings.rate_material(material, c, 2, now=utcnow())
    assert (summary.average, summary.count) == (Decimal("3.67"), 3)
    assert _sums(material.id) == (11, 3)
    assert _rows(MaterialRating) == 3
    assert ratings.my_stars(material.id, c) == 2


@pytest.mark.parametrize("stars", [0, 6, "5", None, 4.5, True])
def test_stars_outside_one_to_five_are_refused(app, stars: object) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    with pytest.raises(Invalid) as refused:
        ratings.rate_material(material, teacher(), stars, now=utcnow())
    assert "stars" in refused.value.fields
    assert _rows(MaterialRating) == 0 and _sums(material.id) == (0, 0)


def test_the_author_never_rates_and_unpublished_is_not_rated(app) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    with pytest.raises(Forbidden):
        ratings.rate_material(material, db.session.get(User, material.author_id), 5, now=utcnow())
    pending = published_material(status=MaterialStatus.PENDING)
    with pytest.raises(Conflict):
        ratings.rate_material(pending, teacher(), 5, now=utcnow())
    assert _rows(MaterialRating) == 0


def _rate(material_id: int, user_id: int, stars: int) -> Callable[[], object]:
    def call() -> object:
        material, user = db.session.get(Material, material_id), db.session.get(User, user_id)
        assert material is not None and user is not None
        return ratings.rate_material(material, user, stars, now=utcnow())

    return call


def test_two_ratings_at_once_by_one_user_leave_one_row_and_true_sums(app) -> None:  # type: ignore[no-untyped-def]
    if db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file database")
    material, rater, other = published_material(), teacher(), teacher()
    ids = material.id, rater.id, other.id
    db.session.commit()
    db.session.close()
    outcomes = _at_once(app, [_rate(ids[0], ids[1], 3), _rate(ids[0], ids[1], 5), _rate(ids[0], ids[2], 4)])
    assert outcomes == ["ok"] * 3
    rows = list(db.session.execute(select(MaterialRating.user_id, MaterialRating.stars)))
    assert len(rows) == 2
    mine = dict(rows)[ids[1]]
    assert mine in (3, 5)
    assert _sums(ids[0]) == (mine + 4, 2)


def test_bookmarks_are_idempotent_and_counted_once(app) -> None:  # type: ignore[no-untyped-def]
    material, reader = published_material(title="Рабочий лист"), teacher()
    assert bookmarks.set_bookmark(material, reader, True, now=utcnow()) is True
    assert bookmarks.set_bookmark(material, reader, True, now=utcnow()) is True
    db.session.refresh(material)
    assert material.bookmarks_count == 1 and bookmarks.is_bookmarked(material.id, reader)
    page = bookmarks.my_bookmarks(reader, 1, 20)
    assert [m.title for m in page.items] == ["Рабочий лист"] and page.total == 1
    assert bookmarks.set_bookmark(material, reader, False, now=utcnow()) is False
    assert bookmarks.set_bookmark(material, reader, False, now=utcnow()) is False
    db.session.refresh(material)
    assert material.bookmarks_count == 0 and _rows(MaterialBookmark) == 0
    assert bookmarks.my_bookmarks(reader, 1, 20).total == 0
    with pytest.raises(Conflict):
        bookmarks.set_bookmark(published_material(status=MaterialStatus.DRAFT), reader, True, now=utcnow())


def test_two_bookmarks_at_once_count_once(app) -> None:  # type: ignore[no-untyped-def]
    if db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file database")
    material, reader = published_material(), teacher()
    material_id, reader_id = material.id, reader.id
    db.session.commit()
    db.session.close()

    def mark() -> object:
        row, user = db.session.get(Material, material_id), db.session.get(User, reader_id)
        assert row is not None and user is not None
        return bookmarks.set_bookmark(row, user, True, now=utcnow())

    assert _at_once(app, [mark, mark, mark]) == ["ok"] * 3
    assert _rows(MaterialBookmark) == 1
    material = db.session.get(Material, material_id)
    assert material is not None and material.bookmarks_count == 1
