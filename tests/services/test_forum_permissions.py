"""Forum permissions by place: the matrix of role × place × read / write / start a topic / moderate,
blind stages hiding participants' names from jurors, and the people of a place (forced news)."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from app.extensions import db
from app.permissions import forums as can
from community.forums.models import ForumScope
from contest_engine.jury.models import JuryConfig, StageJuror
from tests.factories.accounts import teacher
from tests.factories.forum_places import World, place_world

EVERYONE = [
    "anonymous",
    "admin",
    "methodist",
    "teacher",
    "student",
    "member",
    "leader",
    "applicant",
    "author",
    "tutor",
    "course_student",
    "organiser",
    "participant",
    "other_participant",
    "juror",
    "juror_b",
]

# forum → (what anyone not named gets, {person: what they get}); R read, W reply, S start a topic,
# M moderate. Admins moderate everywhere; nobody signed out reads anything.
MATRIX: dict[str, tuple[str, dict[str, str]]] = {
    "network": ("RWS", {"anonymous": "", "admin": "RWSM", "methodist": "RWSM"}),
    "assoc_district": ("", {"admin": "RWSM", "methodist": "RWSM", "leader": "RWSM", "member": "RWS"}),
    # A network-wide association open to anyone: colleagues read without joining; pupils do not.
    "assoc_open": (
        "R",
        {
            "anonymous": "",
            "student": "",
            "course_student": "",
            "admin": "RWSM",
            "methodist": "RWSM",
        },
    ),
    "assoc_request": ("", {"admin": "RWSM", "methodist": "RWSM"}),
    # News: the teachers announce, everyone else in the course reads.
    "course_news": ("", {"admin": "RWSM", "author": "RWSM", "tutor": "RWSM", "course_student": "R"}),
    "course_general": ("", {"admin": "RWSM", "author": "RWSM", "tutor": "RWSM", "course_student": "RWS"}),
    "contest": (
        "",
        {
            "admin": "RWSM",
            "organiser": "RWSM",
            "participant": "RWS",
            "other_participant": "RWS",
            "juror": "RWS",
            "juror_b": "RWS",
        },
    ),
    # The first stage admits everyone registered; the blind jury stage only who advanced into it.
    "stage_first": (
        "",
        {"admin": "RWSM", "organiser": "RWSM", "participant": "RWS", "other_participant": "RWS"},
    ),
    "stage_blind": (
        "",
        {"admin": "RWSM", "organiser": "RWSM", "participant": "RWS", "juror": "RWS", "juror_b": "RWS"},
    ),
    # Division A: its participants, the jurors judging it (juror_b judges division B only).
    "division_a": ("", {"admin": "RWSM", "organiser": "RWSM", "participant": "RWS", "juror": "RWS"}),
}


@pytest.fixture()
def world(app) -> World:  # type: ignore[no-untyped-def]
    return place_world()


def _who(world: World, name: str):  # type: ignore[no-untyped-def]
    return AnonymousUserMixin() if name == "anonymous" else world.people[name]


def _rights(user, forum) -> str:  # type: ignore[no-untyped-def]
    checks = (
        ("R", can.can_read_forum),
        ("W", can.can_write_forum),
        ("S", can.can_start_topic),
        ("M", can.can_moderate_forum),
    )
    return "".join(letter for letter, check in checks if check(user, forum))


def test_the_permission_matrix(world: World) -> None:
    wrong = []
    for forum_key, (default, named) in MATRIX.items():
        forum = world.forums[forum_key]
        for name in EVERYONE:
            expected = named.get(name, default)
            got = _rights(_who(world, name), forum)
            if got != expected:
                wrong.append(f"{forum_key} × {name}: expected {expected!r}, got {got!r}")
    assert wrong == []


def test_forum_access_matches_the_single_predicates(world: World) -> None:
    for forum_key in MATRIX:
        forum = world.forums[forum_key]
        for name in ("admin", "tutor", "course_student", "juror", "teacher"):
            user = _who(world, name)
            access = can.forum_access(user, forum)
            letters = "".join(
                letter
                for letter, flag in zip(
                    "RWSM", (access.read, access.write, access.start_topic, access.moderate), strict=True
                )
                if flag
            )
            assert letters == _rights(user, forum), (forum_key, name)


def test_a_deactivated_member_loses_every_right(world: World) -> None:
    member = world.people["member"]
    member.active = False
    db.session.commit()
    assert _rights(member, world.forums["assoc_district"]) == ""
    assert _rights(member, world.forums["network"]) == ""


def test_a_question_and_answer_forum_is_opened_by_the_staff_and_answered_by_members(world: World) -> None:
    forum = world.forums["course_general"]
    forum.kind = "qa"
    db.session.commit()
    assert _rights(world.people["course_student"], forum) == "RW"
    assert _rights(world.people["tutor"], forum) == "RWSM"


def test_can_read_place_before_its_forums_exist(world: World) -> None:
    assert can.can_read_place(world.people["course_student"], ForumScope.COURSE, world.course_id)
    assert not can.can_read_place(world.people["teacher"], ForumScope.COURSE, world.course_id)
    assert not can.can_read_place(world.people["teacher"], ForumScope.ASSOCIATION, 999_999)
    assert not can.can_read_place(world.people["teacher"], ForumScope.STAGE, 999_999)


def test_a_blind_stage_hides_participants_names_from_its_jurors_only(world: World) -> None:
    p = world.people
    for key in ("stage_blind", "contest", "division_a"):
        forum = world.forums[key]
        assert not can.shows_names(p["juror"], forum), key
        assert can.shows_names(p["organiser"], forum), key
        assert can.shows_names(p["admin"], forum), key
        assert can.shows_names(p["participant"], forum), key
        assert can.forum_access(p["juror"], forum).names is False
    assert can.shows_names(p["juror"], world.forums["network"])
    assert can.shows_names(p["juror"], world.forums["assoc_open"])


def test_names_show_once_the_stage_is_no_longer_blind(world: World) -> None:
    config = db.session.scalar(select(JuryConfig).where(JuryConfig.stage_id == world.stages["blind"].id))
    assert config is not None
    config.blind = False
    db.session.commit()
    assert can.shows_names(world.people["juror"], world.forums["stage_blind"])


def test_an_organiser_who_also_judges_sees_names(world: World) -> None:
    organiser = world.people["organiser"]
    db.session.add(StageJuror(stage_id=world.stages["blind"].id, user_id=organiser.id))
    db.session.commit()
    assert can.shows_names(organiser, world.forums["stage_blind"])


def test_participant_numbers_replace_names(world: World) -> None:
    p = world.people
    numbers = can.participant_numbers(world.forums["stage_blind"], [p["participant"].id, p["juror"].id])
    assert numbers == {p["participant"].id: world.participations["participant"].id}
    assert can.participant_numbers(world.forums["network"], [p["participant"].id]) == {}
    assert can.participant_numbers(world.forums["contest"], []) == {}


def _member_ids(world: World, key: str) -> set[int]:
    return set(db.session.scalars(can.place_member_ids(world.forums[key])))


def _ids(world: World, *names: str) -> set[int]:
    return {world.people[name].id for name in names}


def test_place_member_ids_are_the_places_people(world: World) -> None:
    assert _member_ids(world, "course_news") == _ids(world, "author", "tutor", "course_student")
    assert _member_ids(world, "assoc_district") == _ids(world, "member", "leader")  # not the applicant
    assert _member_ids(world, "assoc_open") == set()
    assert _member_ids(world, "contest") == _ids(
        world, "organiser", "participant", "other_participant", "juror", "juror_b"
    )
    assert _member_ids(world, "stage_blind") == _ids(world, "organiser", "participant", "juror", "juror_b")
    assert _member_ids(world, "stage_first") == _ids(world, "organiser", "participant", "other_participant")
    assert _member_ids(world, "division_a") == _ids(world, "organiser", "participant", "juror")
    assert _member_ids(world, "network") == {u.id for u in world.people.values()}


def test_place_member_ids_leave_out_deactivated_people(world: World) -> None:
    world.people["course_student"].active = False
    extra = teacher(active=False)
    db.session.commit()
    assert world.people["course_student"].id not in _member_ids(world, "course_news")
    assert extra.id not in _member_ids(world, "network")


def test_a_forum_of_a_vanished_stage_admits_only_admins(world: World) -> None:
    forum = world.forums["stage_blind"]
    forum.scope_id = 999_999
    db.session.commit()
    assert _rights(world.people["participant"], forum) == ""
    assert _rights(world.people["admin"], forum) == "RWSM"
    assert _member_ids(world, "stage_blind") == set()
