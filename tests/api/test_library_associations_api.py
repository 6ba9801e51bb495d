"""Associations API: open one (methodists, administrators), read it, join or ask to join, add people
and name leaders, leave — with each refusal."""

from __future__ import annotations

from typing import Any

import pytest

from app.extensions import db
from community.associations.models import Association, JoinPolicy
from tests.factories.accounts import admin, methodist, organiser, student, teacher
from tests.factories.community import AssociationFactory, add_member, subjects

BODY = {"name": "МО учителей информатики", "description": "Обмен опытом", "district": "Кировский район"}


def test_a_methodist_opens_an_association_and_anyone_signed_in_reads_it(app, api) -> None:
    subject = subjects()["Информатика"]
    db.session.commit()
    response = api(methodist()).post("/associations", BODY | {"subject": subject.id})
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["subject"] == {"id": subject.id, "name": "Информатика"}
    assert created["join_policy"] == "open" and created["members_count"] == 0 and created["leaders"] == []
    read = api(teacher()).get(f"/associations/{created['id']}")
    assert read.status_code == 200 and read.get_json()["name"] == BODY["name"]
    assert read.get_json()["my_membership"] is None
    listing = api(teacher()).get("/associations").get_json()
    assert [item["id"] for item in listing["items"]] == [created["id"]] and listing["total"] == 1


def test_an_administrator_opens_one_too(app, api) -> None:
    assert api(admin()).post("/associations", BODY | {"subject": None}).status_code == 201


@pytest.mark.parametrize("make", [teacher, student, organiser])
def test_others_cannot_open_an_association(app, api, make: Any) -> None:
    assert api(make()).post("/associations", BODY).status_code == 403
    assert db.session.query(Association).count() == 0


def test_anonymous_gets_401(app, api) -> None:
    association = AssociationFactory()
    db.session.commit()
    assert api().post("/associations", BODY).status_code == 401
    assert api().get(f"/associations/{association.id}").status_code == 401
    assert api().post(f"/associations/{association.id}/members", {}).status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "М" * 256}, "name"),
        ({"subject": 999_999}, "subject"),
        ({"subject": "Математика"}, "subject"),
        ({"join_policy": "closed"}, "join_policy"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_association_bodies_are_422(app, api, body: dict[str, Any], field: str) -> None:
    response = api(methodist()).post("/associations", BODY | body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_unknown_association_is_404(app, api) -> None:
    client = api(teacher())
    assert client.get("/associations/999999").status_code == 404
    assert client.post("/associations/999999/members", {}).status_code == 404


def test_join_open_request_and_the_leader_approves(app, api) -> None:
    open_one = AssociationFactory()
    by_request = AssociationFactory(join_policy=JoinPolicy.REQUEST)
    leader, person = teacher(), teacher()
    add_member(by_request, leader, leader=True)
    db.session.commit()
    client = api(person)
    joined = client.post(f"/associations/{open_one.id}/members", {})
    assert joined.status_code == 201 and joined.get_json()["status"] == "active"
    assert client.post(f"/associations/{open_one.id}/members", {}).status_code == 409
    asked = client.post(f"/associations/{by_request.id}/members", {"user_id": person.id})
    assert asked.status_code == 201 and asked.get_json()["status"] == "pending"
    mine = client.get(f"/associations/{by_request.id}").get_json()["my_membership"]
    assert mine == {"role": "member", "status": "pending"}
    approved = api(leader).post(f"/associations/{by_request.id}/members", {"user_id": person.id})
    assert approved.status_code == 201 and approved.get_json()["status"] == "active"
    assert client.get(f"/associations/{by_request.id}").get_json()["members_count"] == 2


def test_a_pupil_cannot_join(app, api) -> None:
    association = AssociationFactory()
    db.session.commit()
    assert api(student()).post(f"/associations/{association.id}/members", {}).status_code == 403


def test_leaders_add_members_methodists_name_leaders(app, api) -> None:
    association, other = AssociationFactory(), AssociationFactory()
    leader, person, outsider = teacher(), teacher(), teacher()
    add_member(association, leader, leader=True)
    add_member(other, outsider, leader=True)
    db.session.commit()
    url = f"/associations/{association.id}/members"
    assert api(outsider).post(url, {"user_id": person.id}).status_code == 403
    assert api(teacher()).post(url, {"user_id": person.id}).status_code == 403
    assert api(leader).post(url, {"user_id": person.id, "role": "leader"}).status_code == 403
    added = api(leader).post(url, {"user_id": person.id})
    assert added.status_code == 201 and added.get_json()["role"] == "member"
    named = api(methodist()).post(url, {"user_id": person.id, "role": "leader"})
    assert named.status_code == 201 and named.get_json()["role"] == "leader"
    leaders = api(person).get(f"/associations/{association.id}").get_json()["leaders"]
    assert {item["id"] for item in leaders} == {leader.id, person.id}


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"user_id": 999_999}, 422, "user_id"),
        ({"user_id": 0}, 422, "user_id"),
        ({"user_id": 1, "role": "owner"}, 422, "role"),
    ],
)
def test_bad_member_bodies(app, api, body: dict[str, Any], status: int, field: str) -> None:
    association = AssociationFactory()
    db.session.commit()
    response = api(methodist()).post(f"/associations/{association.id}/members", body)
    assert response.status_code == status
    assert field in response.get_json()["error"]["fields"]


def test_adding_a_pupil_is_refused_by_the_field(app, api) -> None:
    association, pupil = AssociationFactory(), student()
    db.session.commit()
    response = api(methodist()).post(f"/associations/{association.id}/members", {"user_id": pupil.id})
    assert response.status_code == 422 and "user_id" in response.get_json()["error"]["fields"]


def test_leave_remove_and_the_last_leader(app, api) -> None:
    association = AssociationFactory()
    leader, person, other = teacher(), teacher(), teacher()
    add_member(association, leader, leader=True)
    add_member(association, person)
    add_member(association, other)
    db.session.commit()
    base = f"/associations/{association.id}/members"
    assert api(person).delete(f"{base}/{other.id}").status_code == 403
    assert api(person).delete(f"{base}/{person.id}").status_code == 204
    assert api(person).delete(f"{base}/{person.id}").status_code == 404
    assert api(leader).delete(f"{base}/{other.id}").status_code == 204
    last = api(leader).delete(f"{base}/{leader.id}")
    assert last.status_code == 409 and "user_id" in last.get_json()["error"]["fields"]
    second = teacher()
    add_member(association, second, leader=True)
    db.session.commit()
    assert api(second).delete(f"{base}/{leader.id}").status_code == 403  # leaders don't remove leaders
    assert api(methodist()).delete(f"{base}/{leader.id}").status_code == 204
