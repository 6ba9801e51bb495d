"""POST /api/v1/materials/{id}/review and PUT /api/v1/users/{id}/trusted: who may decide, the reason,
the 409 once decided."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.accounts import User
from app.extensions import db
from app.notifications import Notification
from community.library.models import Material, MaterialStatus, MaterialVersion, VersionState
from tests.factories.accounts import admin, methodist, organiser, student, teacher
from tests.factories.community import AssociationFactory, add_member, published_material


def _pending(association: Any = None) -> Material:
    material = published_material(teacher(), status=MaterialStatus.PENDING, association=association)
    db.session.commit()
    return material


def _republished(association: Any = None) -> Material:
    """Published, with a new version waiting: everyone sees the material, only moderators decide."""
    material = published_material(teacher(), association=association)
    db.session.add(
        MaterialVersion(material_id=material.id, number=2, state=VersionState.PENDING, title="Версия 2")
    )
    db.session.commit()
    return material


def _leader(association: Any) -> Any:
    person = teacher()
    add_member(association, person, leader=True)
    db.session.commit()
    return person


def test_a_methodist_publishes(app, api) -> None:
    material = _pending()
    response = api(methodist()).post(f"/materials/{material.id}/review", {"decision": "publish"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "published" and body["version"]["state"] == "published"
    assert db.session.scalar(select(Notification.link).where(Notification.user_id == material.author_id))


def test_the_leader_of_the_materials_association_rejects_with_a_reason(app, api) -> None:
    association = AssociationFactory()
    material = _pending(association)
    response = api(_leader(association)).post(
        f"/materials/{material.id}/review", {"decision": "reject", "reason": "Нет конспекта урока"}
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "rejected"
    assert response.get_json()["version"]["reason"] == "Нет конспекта урока"


def test_a_leader_of_another_association_is_refused(app, api) -> None:
    material = _republished(AssociationFactory())
    response = api(_leader(AssociationFactory())).post(
        f"/materials/{material.id}/review", {"decision": "publish"}
    )
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_a_leader_of_another_association_does_not_even_see_a_pending_material(app, api) -> None:
    material = _pending(AssociationFactory())
    response = api(_leader(AssociationFactory())).post(
        f"/materials/{material.id}/review", {"decision": "publish"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("make", [teacher, student, organiser])
def test_others_are_refused_on_a_published_material_and_never_see_a_pending_one(app, api, make: Any) -> None:
    user = make()
    client = api(user)
    assert client.post(f"/materials/{_republished().id}/review", {"decision": "publish"}).status_code == 403
    assert client.post(f"/materials/{_pending().id}/review", {"decision": "publish"}).status_code == 404


def test_the_author_cannot_publish_their_own_material(app, api) -> None:
    material = _pending()
    author = db.session.get(User, material.author_id)
    assert api(author).post(f"/materials/{material.id}/review", {"decision": "publish"}).status_code == 403


def test_anonymous_gets_401(app, api) -> None:
    response = api().post(f"/materials/{_pending().id}/review", {"decision": "publish"})
    assert response.status_code == 401


def test_a_rejection_without_a_reason_is_422_by_the_field(app, api) -> None:
    material = _pending()
    response = api(methodist()).post(
        f"/materials/{material.id}/review", {"decision": "reject", "reason": "  "}
    )
    assert response.status_code == 422
    assert "reason" in response.get_json()["error"]["fields"]
    db.session.expire_all()
    assert db.session.get(Material, material.id).status == MaterialStatus.PENDING


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "approve"}, "decision"),
        ({}, "decision"),
        ({"decision": "publish", "reason": 5}, "reason"),
        ({"decision": "reject", "reason": "я" * 5001}, "reason"),
        ({"decision": "publish", "extra": 1}, "extra"),
    ],
)
def test_bad_bodies_are_422(app, api, body: dict[str, Any], field: str) -> None:
    response = api(methodist()).post(f"/materials/{_pending().id}/review", body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_deciding_twice_is_409_and_an_unknown_material_404(app, api) -> None:
    material = _pending()
    client = api(methodist())
    assert client.post(f"/materials/{material.id}/review", {"decision": "publish"}).status_code == 200
    again = client.post(f"/materials/{material.id}/review", {"decision": "reject", "reason": "Нет"})
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "conflict"
    assert client.post("/materials/999999/review", {"decision": "publish"}).status_code == 404


def test_an_administrator_marks_a_trusted_author(app, api) -> None:
    author = teacher()
    client = api(admin())
    response = client.put(f"/users/{author.id}/trusted", {"trusted": True})
    assert response.status_code == 200
    assert response.get_json() == {"id": author.id, "trusted": True}
    assert client.put(f"/users/{author.id}/trusted", {"trusted": False}).get_json()["trusted"] is False


@pytest.mark.parametrize("make", [methodist, teacher, student])
def test_only_an_administrator_marks_trusted_authors(app, api, make: Any) -> None:
    author = teacher()
    response = api(make()).put(f"/users/{author.id}/trusted", {"trusted": True})
    assert response.status_code == 403
    db.session.refresh(author)
    assert not author.trusted_author


def test_trusted_refusals(app, api) -> None:
    client = api(admin())
    assert client.put("/users/999999/trusted", {"trusted": True}).status_code == 404
    assert client.put(f"/users/{teacher().id}/trusted", {"trusted": "yes please"}).status_code == 422
    pupil = client.put(f"/users/{student().id}/trusted", {"trusted": True})
    assert pupil.status_code == 422 and "trusted" in pupil.get_json()["error"]["fields"]
    assert api().put(f"/users/{teacher().id}/trusted", {"trusted": True}).status_code == 401
