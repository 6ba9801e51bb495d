"""Association pages: the list with join buttons, one association (join, request, approve, decline,
add, leave), opening a new one — who may do each."""

from __future__ import annotations

from typing import Any

import pytest

from app.extensions import db
from community.associations import membership
from community.associations.models import Association, JoinPolicy, MemberRole, MemberStatus
from tests.conftest import login
from tests.factories.accounts import admin, methodist, student, teacher
from tests.factories.community import AssociationFactory, add_member, subjects


def test_the_list_shows_each_association_with_a_join_button(client, app) -> None:
    AssociationFactory(name="МО учителей химии")
    AssociationFactory(name="МО учителей биологии", join_policy=JoinPolicy.REQUEST)
    db.session.commit()
    login(client, teacher())
    page = client.get("/library/associations").get_data(as_text=True)
    assert "МО учителей химии" in page and "Вступить" in page and "Подать заявку" in page
    assert 'id="new-association"' not in page


def test_a_teacher_joins_and_leaves(client, app) -> None:
    association, person = AssociationFactory(), teacher()
    db.session.commit()
    login(client, person)
    assert client.post(f"/library/associations/{association.id}/join").status_code == 302
    assert membership.membership(association.id, person.id) is not None
    page = client.get(f"/library/associations/{association.id}").get_data(as_text=True)
    assert "Вы участник объединения." in page
    again = client.post(f"/library/associations/{association.id}/join", follow_redirects=True)
    assert "уже состоит" in again.get_data(as_text=True)
    assert client.post(f"/library/associations/{association.id}/leave").status_code == 302
    assert membership.membership(association.id, person.id) is None


def test_a_request_is_approved_by_the_leader(client, app) -> None:
    association = AssociationFactory(join_policy=JoinPolicy.REQUEST)
    leader, person = teacher(), teacher(full_name="Ирина Смирнова")
    add_member(association, leader, leader=True)
    db.session.commit()
    login(client, person)
    client.post(f"/library/associations/{association.id}/join")
    assert membership.membership(association.id, person.id).status == MemberStatus.PENDING  # type: ignore[union-attr]
    client.post("/auth/logout")
    login(client, leader)
    page = client.get(f"/library/associations/{association.id}").get_data(as_text=True)
    assert 'id="requests"' in page and "Ирина Смирнова" in page
    url = f"/library/associations/{association.id}/members/{person.id}/approve"
    assert client.post(url).status_code == 302
    db.session.expire_all()
    assert membership.membership(association.id, person.id).status == MemberStatus.ACTIVE  # type: ignore[union-attr]
    refused = client.post(url, follow_redirects=True)
    assert "Нет заявки" in refused.get_data(as_text=True)


def test_a_leader_declines_a_request(client, app) -> None:
    association = AssociationFactory(join_policy=JoinPolicy.REQUEST)
    leader, person = teacher(), teacher()
    add_member(association, leader, leader=True)
    db.session.commit()
    membership.join(association, person, now=association.created_at)
    login(client, leader)
    assert (
        client.post(f"/library/associations/{association.id}/members/{person.id}/remove").status_code == 302
    )
    assert membership.membership(association.id, person.id) is None


def test_a_member_cannot_approve_add_or_remove(client, app) -> None:
    association = AssociationFactory()
    person, other = teacher(), teacher()
    add_member(association, person)
    add_member(association, other)
    db.session.commit()
    login(client, person)
    base = f"/library/associations/{association.id}"
    assert client.post(f"{base}/members/{other.id}/approve").status_code == 403
    assert client.post(f"{base}/members/{other.id}/remove").status_code == 403
    assert client.post(base, data={"email": other.email, "role": "member"}).status_code == 403


def test_a_leader_adds_a_member_by_email_but_names_no_leader(client, app) -> None:
    association, leader = AssociationFactory(), teacher()
    person = teacher(email="novikova@example.org")
    add_member(association, leader, leader=True)
    db.session.commit()
    login(client, leader)
    url = f"/library/associations/{association.id}"
    assert client.post(url, data={"email": "novikova@example.org", "role": "leader"}).status_code == 422
    assert client.post(url, data={"email": "novikova@example.org", "role": "member"}).status_code == 302
    assert membership.membership(association.id, person.id).role == MemberRole.MEMBER  # type: ignore[union-attr]
    unknown = client.post(url, data={"email": "nobody@example.org", "role": "member"})
    assert unknown.status_code == 422 and "is-invalid" in unknown.get_data(as_text=True)


def test_a_methodist_names_a_leader(client, app) -> None:
    association, person = AssociationFactory(), teacher(email="orlov@example.org")
    db.session.commit()
    login(client, methodist())
    url = f"/library/associations/{association.id}"
    assert client.post(url, data={"email": "orlov@example.org", "role": "leader"}).status_code == 302
    assert membership.membership(association.id, person.id).role == MemberRole.LEADER  # type: ignore[union-attr]


def test_the_last_leader_cannot_leave(client, app) -> None:
    association, leader = AssociationFactory(), teacher()
    add_member(association, leader, leader=True)
    db.session.commit()
    login(client, leader)
    page = client.post(f"/library/associations/{association.id}/leave", follow_redirects=True)
    assert "Последний руководитель" in page.get_data(as_text=True)
    assert membership.membership(association.id, leader.id) is not None


@pytest.mark.parametrize("make", [methodist, admin])
def test_methodists_and_administrators_open_an_association(client, app, make: Any) -> None:
    maths = subjects()["Математика"]
    db.session.commit()
    login(client, make())
    assert client.get("/library/associations/new").status_code == 200
    data = {"name": "МО учителей математики", "subject": maths.id, "join_policy": "open", "district": ""}
    response = client.post("/library/associations/new", data=data)
    assert response.status_code == 302
    created = db.session.query(Association).one()
    assert response.headers["Location"].endswith(f"/library/associations/{created.id}")
    assert created.subject_id == maths.id and created.district == ""


def test_a_new_association_needs_a_name(client, app) -> None:
    login(client, methodist())
    response = client.post(
        "/library/associations/new", data={"name": "", "subject": 0, "join_policy": "open"}
    )
    assert response.status_code == 422 and "is-invalid" in response.get_data(as_text=True)
    assert db.session.query(Association).count() == 0


@pytest.mark.parametrize("make", [teacher, student])
def test_others_cannot_open_an_association(client, app, make: Any) -> None:
    login(client, make())
    assert client.get("/library/associations/new").status_code == 403
    assert client.post("/library/associations/new", data={"name": "МО"}).status_code == 403


def test_a_pupil_cannot_join(client, app) -> None:
    association = AssociationFactory()
    db.session.commit()
    login(client, student())
    assert client.post(f"/library/associations/{association.id}/join").status_code == 403


def test_anonymous_is_sent_to_log_in(client, app) -> None:
    assert client.get("/library/associations").status_code == 302


@pytest.mark.parametrize("page", ["list", "association"])
def test_pages_run_a_fixed_number_of_queries(client, app, count_queries, page: str) -> None:
    viewer = methodist()
    login(client, viewer)
    association = AssociationFactory(join_policy=JoinPolicy.REQUEST)
    db.session.commit()
    counts = []
    for size in (1, 6):
        for _ in range(size):
            AssociationFactory()
            add_member(association, teacher(), leader=True)
            add_member(association, teacher())
            membership.join(association, teacher(), now=association.created_at)
        url = "/library/associations" if page == "list" else f"/library/associations/{association.id}"
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
