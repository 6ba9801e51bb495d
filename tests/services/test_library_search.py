"""Full-text search of the library on the database the suite runs on (SQLite or PostgreSQL): Russian
word forms, ё, ranking, file text, and the index following a material's changes."""

from __future__ import annotations

import io
import zipfile

import pytest

from app.extensions import db
from community.library import search
from community.library.catalogue import Viewer, browse
from community.library.catalogue_params import Filters
from community.library.file_text import DOCX, extract_text
from community.library.models import Material, MaterialStatus
from tests.factories.accounts import teacher
from tests.factories.community import published_material

pytestmark = pytest.mark.usefixtures("app")


def _material(title: str, summary: str = "", **kw: object) -> Material:
    material = published_material(title=title, summary=summary, **kw)  # type: ignore[arg-type]
    search.index_material(material)
    return material


def _found(q: str, *, sort: str = "", viewer: Viewer | None = None, **kw: object) -> list[str]:
    db.session.commit()
    result = browse(Filters(q=q, sort=sort, **kw), viewer or Viewer(), page=1, per_page=50)  # type: ignore[arg-type]
    return [card.material.title for card in result.page.items]


@pytest.mark.parametrize(
    ("title", "query"),
    [
        ("Сложение дробей с разными знаменателями", "дробь"),
        ("Что такое дробь", "дробей"),
        ("Открытые уроки математики", "урок"),
        ("Урок мужества", "уроки"),
        ("Новогодняя ёлка в начальной школе", "елка"),
        ("Новогодняя елка в начальной школе", "Ёлка"),
        ("Presentations for English lessons", "presentation"),
    ],
)
def test_search_finds_other_word_forms(title: str, query: str) -> None:
    _material(title)
    _material("Химические реакции", "Лабораторная работа")
    assert _found(query) == [title]


def test_search_needs_every_word_and_ignores_stop_words_and_punctuation() -> None:
    _material("Сложение дробей", "Урок для 5 класса")
    _material("Вычитание дробей", "Контрольная работа")
    assert _found("урок и дроби!") == ["Сложение дробей"]
    assert _found("дроби контрольная") == ["Вычитание дробей"]
    assert _found("дроби химия") == []


def test_a_query_of_stop_words_or_punctuation_filters_nothing() -> None:
    _material("Сложение дробей")
    assert _found("и в на") == ["Сложение дробей"]
    assert _found('"*( OR NEAR') == []  # FTS5 syntax is read as words, never as operators


def test_ranked_by_relevance_then_rating() -> None:
    once = _material("Викторина по литературе", "Вопросы о поэзии")
    often = _material("Поэзия Серебряного века", "Поэзия, поэзия и ещё раз поэзия: урок о поэзии")
    rated_low = _material("Стихи о поэзии", "Подборка")
    rated_high = _material("Стихи о поэзии ", "Подборка")
    rated_low.rating_sum, rated_low.ratings_count = 6, 3
    rated_high.rating_sum, rated_high.ratings_count = 14, 3
    titles = _found("поэзия")
    assert titles[0] == often.title
    assert titles.index(rated_high.title) < titles.index(rated_low.title)
    assert set(titles) == {once.title, often.title, rated_low.title, rated_high.title}
    assert _found("поэзия", sort="new")[0] == rated_high.title  # newest first when asked


def test_search_finds_the_text_of_a_file() -> None:
    document = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>Алгоритм Евклида для нахождения наибольшего общего делителя</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", document)
    material = _material("Конспект урока", "")
    material.search_text += "\n" + extract_text(buffer.getvalue(), DOCX)
    search.index_material(material)
    assert _found("делители евклида") == ["Конспект урока"]


def test_the_index_follows_changes_and_deletions() -> None:
    material = _material("Старое название")
    material.search_text = "Новое название про треугольники"
    search.index_material(material)
    assert _found("старое") == []
    assert _found("треугольник") == ["Старое название"]
    db.session.delete(material)
    db.session.commit()
    replacement = published_material(title="Без индекса")  # may reuse the id on SQLite
    db.session.commit()
    assert replacement.title == "Без индекса"
    assert _found("треугольник") == []


def test_unpublished_materials_are_searched_only_by_those_who_may_see_them() -> None:
    author = teacher()
    _material("Черновик про дроби", author=author, status=MaterialStatus.DRAFT)
    _material("Дроби на модерации", author=author, status=MaterialStatus.PENDING)
    assert _found("дроби") == []
    assert _found("дроби", viewer=Viewer(user_id=author.id)) == []  # the catalogue is the published one
    mine = _found("дроби", viewer=Viewer(user_id=author.id), author_id=author.id)
    assert sorted(mine) == ["Дроби на модерации", "Черновик про дроби"]
    other = teacher()
    assert _found("дроби", viewer=Viewer(user_id=other.id), author_id=author.id) == []
    moderator = Viewer(user_id=other.id, moderates_all=True)
    assert _found("дроби", viewer=moderator, status="pending") == ["Дроби на модерации"]
    assert _found("дроби", viewer=moderator, status="draft") == []  # another's draft is private
