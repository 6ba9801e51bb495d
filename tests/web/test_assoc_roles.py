"""Who may do what on the association pages: only methodists and administrators edit an association,
only its leaders (and methodists) approve requests, pupils never join; a methodist's edit is saved
and a bad one is refused by its field."""

from __future__ import annotations

from app.extensions import db
from community.associations import membership
from community.associations.models import Association, JoinPolicy, MemberStatus
from tests.conftest import login
from tests.factories.accounts import admin, methodist, student, teacher
from tests.factories.community import AssociationFactory, add_member, subjects


def _form(association: Association, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": association.name,
        "subject": association.subject_id or 0,
        "district": association.district,
        "join_policy": str(association.join_policy),
        "description": association.description,
    }
    data.update(changes)
    return data


def test_a_teacher_even_a_leader_cannot_edit_an_association(client, app) -> None:
    association, leader = AssociationFactory(name="МО географов"), teacher()
    add_member(association, leader, leader=True)
    db.session.commit()
    url = f"/library/associations/{association.id}/edit"
    for person in (teacher(), leader):
        db.session.commit()
        login(client, person)
        assert client.get(url).status_code == 403
        assert client.post(url, data=_form(association, name="Захват")).status_code == 403
        assert 'id="association-edit-link"' not in client.get(
            f"/library/associations/{association.id}"
        ).get_data(as_text=True)
        client.post("/auth/logout")
    db.session.expire_all()
    assert db.session.get(Association, association.id).name == "МО географов"  # type: ignore[union-attr]


def test_a_pupil_cannot_edit_nor_join(client, app) -> None:
    association = AssociationFactory()
    pupil = student()
    db.session.commit()
    login(client, pupil)
    assert client.get(f"/library/associations/{association.id}/edit").status_code == 403
    assert client.post(f"/library/associations/{association.id}/join").status_code == 403
    assert membership.membership(association.id, pupil.id) is None


def test_a_methodist_edits_the_association(client, app) -> None:
    association = AssociationFactory(name="МО учителей биологии", district="Ленинский район")
    biology = subjects()["Биология"]
    db.session.commit()
    login(client, methodist())
    form = client.get(f"/library/associations/{association.id}/edit").get_data(as_text=True)
    assert 'value="МО учителей биологии"' in form and "Ленинский район" in form
    response = client.post(
        f"/library/associations/{association.id}/edit",
        data=_form(
            association, name="Сетевое МО биологов", subject=biology.id, district="", join_policy="request"
        ),
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/library/associations/{association.id}")
    page = client.get(f"/library/associations/{association.id}").get_data(as_text=True)
    assert "Настройки объединения сохранены." in page and "Сетевое МО биологов" in page
    db.session.expire_all()
    saved = db.session.get(Association, association.id)
    assert saved is not None and saved.subject_id == biology.id and saved.join_policy == JoinPolicy.REQUEST


def test_an_administrator_may_edit_and_bad_input_is_refused_by_its_field(client, app) -> None:
    association = AssociationFactory(name="МО физиков")
    db.session.commit()
    login(client, admin())
    url = f"/library/associations/{association.id}/edit"
    empty = client.post(url, data=_form(association, name="  "))
    assert empty.status_code == 422 and "is-invalid" in empty.get_data(as_text=True)
    unknown = client.post(url, data=_form(association, subject=999_999))
    assert unknown.status_code == 422
    policy = client.post(url, data=_form(association, join_policy="everyone"))
    assert policy.status_code == 422
    long = client.post(url, data=_form(association, district="р" * 256))
    assert long.status_code == 422
    assert client.get("/library/associations/2147483647/edit").status_code == 404
    db.session.expire_all()
    assert db.session.get(Association, association.id).name == "МО физиков"  # type: ignore[union-attr]


def test_only_a_leader_of_this_association_approves(client, app) -> None:
    association = AssociationFactory(join_policy=JoinPolicy.REQUEST)
    other = AssociationFactory()
    leader, asking = teacher(), teacher()
    other_leader, colleague = teacher(), teacher()
    add_member(association, leader, leader=True)
    add_member(association, colleague)
    add_member(other, other_leader, leader=True)
    db.session.commit()
    membership.join(association, asking, now=association.created_at)
    url = f"/library/associations/{association.id}/members/{asking.id}/approve"
    for person in (colleague, other_leader, teacher()):
        login(client, person)
        assert client.post(url).status_code == 403
        assert (
            client.post(f"/library/associations/{association.id}/members/{asking.id}/remove").status_code
            == 403
        )
        client.post("/auth/logout")
    assert membership.membership(association.id, asking.id).status == MemberStatus.PENDING  # type: ignore[union-attr]
    login(client, leader)
    assert client.post(url).status_code == 302
    db.session.expire_all()
    assert membership.membership(association.id, asking.id).status == MemberStatus.ACTIVE  # type: ignore[union-attr]
