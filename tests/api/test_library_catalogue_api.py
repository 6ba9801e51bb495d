"""GET /api/v1/materials and GET /api/v1/subjects: shape, facets and their counts, visibility of
unpublished materials, full text, and every bad parameter refused with a 422 naming it."""

from __future__ import annotations

from typing import Any

import pytest

from app.extensions import db
from community.library import search
from community.library.models import MaterialKind, MaterialStatus
from tests.factories.accounts import methodist, teacher
from tests.factories.community import published_material, subjects


def _material(**kw: Any) -> Any:
    material = published_material(**kw)
    search.index_material(material)
    return material


@pytest.fixture()
def shelf(app: Any) -> dict[str, Any]:
    s = subjects()
    math, physics = s["Математика"].id, s["Физика"].id
    author = teacher()
    fractions = _material(
        author=author,
        title="Сложение дробей",
        subject_ids=(math,),
        grades=(5, 6),
        kind=MaterialKind.LESSON_PLAN,
    )
    fractions.rating_sum, fractions.ratings_count, fractions.comments_count = 14, 3, 2
    _material(title="Законы Ньютона", subject_ids=(physics,), grades=(9,), kind=MaterialKind.TEST)
    _material(title="Дроби и проценты", subject_ids=(math, physics), grades=(6,), kind=MaterialKind.TEST)
    _material(author=author, title="Черновик о дробях", subject_ids=(math,), status=MaterialStatus.DRAFT)
    _material(title="Чужие дроби на модерации", subject_ids=(math,), status=MaterialStatus.PENDING)
    _material(title="Отклонённые дроби", subject_ids=(math,), status=MaterialStatus.REJECTED)
    db.session.commit()
    return {"math": math, "physics": physics, "author": author}


def _counts(body: dict[str, Any], facet: str) -> dict[Any, int]:
    return {item["value"]: item["count"] for item in body["facets"][facet]}


def test_catalogue_lists_published_materials_with_counters_and_facets(
    api: Any, shelf: dict[str, Any]
) -> None:
    response = api().get("/materials?sort=rated")
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 3 and body["page"] == 1 and body["sort"] == "rated"
    first = body["items"][0]
    assert first["title"] == "Сложение дробей"
    assert (first["rating"], first["ratings_count"], first["comments_count"]) == (4.67, 3, 2)
    assert first["grades"] == [5, 6] and first["subjects"] == [{"id": shelf["math"], "name": "Математика"}]
    assert first["author"]["full_name"] == shelf["author"].full_name
    assert _counts(body, "subject") == {shelf["math"]: 2, shelf["physics"]: 2}
    assert _counts(body, "grade") == {5: 1, 6: 2, 9: 1}
    assert _counts(body, "kind") == {"lesson_plan": 1, "test": 2}


def test_facet_counts_follow_the_other_filters(api: Any, shelf: dict[str, Any]) -> None:
    body = api().get(f"/materials?subject={shelf['math']}&kind=test").get_json()
    assert [item["title"] for item in body["items"]] == ["Дроби и проценты"]
    # A facet's own filter is left out of its counts: ticking physics too would add one more test.
    assert _counts(body, "subject") == {shelf["math"]: 1, shelf["physics"]: 2}
    assert _counts(body, "kind") == {"lesson_plan": 1, "test": 1}
    assert _counts(body, "grade") == {6: 1}
    selected = {item["value"]: item["selected"] for item in body["facets"]["subject"]}
    assert selected == {shelf["math"]: True, shelf["physics"]: False}


def test_full_text_finds_word_forms_and_ranks(api: Any, shelf: dict[str, Any]) -> None:
    body = api().get("/materials?q=дробь").get_json()
    assert {item["title"] for item in body["items"]} == {"Сложение дробей", "Дроби и проценты"}
    assert body["sort"] == "relevance"
    assert _counts(body, "subject") == {shelf["math"]: 2, shelf["physics"]: 1}


def test_unpublished_materials_of_others_are_never_listed_nor_counted(
    api: Any, shelf: dict[str, Any]
) -> None:
    for client in (api(), api(teacher())):
        for query in (
            "",
            "?status=pending",
            "?status=rejected",
            "?q=дроби",
            f"?author_id={shelf['author'].id}",
        ):
            body = client.get("/materials" + query).get_json()
            titles = {item["title"] for item in body["items"]}
            assert not titles & {"Черновик о дробях", "Чужие дроби на модерации", "Отклонённые дроби"}, query
            # Only the published ones count: 2 in mathematics, 1 lesson plan.
            assert _counts(body, "subject").get(shelf["math"], 0) <= 2, query
            assert _counts(body, "kind").get("lesson_plan", 0) <= 1, query


def test_the_author_sees_their_own_unpublished_with_a_status_filter(api: Any, shelf: dict[str, Any]) -> None:
    client = api(shelf["author"])
    assert client.get("/materials").get_json()["total"] == 3
    body = client.get("/materials?status=draft").get_json()
    assert [item["title"] for item in body["items"]] == ["Черновик о дробях"]
    assert body["items"][0]["status"] == "draft"
    assert _counts(body, "subject") == {shelf["math"]: 1}
    mine = client.get(f"/materials?author_id={shelf['author'].id}").get_json()
    assert {item["title"] for item in mine["items"]} == {"Сложение дробей", "Черновик о дробях"}


def test_a_moderator_sees_pending_and_rejected_but_no_drafts(api: Any, shelf: dict[str, Any]) -> None:
    client = api(methodist())
    pending = client.get("/materials?status=pending").get_json()
    assert [item["title"] for item in pending["items"]] == ["Чужие дроби на модерации"]
    assert client.get("/materials?status=rejected").get_json()["total"] == 1
    assert client.get("/materials?status=draft").get_json()["total"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("per_page=0", "per_page"),
        ("per_page=1000", "per_page"),
        ("page=0", "page"),
        ("sort=cheapest", "sort"),
        ("grade=12", "grade"),
        ("grade=0", "grade"),
        ("grade=пятый", "grade"),
        ("subject=abc", "subject"),
        ("subject=99999999999", "subject"),
        ("kind=poem", "kind"),
        ("status=deleted", "status"),
        ("institution_id=-1", "institution_id"),
        ("q=" + "дробь " * 50, "q"),
        ("grade=" + "&grade=".join(str(n % 11 + 1) for n in range(21)), "grade"),
    ],
)
def test_bad_parameters_are_refused_by_name(api: Any, app: Any, query: str, field: str) -> None:
    response = api().get("/materials?" + query)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation" and field in error["fields"]


def test_subjects_are_listed_with_russian_names(api: Any, app: Any) -> None:
    subjects()
    db.session.commit()
    body = api().get("/subjects").get_json()
    names = [item["name"] for item in body["items"]]
    assert names[:4] == ["Начальные классы", "Русский язык", "Литература", "Математика"]
    assert set(body["items"][0]) == {"id", "name", "name_en"}


@pytest.mark.parametrize(
    "query",
    [
        "q=%27%22%25_%5C",
        "q=NEAR%28a+b%29+OR+c*",
        "q=%00",
        "district=%00",
        "district=%27%3B+DROP+TABLE+material%3B--",
        "q=%F0%9F%93%9A+урок",
        "sort=relevance",
        "page=1000000",
        "status=draft",
    ],
)
def test_odd_parameters_never_fail(api: Any, shelf: dict[str, Any], query: str) -> None:
    response = api().get("/materials?" + query)
    assert response.status_code in (200, 400, 422), response.get_data(as_text=True)[:300]
