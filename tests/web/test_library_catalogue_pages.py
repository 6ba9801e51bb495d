"""The catalogue page /library/: cards with the rating by locale, facets with counts, search, sorting,
the empty state, lenient parameters, and a query count that does not grow with the library."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.extensions import db
from community.associations.models import Association
from community.library import search
from community.library.models import MaterialKind, MaterialStatus
from tests.conftest import login
from tests.factories.accounts import methodist, student, teacher
from tests.factories.community import AssociationFactory, published_material, subjects


def _material(**kw: Any) -> Any:
    material = published_material(**kw)
    search.index_material(material)
    return material


def _titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="h5 card-title mb-1"><a href="[^"]+">([^<]+)</a>', html)


def _count(html: str, facet: str, value: object) -> int | None:
    if f'data-facet="{facet}"' not in html:
        return None  # a facet with no values is not drawn
    block = html.split(f'data-facet="{facet}"', 1)[1].split("</fieldset>", 1)[0]
    match = re.search(rf'value="{value}"[\s\S]*?data-count>(\d+)<', block)
    return int(match.group(1)) if match else None


def test_cards_show_kind_subjects_grades_author_school_rating_and_comments(client: Any, app: Any) -> None:
    math = subjects()["Математика"].id
    material = _material(title="Сложение дробей", subject_ids=(math,), grades=(5, 6))
    material.rating_sum, material.ratings_count, material.comments_count = 14, 3, 5
    author, institution = material.author_id, material.institution_id
    db.session.commit()
    html = client.get("/library/").get_data(as_text=True)
    assert _titles(html) == ["Сложение дробей"]
    assert "4,67 из 5" in html and "3 оценки" in html and "5 комментариев" in html
    assert "Конспект урока" in html and "Математика" in html and "Классы 5, 6" in html
    assert f'href="/library/materials/{material.id}"' in html
    assert author and institution and "Школа №" in html and "район" in html


def test_english_readers_see_a_point(client: Any, app: Any) -> None:
    material = _material(title="Fractions")
    material.rating_sum, material.ratings_count = 9, 2
    db.session.commit()
    client.post("/language", data={"locale": "en", "next": "/library/"})
    html = client.get("/library/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "4.5 out of 5" in html


def test_facets_search_and_sorting(client: Any, app: Any) -> None:
    s = subjects()
    math, physics = s["Математика"].id, s["Физика"].id
    _material(title="Сложение дробей", subject_ids=(math,), grades=(5,))
    _material(title="Законы Ньютона", subject_ids=(physics,), grades=(9,), kind=MaterialKind.TEST)
    popular = _material(title="Дроби в физике", subject_ids=(math, physics), grades=(9,))
    popular.views_count = 40
    db.session.commit()
    html = client.get("/library/").get_data(as_text=True)
    assert _count(html, "subject", math) == 2 and _count(html, "subject", physics) == 2
    assert _count(html, "grade", 9) == 2 and _count(html, "kind", "test") == 1
    html = client.get(f"/library/?subject={math}&grade=9").get_data(as_text=True)
    assert _titles(html) == ["Дроби в физике"]
    assert re.search(rf'value="{math}"\s+id="f-subject-\d+" checked', html)
    assert _count(html, "grade", 5) == 1  # grade's own filter left out of its counts
    html = client.get("/library/?q=дробь").get_data(as_text=True)
    assert sorted(_titles(html)) == ["Дроби в физике", "Сложение дробей"]
    assert _titles(client.get("/library/?sort=popular").get_data(as_text=True))[0] == "Дроби в физике"


def test_bad_parameters_fall_back_instead_of_failing(client: Any, app: Any) -> None:
    _material(title="Сложение дробей", grades=(5,))
    db.session.commit()
    for query in (
        "grade=12",
        "sort=cheapest",
        "per_page=0",
        "per_page=100000",
        "page=-3",
        "subject=x",
        "status=x",
    ):
        response = client.get("/library/?" + query)
        assert response.status_code == 200, query
        assert _titles(response.get_data(as_text=True)) == ["Сложение дробей"], query


def test_empty_states_say_what_to_do(client: Any, app: Any) -> None:
    login(client, teacher())
    html = client.get("/library/").get_data(as_text=True)
    assert "В библиотеке пока нет опубликованных материалов" in html and "/library/materials/new" in html
    html = client.get("/library/?q=квантовая+хромодинамика").get_data(as_text=True)
    assert 'id="library-empty"' in html and "покажите всю библиотеку" in html


def test_others_unpublished_materials_stay_hidden_on_the_page(client: Any, app: Any) -> None:
    math = subjects()["Математика"].id
    author = teacher()
    _material(author=author, title="Мой черновик", subject_ids=(math,), status=MaterialStatus.DRAFT)
    association = AssociationFactory()
    _material(
        title="На модерации в МО", subject_ids=(math,), association=association, status=MaterialStatus.PENDING
    )
    db.session.commit()
    login(client, teacher())
    html = client.get("/library/?status=pending").get_data(as_text=True)
    assert _titles(html) == [] and _count(html, "subject", math) is None
    mine = app.test_client()
    login(mine, author)
    assert _titles(mine.get("/library/?status=draft").get_data(as_text=True)) == ["Мой черновик"]
    assert _titles(mine.get("/library/").get_data(as_text=True)) == []


def test_pupils_and_anonymous_readers_browse_published_materials(client: Any, app: Any) -> None:
    _material(title="Сложение дробей")
    db.session.commit()
    assert _titles(client.get("/library/").get_data(as_text=True)) == ["Сложение дробей"]
    login(client, student())
    assert _titles(client.get("/library/").get_data(as_text=True)) == ["Сложение дробей"]


def _fill(count: int, math: int, association_id: int) -> None:
    association = db.session.get(Association, association_id)
    for n in range(count):
        _material(
            title=f"Урок № {n}",
            subject_ids=(math,),
            grades=(5, 6),
            association=association,
            kind=MaterialKind.TEST if n % 2 else MaterialKind.LESSON_PLAN,
        )
    db.session.commit()


@pytest.mark.parametrize("query", ["", "?q=урок", "?grade=5&sort=rated", "?status=pending"])
def test_the_catalogue_runs_the_same_queries_whatever_its_size(
    client: Any, app: Any, count_queries: Any, query: str
) -> None:
    math = subjects()["Математика"].id
    association_id = AssociationFactory().id
    login(client, methodist())
    counts = []
    for size in (2, 30):
        _fill(size, math, association_id)
        with count_queries(cold=True) as counter:
            response = client.get("/library/" + query)
        assert response.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 10
