"""Methodical associations through their services: open one, join at once or on request, approve,
name leaders, leave — and each refusal."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import func, select

from app.accounts import User
from app.audit import AuditEntry
from app.domain_errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.notifications import Notification
from app.timeutil import utcnow
from community.associations import directory, membership
from community.associations.models import Association, AssociationMember, JoinPolicy, MemberRole, MemberStatus
from tests.factories.accounts import methodist, student, teacher
from tests.factories.community import AssociationFactory, add_member, subjects


def _count(model: Any, *where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_a_methodist_opens_an_association(app) -> None:
    maths = subjects()["Математика"]
    association = membership.create_association(
        name="  МО учителей математики  ",
        subject_id=maths.id,
        description="Открытые уроки и обмен опытом",
        district="Ленинский район",
        join_policy="request",
        actor=methodist(),
        now=utcnow(),
    )
    assert association.name == "МО учителей математики"
    assert association.subject_id == maths.id and association.join_policy == JoinPolicy.REQUEST
    assert _count(AuditEntry, AuditEntry.action == "association.created") == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"name": "М" * 256}, "name"),
        ({"subject_id": 999_999}, "subject"),
        ({"join_policy": "secret"}, "join_policy"),
        ({"district": "р" * 256}, "district"),
    ],
)
def test_an_invalid_association_is_refused_and_nothing_is_written(
    app, changes: dict[str, Any], field: str
) -> None:
    values: dict[str, Any] = {"name": "МО", "subject_id": None, "join_policy": "open"} | changes
    with pytest.raises(Invalid) as refused:
        membership.create_association(**values, actor=methodist(), now=utcnow())
    assert field in refused.value.fields
    assert _count(Association) == 0


def test_a_teacher_joins_an_open_association_at_once(app) -> None:
    association, person = AssociationFactory(), teacher()
    member = membership.join(association, person, now=utcnow())
    assert (member.role, member.status) == (MemberRole.MEMBER, MemberStatus.ACTIVE)
    assert membership.filing_association_ids(person.id) == [association.id]
    with pytest.raises(Conflict):
        membership.join(association, person, now=utcnow())
    assert _count(AssociationMember) == 1


def test_a_request_waits_for_a_leader_who_is_told_in_their_language(app) -> None:
    association = AssociationFactory(join_policy=JoinPolicy.REQUEST, name="МО физиков")
    leader = teacher(locale="en")
    add_member(association, leader, leader=True)
    person = teacher(full_name="Анна Петрова")
    member = membership.join(association, person, now=utcnow(), link="/a")
    assert member.status == MemberStatus.PENDING
    assert membership.filing_association_ids(person.id) == []
    note = db.session.scalar(select(Notification).where(Notification.user_id == leader.id))
    assert note is not None and note.text == "Анна Петрова asks to join “МО физиков”."
    assert [p.user_id for p in directory.pending_requests(association.id)] == [person.id]
    membership.approve(association, person, actor=leader)
    db.session.refresh(member)
    assert member.status == MemberStatus.ACTIVE
    assert _count(Notification, Notification.user_id == person.id) == 1
    with pytest.raises(Conflict):
        membership.approve(association, person, actor=leader)


def test_approving_without_a_request_is_a_conflict(app) -> None:
    association = AssociationFactory(join_policy=JoinPolicy.REQUEST)
    with pytest.raises(Conflict):
        membership.approve(association, teacher(), actor=methodist())


@pytest.mark.parametrize("make", [student, lambda: teacher(active=False)])
def test_pupils_and_deactivated_accounts_neither_join_nor_are_added(app, make: Any) -> None:
    association, person = AssociationFactory(), make()
    with pytest.raises(Invalid):
        membership.join(association, person, now=utcnow())
    with pytest.raises(Invalid):
        membership.add_member(association, person, "member", actor=methodist(), now=utcnow())
    assert _count(AssociationMember) == 0


def test_a_methodist_names_a_leader_and_the_person_is_told(app) -> None:
    association, person = AssociationFactory(name="МО словесников"), teacher()
    membership.join(association, person, now=utcnow())
    member = membership.add_member(association, person, "leader", actor=methodist(), now=utcnow())
    assert (member.role, member.status) == (MemberRole.LEADER, MemberStatus.ACTIVE)
    assert [p.user_id for p in directory.leaders(association.id)] == [person.id]
    note = db.session.scalar(select(Notification.text).where(Notification.user_id == person.id))
    assert note == "Вы назначены руководителем объединения «МО словесников»."
    with pytest.raises(Invalid):
        membership.add_member(association, person, "owner", actor=methodist(), now=utcnow())


def test_a_member_leaves_but_the_last_leader_stays(app) -> None:
    association = AssociationFactory()
    leader, second, person = teacher(), teacher(), teacher()
    add_member(association, leader, leader=True)
    add_member(association, person)
    db.session.commit()
    membership.leave(association, person, actor=person)
    assert membership.membership(association.id, person.id) is None
    with pytest.raises(NotFound):
        membership.leave(association, person, actor=person)
    with pytest.raises(Conflict):
        membership.leave(association, leader, actor=leader)
    with pytest.raises(Conflict):
        membership.add_member(association, leader, "member", actor=methodist(), now=utcnow())
    membership.add_member(association, second, "leader", actor=methodist(), now=utcnow())
    membership.leave(association, leader, actor=leader)
    assert [p.user_id for p in directory.leaders(association.id)] == [second.id]
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"association.left", "association.member_added"} <= actions


def test_the_list_counts_active_members_only(app) -> None:
    first = AssociationFactory(name="А: МО историков")
    second = AssociationFactory(name="Б: МО химиков", join_policy=JoinPolicy.REQUEST)
    add_member(first, teacher())
    add_member(first, teacher(), leader=True)
    membership.join(second, teacher(), now=utcnow())
    rows = db.session.execute(directory.associations_query()).all()
    assert [(a.name, n) for a, n in rows] == [("А: МО историков", 2), ("Б: МО химиков", 0)]


def _at_once(app: Any, calls: list[Any]) -> list[Any]:
    """Run each call in its own thread and session, all released together; their results or errors."""
    outcomes: list[Any] = []
    start = threading.Barrier(len(calls))

    def run(call: Any) -> None:
        with app.app_context():
            try:
                start.wait(timeout=30)
                outcomes.append(call())
            except (Conflict, Invalid) as error:
                outcomes.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == len(calls), outcomes  # no thread died of anything but a refusal
    return outcomes


def test_two_leaders_approving_at_once_approve_once(app) -> None:
    association = AssociationFactory(join_policy=JoinPolicy.REQUEST)
    leaders = [teacher(), teacher(), teacher()]
    for leader in leaders:
        add_member(association, leader, leader=True)
    person = teacher()
    membership.join(association, person, now=utcnow())
    ids = (association.id, person.id, [leader.id for leader in leaders])
    db.session.commit()  # reading the ids began a transaction: end it before the threads write

    def approve_as(leader_id: int) -> Any:
        return membership.approve(
            db.session.get_one(Association, ids[0]),
            db.session.get_one(User, ids[1]),
            actor=db.session.get_one(User, leader_id),
        ).id

    outcomes = _at_once(app, [lambda i=i: approve_as(i) for i in ids[2]])
    assert len([o for o in outcomes if isinstance(o, int)]) == 1, outcomes
    assert _count(Notification, Notification.user_id == person.id) == 1
    assert _count(AuditEntry, AuditEntry.action == "association.request_approved") == 1


def test_joining_twice_at_once_leaves_one_row(app) -> None:
    association, person = AssociationFactory(), teacher()
    ids = (association.id, person.id)
    db.session.commit()

    def join() -> Any:
        return membership.join(
            db.session.get_one(Association, ids[0]), db.session.get_one(User, ids[1]), now=utcnow()
        ).id

    outcomes = _at_once(app, [join, join, join])
    assert len([o for o in outcomes if isinstance(o, int)]) == 1, outcomes
    assert _count(AssociationMember) == 1


def test_two_leaders_leaving_at_once_leave_one_behind(app) -> None:
    association, first, second = AssociationFactory(), teacher(), teacher()
    add_member(association, first, leader=True)
    add_member(association, second, leader=True)
    ids = (association.id, first.id, second.id)
    db.session.commit()

    def leave(user_id: int) -> Any:
        person = db.session.get_one(User, user_id)
        membership.leave(db.session.get_one(Association, ids[0]), person, actor=person)
        return user_id

    outcomes = _at_once(app, [lambda: leave(ids[1]), lambda: leave(ids[2])])
    assert len([o for o in outcomes if isinstance(o, int)]) == 1, outcomes
    assert len(directory.leaders(ids[0])) == 1
