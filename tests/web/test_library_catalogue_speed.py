"""The whole library's catalogue kept rendered (app/library/catalogue.py) and its count and facets kept
(community.library.catalogue.front_summary), and still right after every change made through the
services: a publication, an edit of a published material's subjects, a rating, a comment, a rename of
an author or a school; «popular» and searches are built each time. The kept page reads a fixed, small
number of statements whatever the library's size."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select

from app.account_services import update_profile
from app.accounts import Institution, User
from app.extensions import db
from app.institutions import save_institution
from app.timeutil import utcnow
from community.library import authoring, comments, ratings, search, visits
from community.library.material_input import input_of
from community.library.models import Material, MaterialStatus, MaterialVersion
from community.library.moderation import review
from tests.conftest import ApiClient, login
from tests.factories.accounts import methodist, teacher
from tests.factories.community import published_material, subjects


def _html(client: Any, path: str = "/library/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def _total(html: str) -> int:
    found = re.search(r'id="library-total">([\d\s\u00a0\u202f]+)', html)
    assert found is not None
    return int(re.sub(r"\D", "", found.group(1)))


def _facet(html: str, facet: str, value: object) -> int | None:
    if f'data-facet="{facet}"' not in html:
        return None
    block = html.split(f'data-facet="{facet}"', 1)[1].split("</fieldset>", 1)[0]
    match = re.search(rf'value="{value}"[\s\S]*?data-count>(\d+)<', block)
    return int(match.group(1)) if match else None


def _fill(count: int, author: Any = None) -> None:
    for n in range(count):
        search.index_material(published_material(author, title=f"Урок № {n}"))
    db.session.commit()


def test_the_kept_page_reads_the_same_few_statements_at_any_size(
    client: Any, app: Any, count_queries: Any
) -> None:
    login(client, teacher())
    counts = []
    for size in (2, 30):
        _fill(size)
        with count_queries(cold=True) as built:
            _html(client)
        with count_queries(cold=True) as kept:
            _html(client)
        counts.append((built.count, kept.count))
    assert counts[0] == counts[1]
    built_count, kept_count = counts[0]
    # Kept: the user, the versions, the layout's; built: + count, facets, page, subjects and grades, subjects.
    assert kept_count <= built_count - 5 and kept_count <= 5


def test_a_publication_moves_the_count_and_the_facets(client: Any, app: Any) -> None:
    math = subjects()["Математика"].id
    _fill(2)
    login(client, teacher())
    page = _html(client)
    assert _total(page) == 2 and _facet(page, "subject", math) is None
    pending = published_material(
        teacher(), title="Новый конспект", status=MaterialStatus.PENDING, subject_ids=(math,)
    )
    version = db.session.scalars(
        select(MaterialVersion).where(MaterialVersion.material_id == pending.id)
    ).one()
    review(version, "publish", "", actor=methodist(), now=utcnow(), link="/library/1")
    page = _html(client)
    assert _total(page) == 3 and _facet(page, "subject", math) == 1 and "Новый конспект" in page
    assert ApiClient(client).get("/materials").json["total"] == 3


def test_an_edit_of_a_published_materials_subjects_moves_the_facets(client: Any, app: Any) -> None:
    names = subjects()
    math, physics = names["Математика"].id, names["Физика"].id
    author = teacher()
    material = published_material(author, subject_ids=(math,))
    db.session.commit()
    login(client, teacher())
    page = _html(client)
    assert _facet(page, "subject", math) == 1 and _facet(page, "subject", physics) is None
    version = db.session.scalars(
        select(MaterialVersion).where(MaterialVersion.material_id == material.id)
    ).one()
    data = input_of(material, version)
    data.subject_ids = [physics]
    authoring.update_material(material, data, actor=db.session.get_one(User, author.id), now=utcnow())
    page = _html(client)
    assert _facet(page, "subject", math) is None and _facet(page, "subject", physics) == 1


def test_a_rating_and_a_comment_show_on_the_card(client: Any, app: Any) -> None:
    material = published_material(teacher(), title="Сложение дробей")
    db.session.commit()
    login(client, teacher())
    page = _html(client)
    assert "data-rating" not in page and "0 комментариев" in page
    ratings.rate_material(db.session.get_one(Material, material.id), teacher(), 4, now=utcnow())
    assert "4 из 5" in _html(client)
    comments.post_comment(db.session.get_one(Material, material.id), teacher(), "Спасибо!", now=utcnow())
    assert "1 комментарий" in _html(client)
    assert "4 из 5" in _html(client, "/library/?sort=rated")


def test_a_renamed_author_and_school_show_by_their_new_names(client: Any, app: Any) -> None:
    author = teacher(full_name="Анна Старая")
    published_material(author)
    db.session.commit()
    school = db.session.get_one(Institution, author.institution_id)
    login(client, teacher())
    assert "Анна Старая" in _html(client)
    found = db.session.get_one(User, author.id)
    update_profile(
        found,
        full_name="Анна Новая",
        institution_id=found.institution_id,
        timezone=found.timezone,
        locale="ru",
    )
    save_institution(db.session.get_one(Institution, school.id), name="Лицей № 1 имени Пушкина", actor=None)
    page = _html(client)
    assert "Анна Новая" in page and "Анна Старая" not in page and "Лицей № 1 имени Пушкина" in page


def test_the_popular_order_follows_every_visit(client: Any, app: Any) -> None:
    first, second = (
        published_material(teacher(), title="Первый"),
        published_material(teacher(), title="Второй"),
    )
    db.session.commit()
    login(client, teacher())
    assert _html(client, "/library/?sort=popular").index("Второй") < _html(
        client, "/library/?sort=popular"
    ).index("Первый")
    for reader in (teacher(), teacher()):
        visits.count_view(db.session.get_one(Material, first.id), reader, date.today())
    db.session.commit()
    page = _html(client, "/library/?sort=popular")
    assert page.index("Первый") < page.index("Второй") and second.id
