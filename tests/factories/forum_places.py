"""Places with forums and people in every role, for the forum permission and place tests.

`place_world()` builds: associations (a district one with a member and a leader, a network-wide open
one, a network-wide one on request), a course with an author, a tutor and a student, and a contest
with two divisions, an open first stage and a blind jury stage (one participant admitted to it, the
other not), a juror of the whole jury stage and one of division B only. Forums are made through the
places service, so the tests see the rows the app makes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.accounts import User
from app.extensions import db
from community.associations.models import Association, AssociationMember, JoinPolicy, MemberRole, MemberStatus
from community.forums import places
from community.forums.models import Forum, ForumKind, ForumScope
from contest_engine.jury.models import StageJuror
from contest_engine.jury.setup import configure_stage_jury
from contest_engine.models import Contest, Division, Participation, Stage, StageParticipant
from contest_engine.rules.stages import StageKind, StageState
from tests.factories.accounts import admin, juror, methodist, organiser, student, teacher
from tests.factories.community import AssociationFactory
from tests.factories.contests import DivisionFactory, StageFactory, contest_with_organiser
from tests.factories.courses import course, enrolled
from tests.factories.jury import CRITERIA


@dataclass
class World:
    people: dict[str, User] = field(default_factory=dict)
    forums: dict[str, Forum] = field(default_factory=dict)
    contest: Contest | None = None
    divisions: dict[str, Division] = field(default_factory=dict)
    stages: dict[str, Stage] = field(default_factory=dict)
    participations: dict[str, Participation] = field(default_factory=dict)
    associations: dict[str, Association] = field(default_factory=dict)
    course_id: int = 0


def _member(association: Association, user: User, role: MemberRole, status: MemberStatus) -> None:
    db.session.add(
        AssociationMember(association_id=association.id, user_id=user.id, role=role, status=status)
    )


def _associations(world: World) -> None:
    p = world.people
    district = AssociationFactory(district="Центральный район", join_policy=JoinPolicy.OPEN)
    open_network = AssociationFactory(name="Сетевое МО учителей информатики", district="")
    by_request = AssociationFactory(name="Сетевое МО химии", district="", join_policy=JoinPolicy.REQUEST)
    db.session.flush()
    _member(district, p["member"], MemberRole.MEMBER, MemberStatus.ACTIVE)
    _member(district, p["leader"], MemberRole.LEADER, MemberStatus.ACTIVE)
    _member(district, p["applicant"], MemberRole.MEMBER, MemberStatus.PENDING)
    world.associations = {"district": district, "open": open_network, "request": by_request}
    for key, row in world.associations.items():
        world.forums[f"assoc_{key}"] = places.add_default_forums(ForumScope.ASSOCIATION, row.id)[0]


def _course(world: World) -> None:
    p = world.people
    built = course(p["author"])  # create_course makes its news and general forums
    enrolled(built, p["tutor"], "tutor")
    enrolled(built, p["course_student"], "student")
    world.course_id = built.id
    for forum in places.place_forums(ForumScope.COURSE, built.id):
        world.forums["course_news" if forum.kind == ForumKind.NEWS else "course_general"] = forum


def _contest(world: World) -> None:
    p = world.people
    contest, _ = contest_with_organiser(p["organiser"])
    division_a, division_b = DivisionFactory(contest=contest), DivisionFactory(contest=contest)
    first = StageFactory(contest=contest, position=1, kind=StageKind.SUBMISSION, state=StageState.OPEN)
    blind = StageFactory(contest=contest, position=2, kind=StageKind.JURY, has_jury=True)
    configure_stage_jury(
        blind, {"criteria": CRITERIA, "aggregation": "mean", "blind": True}, actor=p["organiser"]
    )
    for key, division in (("participant", division_a), ("other_participant", division_b)):
        row = Participation(contest_id=contest.id, user_id=p[key].id, division_id=division.id)
        db.session.add(row)
        db.session.flush()
        world.participations[key] = row
    db.session.add(
        StageParticipant(stage_id=blind.id, participation_id=world.participations["participant"].id)
    )
    db.session.add(StageJuror(stage_id=blind.id, user_id=p["juror"].id))
    db.session.add(StageJuror(stage_id=blind.id, user_id=p["juror_b"].id, division_id=division_b.id))
    db.session.flush()
    world.contest = contest
    world.divisions = {"a": division_a, "b": division_b}
    world.stages = {"first": first, "blind": blind}
    world.forums["contest"] = places.add_default_forums(ForumScope.CONTEST, contest.id)[0]
    for key, scope, row in (
        ("stage_first", ForumScope.STAGE, first),
        ("stage_blind", ForumScope.STAGE, blind),
        ("division_a", ForumScope.DIVISION, division_a),
    ):
        world.forums[key] = places.ensure_forum(
            scope, row.id, places.GENERAL, kind=ForumKind.DISCUSSION, title=f"Форум {key}"
        )[0]


def place_world(**extra_people: Any) -> World:
    world = World()
    world.people = {
        "admin": admin(),
        "methodist": methodist(),
        "teacher": teacher(),
        "student": student(),
        "member": teacher(),
        "leader": teacher(),
        "applicant": teacher(),
        "author": teacher(),
        "tutor": teacher(),
        "course_student": student(),
        "organiser": organiser(),
        "participant": teacher(full_name="Участница Тайная"),
        "other_participant": teacher(),
        "juror": juror(),
        "juror_b": juror(),
        **extra_people,
    }
    db.session.flush()
    _associations(world)
    _course(world)
    _contest(world)
    world.forums["network"] = places.network_forum()
    db.session.commit()
    return world
