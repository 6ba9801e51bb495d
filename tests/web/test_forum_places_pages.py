"""Forum pages by place: the index of the viewer's forums, a place's forums page, the organiser opening
a stage's or a division's forum, and the links to the forums from the course, contest and association
pages — who sees what, and the query count of the index whatever the number of places."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.forums.backfill import open_missing_forums
from app.timeutil import utcnow
from community.forums import places
from community.forums.models import Forum, ForumScope
from tests.conftest import login
from tests.factories.accounts import teacher
from tests.factories.community import AssociationFactory, add_member
from tests.factories.contests import ContestFactory, StageFactory, contest_with_organiser
from tests.factories.courses import course, enrolled
from tests.factories.forum_places import World, place_world


@pytest.fixture()
def world(app) -> World:  # type: ignore[no-untyped-def]
    return place_world()


def _forum_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Forum)) or 0


def _page(client, user, url: str) -> str:  # type: ignore[no-untyped-def]
    login(client, user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_index_lists_the_network_and_the_viewers_places(client, world: World) -> None:  # type: ignore[no-untyped-def]
    page = _page(client, world.people["course_student"], "/forums/")
    shown = {f.id for f in world.forums.values() if f'data-forum="{f.id}"' in page}
    assert shown == {world.forums[k].id for k in ("network", "course_news", "course_general")}
    assert "Общий форум сети" in page and "Новости курса" in page
    assert "Дистанционные образовательные технологии в школе" in page  # the course's name, linked
    assert f'href="/forums/course/{world.course_id}"' in page


def test_the_index_of_a_juror_and_a_member(client, world: World) -> None:  # type: ignore[no-untyped-def]
    page = _page(client, world.people["juror"], "/forums/")
    assert f'data-forum="{world.forums["contest"].id}"' in page
    assert f'data-forum="{world.forums["course_news"].id}"' not in page
    client.post("/auth/logout")
    page = _page(client, world.people["member"], "/forums/")
    assert f'data-forum="{world.forums["assoc_district"].id}"' in page
    assert f'data-forum="{world.forums["contest"].id}"' not in page


def test_the_clock_opens_the_network_forum_and_the_index_only_reads(client, app) -> None:  # type: ignore[no-untyped-def]
    page = _page(client, teacher(), "/forums/")
    assert _forum_count() == 0 and "Форумов пока нет." in page  # a page writes nothing
    assert open_missing_forums(utcnow()) == ["opened the network's forum"]
    forum = places.find_forum(ForumScope.NETWORK, places.NETWORK_ID)
    assert forum is not None and f'data-forum="{forum.id}"' in client.get("/forums/").get_data(as_text=True)
    assert open_missing_forums(utcnow()) == [] and _forum_count() == 1


def test_the_index_is_paginated(client, app) -> None:  # type: ignore[no-untyped-def]
    person = teacher()
    for _ in range(3):
        course(person)  # two forums each, plus the network's: seven
    places.network_forum()
    first = _page(client, person, "/forums/?per_page=5")
    second = client.get("/forums/?per_page=5&page=2").get_data(as_text=True)
    assert first.count("data-forum=") == 5 and second.count("data-forum=") == 2


def _index_queries(client, count_queries, person) -> int:  # type: ignore[no-untyped-def]
    login(client, person)
    client.get("/forums/")  # the network forum exists from here on
    with count_queries(cold=True) as counter:
        assert client.get("/forums/").status_code == 200
    return counter.count


def test_the_index_runs_the_same_queries_for_two_places_or_twelve(client, app, count_queries) -> None:  # type: ignore[no-untyped-def]
    few, many = teacher(), teacher()
    for person, places_count in ((few, 1), (many, 6)):
        for _ in range(places_count):
            course(person)
            association = AssociationFactory()
            db.session.flush()
            add_member(association, person)
            places.add_default_forums(ForumScope.ASSOCIATION, association.id)
    db.session.commit()
    few_login, many_login = SimpleNamespace(email=few.email), SimpleNamespace(email=many.email)
    first = _index_queries(client, count_queries, few_login)
    client.post("/auth/logout")
    assert _index_queries(client, count_queries, many_login) == first


def test_a_course_page_of_forums_for_its_people_only(client, world: World) -> None:  # type: ignore[no-untyped-def]
    url = f"/forums/course/{world.course_id}"
    page = _page(client, world.people["course_student"], url)
    assert "Новости курса" in page and "Форум курса" in page and f'href="/courses/{world.course_id}"' in page
    assert 'id="course-forums-link"' in page  # the course's tabs, on the forums tab
    client.post("/auth/logout")
    login(client, world.people["teacher"])
    assert client.get(url).status_code == 404
    client.post("/auth/logout")
    assert client.get(url).status_code == 302  # to the login page


@pytest.mark.parametrize(
    "url", ["/forums/course/987654", "/forums/contest/987654", "/forums/association/987654"]
)
def test_a_missing_place_is_404(client, world: World, url: str) -> None:  # type: ignore[no-untyped-def]
    login(client, world.people["admin"])
    assert client.get(url).status_code == 404


def test_a_stage_is_no_place_of_its_own(client, world: World) -> None:  # type: ignore[no-untyped-def]
    login(client, world.people["admin"])
    assert client.get(f"/forums/stage/{world.stages['blind'].id}").status_code == 404


def test_an_older_contest_says_its_forum_is_opening_until_the_clock_opens_it(client, app) -> None:  # type: ignore[no-untyped-def]
    contest, organiser_user = contest_with_organiser()  # made before forums existed: none
    stranger = teacher()
    db.session.commit()
    login(client, stranger)
    assert client.get(f"/forums/contest/{contest.id}").status_code == 404
    client.post("/auth/logout")
    page = _page(client, organiser_user, f"/forums/contest/{contest.id}")
    assert 'id="forums-opening"' in page and "появятся здесь через несколько минут" in page
    assert _forum_count() == 0  # the page only reads
    open_missing_forums(utcnow())
    page = client.get(f"/forums/contest/{contest.id}").get_data(as_text=True)
    assert "Форум конкурса" in page and 'id="forums-opening"' not in page and _forum_count() == 2


def test_the_organiser_opens_a_stage_and_a_division_forum(client, world: World) -> None:  # type: ignore[no-untyped-def]
    contest = world.contest
    assert contest is not None
    url = f"/forums/contest/{contest.id}"
    page = _page(client, world.people["organiser"], url)
    division_b = world.divisions["b"]
    assert 'id="open-part-forums"' in page and f'data-division="{division_b.id}"' in page
    assert f'data-stage="{world.stages["blind"].id}"' not in page  # it has its forum already
    done = client.post(f"/forums/division/{division_b.id}/open", follow_redirects=True)
    assert "Форум открыт." in done.get_data(as_text=True)
    forum = places.find_forum(ForumScope.DIVISION, division_b.id)
    assert forum is not None and forum.title == f"Форум группы «{division_b.name}»"
    again = client.post(f"/forums/division/{division_b.id}/open", follow_redirects=True)
    assert "Этот форум уже был открыт." in again.get_data(as_text=True)


def test_only_the_organiser_opens_part_forums(client, world: World) -> None:  # type: ignore[no-untyped-def]
    contest = world.contest
    assert contest is not None
    before = _forum_count()
    division_b = world.divisions["b"]
    for name in ("participant", "juror", "teacher"):
        login(client, world.people[name])
        assert client.post(f"/forums/division/{division_b.id}/open").status_code == 403, name
        client.post("/auth/logout")
    page = _page(client, world.people["participant"], f"/forums/contest/{contest.id}")
    assert 'id="open-part-forums"' not in page
    assert _forum_count() == before


def test_opening_a_missing_stage_or_division_is_404(client, world: World) -> None:  # type: ignore[no-untyped-def]
    login(client, world.people["organiser"])
    assert client.post("/forums/stage/987654/open").status_code == 404
    assert client.post("/forums/division/987654/open").status_code == 404


def test_another_contests_organiser_may_not_open_a_stage_forum(client, world: World) -> None:  # type: ignore[no-untyped-def]
    _other, other_organiser = contest_with_organiser()
    stage = StageFactory(contest=world.contest)
    db.session.commit()
    login(client, other_organiser)
    assert client.post(f"/forums/stage/{stage.id}/open").status_code == 403
    assert places.find_forum(ForumScope.STAGE, stage.id) is None


def test_a_blind_juror_sees_the_stage_forum_in_the_contests_list(client, world: World) -> None:  # type: ignore[no-untyped-def]
    page = _page(client, world.people["juror"], f"/forums/contest/{world.contest.id}")  # type: ignore[union-attr]
    assert f'data-forum="{world.forums["stage_blind"].id}"' in page
    assert f'data-forum="{world.forums["stage_first"].id}"' not in page


def test_the_contest_page_links_to_its_forums_for_its_people(client, world: World) -> None:  # type: ignore[no-untyped-def]
    url = f"/contests/{world.contest.id}"  # type: ignore[union-attr]
    for name, shown in (("participant", True), ("juror", True), ("organiser", True), ("teacher", False)):
        login(client, world.people[name])
        page = client.get(url).get_data(as_text=True)
        assert ('id="contest-forums-link"' in page) is shown, name
        assert ('id="organiser-part-forums"' in page) is (name == "organiser"), name
        client.post("/auth/logout")
    public = ContestFactory(is_public=True)
    db.session.commit()
    assert 'id="contest-forums-link"' not in client.get(f"/contests/{public.id}").get_data(as_text=True)


def test_the_association_page_links_to_its_forum_for_those_who_read_it(client, world: World) -> None:  # type: ignore[no-untyped-def]
    url = f"/library/associations/{world.associations['district'].id}"
    assert 'id="association-forum-link"' in _page(client, world.people["member"], url)
    client.post("/auth/logout")
    assert 'id="association-forum-link"' not in _page(client, world.people["teacher"], url)


def test_the_course_page_links_to_its_forums(client, app) -> None:  # type: ignore[no-untyped-def]
    built = course()
    pupil = enrolled(built)
    db.session.commit()
    page = _page(client, pupil, f"/courses/{built.id}")
    assert f'href="/forums/course/{built.id}"' in page


def test_the_header_links_to_the_forums_when_signed_in(client, app) -> None:  # type: ignore[no-untyped-def]
    assert 'id="nav-forums"' not in client.get("/contests/").get_data(as_text=True)
    assert 'id="nav-forums"' in _page(client, teacher(), "/contests/")
