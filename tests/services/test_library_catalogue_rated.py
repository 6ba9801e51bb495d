"""The catalogue's «rated» order damps each average towards a prior, on the database the suite runs
on (SQLite or PostgreSQL): one 5 no longer outranks three ratings averaging 4.67; unrated last; the
card still shows the plain average."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from app.extensions import db
from community.library import search
from community.library.catalogue import Viewer, browse
from community.library.catalogue_params import (
    RATING_PRIOR_STARS,
    RATING_PRIOR_WEIGHT,
    Filters,
    damped_rating,
)
from community.library.models import Material
from tests.factories.community import published_material

pytestmark = pytest.mark.usefixtures("app")


def _rated(title: str, rating_sum: int, ratings_count: int, summary: str = "Конспект урока") -> Material:
    material = published_material(title=title, summary=summary)
    material.rating_sum, material.ratings_count = rating_sum, ratings_count
    search.index_material(material)
    return material


def _titles(sort: str, q: str = "") -> list[str]:
    db.session.commit()
    result = browse(Filters(q=q, sort=sort), Viewer(), page=1, per_page=50)
    return [card.material.title for card in result.page.items]


def test_damped_rating_pulls_few_ratings_towards_the_prior() -> None:
    assert (RATING_PRIOR_STARS, RATING_PRIOR_WEIGHT) == (3.5, 2)
    assert damped_rating(5, 1) == pytest.approx(12 / 3)
    assert damped_rating(14, 3) == pytest.approx(21 / 5)
    assert damped_rating(14, 3) > damped_rating(5, 1)  # type: ignore[operator]
    assert damped_rating(0, 0) is None


def test_three_ratings_averaging_4_67_rank_above_a_single_5() -> None:
    _rated("Одна пятёрка", 5, 1)
    _rated("Три оценки", 14, 3)  # 5, 5, 4
    assert _titles("rated") == ["Три оценки", "Одна пятёрка"]


def test_many_good_ratings_beat_a_few_perfect_ones_and_a_low_average_stays_low() -> None:
    _rated("Две пятёрки", 10, 2)  # damped 4.25
    _rated("Двадцать оценок", 90, 20)  # average 4.5, damped 4.41
    _rated("Одна тройка", 3, 1)  # damped 3.33
    _rated("Десять двоек", 20, 10)  # damped 2.25
    assert _titles("rated") == ["Двадцать оценок", "Две пятёрки", "Одна тройка", "Десять двоек"]


def test_unrated_materials_come_last_even_below_a_low_rating() -> None:
    _rated("Без оценок", 0, 0)
    _rated("Одна единица", 1, 1)  # damped 2.67, below the prior the unrated would get
    _rated("Одна пятёрка", 5, 1)
    assert _titles("rated") == ["Одна пятёрка", "Одна единица", "Без оценок"]


def test_a_tie_in_damped_rating_goes_to_more_ratings_then_to_the_newest() -> None:
    _rated("Четыре оценки", 15, 4)  # (15 + 7) / 6 = 3.67, created first: a lower id
    _rated("Новая четвёрка", 4, 1)  # (4 + 7) / 3 = 3.67
    older = _rated("Старая четвёрка", 4, 1)  # a higher id, published earlier
    assert older.published_at is not None
    older.published_at -= timedelta(days=3)
    assert _titles("rated") == ["Четыре оценки", "Новая четвёрка", "Старая четвёрка"]


def test_the_card_still_shows_the_plain_average() -> None:
    _rated("Три оценки", 14, 3)
    db.session.commit()
    card = browse(Filters(sort="rated"), Viewer(), page=1, per_page=10).page.items[0]
    assert card.rating == Decimal("4.67")


def test_searching_breaks_relevance_ties_by_the_damped_rating() -> None:
    _rated("Стихи о поэзии", 5, 1, summary="Подборка")
    _rated("Стихи о поэзии ", 14, 3, summary="Подборка")
    _rated("Стихи о поэзии  ", 0, 0, summary="Подборка")
    titles = _titles("", q="поэзия")
    assert titles == ["Стихи о поэзии ", "Стихи о поэзии", "Стихи о поэзии  "]
