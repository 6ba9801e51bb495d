"""GET /api/v1/forums?scope=&scope_id=: a place's forums with what the caller may do in each; 401
without a token, 422 for a bad scope or id, 404 for a place that is not there or not the caller's."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.forums.backfill import open_missing_forums
from app.timeutil import utcnow
from community.forums import places
from community.forums.models import ForumScope
from tests.factories.accounts import admin, juror, teacher
from tests.factories.contests import ContestFactory
from tests.factories.forum_places import World, place_world


@pytest.fixture()
def world(app) -> World:  # type: ignore[no-untyped-def]
    return place_world()


def _titles(body: dict) -> list[str]:  # type: ignore[type-arg]
    return [item["title"] for item in body["items"]]


def test_a_course_student_reads_the_news_but_may_not_post_there(api, world: World) -> None:  # type: ignore[no-untyped-def]
    response = api(world.people["course_student"]).get(f"/forums?scope=course&scope_id={world.course_id}")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["page"], body["total"]) == (1, 2)
    news, general = body["items"]
    assert (news["slot"], news["kind"], news["can_write"], news["can_start_topic"]) == (
        "news",
        "news",
        False,
        False,
    )
    assert (general["slot"], general["can_write"], general["can_start_topic"], general["can_moderate"]) == (
        "general",
        True,
        True,
        False,
    )
    assert set(news) == {
        "id",
        "scope",
        "scope_id",
        "slot",
        "kind",
        "title",
        "description",
        "topics_count",
        "posts_count",
        "last_post_at",
        "can_write",
        "can_start_topic",
        "can_moderate",
        "shows_names",
    }
    assert (news["scope"], news["scope_id"], news["last_post_at"]) == ("course", world.course_id, None)


def test_the_tutor_moderates_the_course_forums(api, world: World) -> None:  # type: ignore[no-untyped-def]
    body = api(world.people["tutor"]).get(f"/forums?scope=course&scope_id={world.course_id}").get_json()
    assert [item["can_moderate"] for item in body["items"]] == [True, True]


def test_the_network_needs_no_id(api, world: World) -> None:  # type: ignore[no-untyped-def]
    body = api(world.people["student"]).get("/forums?scope=network").get_json()
    assert [(item["id"], item["can_write"]) for item in body["items"]] == [(world.forums["network"].id, True)]


def test_a_contest_lists_the_stage_and_division_forums_the_caller_may_read(api, world: World) -> None:  # type: ignore[no-untyped-def]
    contest_id = world.contest.id  # type: ignore[union-attr]
    query = f"/forums?scope=contest&scope_id={contest_id}"
    by_juror = api(world.people["juror"]).get(query).get_json()
    assert [i["id"] for i in by_juror["items"]] == [
        world.forums[key].id for key in ("contest", "stage_blind", "division_a")
    ]
    assert {i["shows_names"] for i in by_juror["items"]} == {False}
    by_other = api(world.people["other_participant"]).get(query).get_json()
    assert [i["id"] for i in by_other["items"]] == [world.forums[k].id for k in ("contest", "stage_first")]
    by_organiser = api(world.people["organiser"]).get(query).get_json()
    assert by_organiser["total"] == 4 and all(i["shows_names"] for i in by_organiser["items"])


def test_an_association_forum_for_its_members_and_colleagues_of_an_open_network_one(
    api, world: World
) -> None:  # type: ignore[no-untyped-def]
    district, open_one = world.associations["district"].id, world.associations["open"].id
    assert (
        api(world.people["member"]).get(f"/forums?scope=association&scope_id={district}").status_code == 200
    )
    outsider = api(world.people["teacher"])
    assert outsider.get(f"/forums?scope=association&scope_id={district}").status_code == 404
    reading = outsider.get(f"/forums?scope=association&scope_id={open_one}").get_json()
    assert [(i["can_write"], i["can_start_topic"]) for i in reading["items"]] == [(False, False)]
    pupil = api(world.people["student"])
    assert pupil.get(f"/forums?scope=association&scope_id={open_one}").status_code == 404


@pytest.mark.parametrize("name", ["teacher", "student", "juror_b", "methodist"])
def test_strangers_get_404_for_a_course(api, world: World, name: str) -> None:  # type: ignore[no-untyped-def]
    response = api(world.people[name]).get(f"/forums?scope=course&scope_id={world.course_id}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_a_missing_place_is_404_and_creates_nothing(api, world: World) -> None:  # type: ignore[no-untyped-def]
    admin = api(world.people["admin"])
    for scope in ("course", "contest", "association"):
        assert admin.get(f"/forums?scope={scope}&scope_id=987654").status_code == 404
    assert places.place_forums(ForumScope.CONTEST, 987654) == []


def test_an_older_contest_lists_its_forum_once_the_clock_opened_it(api, app) -> None:  # type: ignore[no-untyped-def]
    contest = ContestFactory()
    user = juror()
    db.session.commit()
    assert api(user).get(f"/forums?scope=contest&scope_id={contest.id}").status_code == 404  # not theirs
    body = api(admin()).get(f"/forums?scope=contest&scope_id={contest.id}").get_json()
    assert body["items"] == [] and body["total"] == 0
    assert places.place_forums(ForumScope.CONTEST, contest.id) == []  # the calls only read
    open_missing_forums(utcnow())
    body = api(admin()).get(f"/forums?scope=contest&scope_id={contest.id}").get_json()
    assert [i["title"] for i in body["items"]] == ["Форум конкурса"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "scope"),
        ("?scope=galaxy&scope_id=1", "scope"),
        ("?scope=stage&scope_id=1", "scope"),
        ("?scope=course", "scope_id"),
        ("?scope=course&scope_id=abc", "scope_id"),
        ("?scope=course&scope_id=-1", "scope_id"),
        ("?scope=course&scope_id=99999999999", "scope_id"),
        ("?scope=network&per_page=0", "per_page"),
    ],
)
def test_bad_parameters_are_422_by_the_field(api, app, query: str, field: str) -> None:  # type: ignore[no-untyped-def]
    response = api(teacher()).get("/forums" + query)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation" and field in error["fields"]


def test_without_a_token_it_is_401(api, app) -> None:  # type: ignore[no-untyped-def]
    assert api().get("/forums?scope=network").status_code == 401


def test_pages_of_forums(api, world: World) -> None:  # type: ignore[no-untyped-def]
    query = f"/forums?scope=contest&scope_id={world.contest.id}&per_page=3"  # type: ignore[union-attr]
    organiser = api(world.people["organiser"])
    first, second = organiser.get(query).get_json(), organiser.get(query + "&page=2").get_json()
    assert (len(first["items"]), len(second["items"]), first["total"], second["page"]) == (3, 1, 4, 2)


def test_the_openapi_document_describes_the_forum_list(api, app) -> None:  # type: ignore[no-untyped-def]
    document = api().get("/openapi.json").get_json()
    operation = document["paths"]["/api/v1/forums"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"scope", "scope_id", "page", "per_page"}
    assert "shows_names" in document["components"]["schemas"]["ForumOut"]["properties"]
