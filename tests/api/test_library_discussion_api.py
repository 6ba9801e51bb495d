"""The discussion API: comments, ratings, reports, hiding and bookmarks, with each refusal and each role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts import User
from app.extensions import db
from app.timeutil import utcnow
from community.library.models import MaterialComment, MaterialRating, MaterialStatus
from tests.factories.accounts import methodist, student, teacher
from tests.factories.community import AssociationFactory, add_member, published_material


def _comments() -> int:
    return db.session.scalar(select(func.count()).select_from(MaterialComment)) or 0


def test_comment_reply_and_list(api) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    reader, other = teacher(full_name="Ирина Смирнова"), teacher()
    response = api(reader).post(f"/materials/{material.id}/comments", {"text": "Отличный **урок**"})
    assert response.status_code == 201, response.json
    top = response.json
    assert top["parent_id"] is None and "<strong>урок</strong>" in top["html"]
    assert top["author"]["name"] == "Ирина Смирнова" and top["editable_until"]
    reply = api(other).post(
        f"/materials/{material.id}/comments", {"text": "Согласна", "parent_id": top["id"]}
    )
    assert reply.status_code == 201 and reply.json["parent_id"] == top["id"]
    deeper = api(reader).post(
        f"/materials/{material.id}/comments", {"text": "Спасибо", "parent_id": reply.json["id"]}
    )
    assert deeper.json["parent_id"] == top["id"]
    listed = api().get(f"/materials/{material.id}/comments")
    assert listed.status_code == 200
    assert listed.json["total"] == 1 and len(listed.json["items"][0]["replies"]) == 2
    assert listed.json["items"][0]["editable_until"] is None  # anonymous: nothing is theirs


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "я" * 5001}, "text"),
        ({}, "text"),
        ({"text": 5}, "text"),
        ({"text": "ok", "parent_id": 999999}, "parent_id"),
        ({"text": "ok", "parent_id": 0}, "parent_id"),
        ({"text": "ok", "extra": 1}, "extra"),
    ],
)
def test_bad_comments_are_refused_by_field(api, body, field) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    response = api(teacher()).post(f"/materials/{material.id}/comments", body)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert _comments() == 0


def test_reply_to_a_comment_of_another_material_is_refused(api) -> None:  # type: ignore[no-untyped-def]
    material, other = published_material(), published_material()
    foreign = api(teacher()).post(f"/materials/{other.id}/comments", {"text": "Там"}).json
    response = api(teacher()).post(
        f"/materials/{material.id}/comments", {"text": "Сюда", "parent_id": foreign["id"]}
    )
    assert response.status_code == 422 and "parent_id" in response.json["error"]["fields"]
    assert _comments() == 1


def test_comment_permissions_by_role(api) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    pending = published_material(status=MaterialStatus.PENDING)
    assert api().post(f"/materials/{material.id}/comments", {"text": "Аноним"}).status_code == 401
    assert api(student()).post(f"/materials/{material.id}/comments", {"text": "Ученик"}).status_code == 403
    assert api(teacher()).post(f"/materials/{pending.id}/comments", {"text": "?"}).status_code == 404
    assert api(teacher()).get(f"/materials/{pending.id}/comments").status_code == 404
    assert api().get(f"/materials/{pending.id}/comments").status_code == 404
    # the pending material's own moderator sees it but cannot discuss it before publication
    assert api(methodist()).post(f"/materials/{pending.id}/comments", {"text": "?"}).status_code == 403
    assert _comments() == 0


def test_edit_window_and_only_the_author(api) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    writer = teacher()
    created = api(writer).post(f"/materials/{material.id}/comments", {"text": "Черновик"}).json
    path = f"/comments/{created['id']}"
    assert api(teacher()).request("PATCH", path, {"text": "Чужое"}).status_code == 403
    assert api(writer).request("PATCH", path, {"text": ""}).status_code == 422
    edited = api(writer).request("PATCH", path, {"text": "Исправлено"})
    assert edited.status_code == 200 and edited.json["text"] == "Исправлено" and edited.json["edited_at"]
    comment = db.session.get(MaterialComment, created["id"])
    assert comment is not None
    comment.created_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    late = api(writer).request("PATCH", path, {"text": "Поздно"})
    assert late.status_code == 409 and "text" in late.json["error"]["fields"]
    assert api(writer).request("PATCH", "/comments/999999", {"text": "x"}).status_code == 404


def test_report_once_and_hide_by_the_materials_moderators(api) -> None:  # type: ignore[no-untyped-def]
    association = AssociationFactory()
    leader, other_leader = teacher(), teacher()
    add_member(association, leader, leader=True)
    add_member(AssociationFactory(), other_leader, leader=True)
    material = published_material(association=association)
    writer, reader = teacher(), teacher()
    created = api(writer).post(f"/materials/{material.id}/comments", {"text": "Спам"}).json
    report = f"/comments/{created['id']}/report"
    assert api(reader).post(report, {"reason": "реклама"}).status_code == 201
    assert api(reader).post(report, {"reason": "ещё"}).status_code == 409
    assert api(writer).post(report, {}).status_code == 403
    assert api(student()).post(report, {}).status_code == 403
    assert api().post(report, {}).status_code == 401
    hide = f"/comments/{created['id']}/hide"
    assert api(reader).post(hide, {"reason": "спам"}).status_code == 403
    assert api(other_leader).post(hide, {"reason": "спам"}).status_code == 403
    assert api(leader).post(hide, {"reason": ""}).status_code == 422
    hidden = api(leader).post(hide, {"reason": "Реклама"})
    assert hidden.status_code == 200 and hidden.json["hidden"] and hidden.json["hidden_reason"] == "Реклама"
    assert api(methodist()).post(hide, {"reason": "ещё раз"}).status_code == 409
    shown = api(reader).get(f"/materials/{material.id}/comments").json["items"][0]
    assert shown["hidden"] and shown["text"] == "" and shown["html"] == ""
    own = api(writer).get(f"/materials/{material.id}/comments").json["items"][0]
    assert own["text"] == "Спам" and own["hidden_reason"] == "Реклама"
    assert api(methodist()).get(f"/materials/{material.id}/comments").json["items"][0]["text"] == "Спам"


def test_rating_changes_and_answers_the_average(api) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    a, b, c = teacher(), teacher(), teacher()
    for user, stars in ((a, 5), (b, 4), (c, 5)):
        response = api(user).put(f"/materials/{material.id}/rating", {"stars": stars})
        assert response.status_code == 200
    assert response.json == {"rating": 4.67, "ratings_count": 3, "stars": 5}
    again = api(c).put(f"/materials/{material.id}/rating", {"stars": 2})
    assert again.json["rating"] == 3.67 and again.json["ratings_count"] == 3


@pytest.mark.parametrize(
    "body", [{"stars": 0}, {"stars": 6}, {"stars": "5"}, {}, {"stars": 4.5}, {"stars": True}]
)
def test_bad_stars_are_refused(api, body) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    response = api(teacher()).put(f"/materials/{material.id}/rating", body)
    assert response.status_code == 422 and "stars" in response.json["error"]["fields"]
    assert db.session.scalar(select(func.count()).select_from(MaterialRating)) == 0


def test_rating_permissions_by_role(api) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    author = db.session.get(User, material.author_id)
    pending = published_material(status=MaterialStatus.PENDING)
    path = f"/materials/{material.id}/rating"
    assert api(author).put(path, {"stars": 5}).status_code == 403
    assert api(student()).put(path, {"stars": 5}).status_code == 403
    assert api().put(path, {"stars": 5}).status_code == 401
    assert api(teacher()).put(f"/materials/{pending.id}/rating", {"stars": 5}).status_code == 404
    assert api(teacher()).put("/materials/999999/rating", {"stars": 5}).status_code == 404
    assert api(methodist()).put(path, {"stars": 4}).status_code == 200


def test_bookmarks_put_and_delete(api) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    reader = teacher()
    path = f"/materials/{material.id}/bookmark"
    assert api(reader).put(path).json == {"bookmarked": True, "bookmarks_count": 1}
    assert api(reader).put(path).json == {"bookmarked": True, "bookmarks_count": 1}
    assert api(reader).delete(path).json == {"bookmarked": False, "bookmarks_count": 0}
    assert api(reader).delete(path).status_code == 200
    assert api(student()).put(path).status_code == 403
    assert api().put(path).status_code == 401
    pending = published_material(status=MaterialStatus.PENDING)
    assert api(reader).put(f"/materials/{pending.id}/bookmark").status_code == 404


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_an_id_beyond_the_database_integer_is_not_found_for_every_method(api, method) -> None:  # type: ignore[no-untyped-def]
    """Two rules share the bookmark's path; an out-of-range id must be a 404, not a 405."""
    for material_id in (2**31, 647988828467, 10**30):
        response = api(teacher()).request(method, f"/materials/{material_id}/bookmark")
        assert response.status_code == 404, (method, material_id)
    assert api(teacher()).request(method, f"/materials/{2**31 - 1}/bookmark").status_code == 404
