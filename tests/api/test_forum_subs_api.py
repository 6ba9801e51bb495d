"""PUT /api/v1/subscriptions and GET /api/v1/subscriptions: each mode for a forum, a topic and an
association; 401 without a token, 422 for bad values, 404 for a target the caller may not read, 409
for turning course news off."""

from __future__ import annotations

import pytest

from app.extensions import db
from community.forums import places
from community.forums.models import ForumScope
from community.subscriptions.models import Subscription
from tests.factories import forum_subs as f
from tests.factories.accounts import student, teacher
from tests.factories.community import AssociationFactory, add_member


def test_subscribe_to_a_forum_then_change_and_turn_off(api, app) -> None:  # type: ignore[no-untyped-def]
    forum = f.network_forum()
    reader = teacher()
    client = api(reader)
    for mode in ("each", "digest", "off"):
        response = client.put("/subscriptions", {"target": "forum", "target_id": forum.id, "mode": mode})
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert (body["target"], body["target_id"], body["mode"], body["forced"]) == (
            "forum",
            forum.id,
            mode,
            False,
        )
    assert db.session.query(Subscription).count() == 1


def test_topic_and_association_subscriptions_are_listed(api, app) -> None:  # type: ignore[no-untyped-def]
    forum = f.network_forum()
    reader = teacher()
    topic, _p = f.open_topic(forum, teacher(), "Дроби в 5 классе", "Как объясняете?")
    association = AssociationFactory(district="")
    add_member(association, reader)
    places.add_default_forums(ForumScope.ASSOCIATION, association.id)
    db.session.commit()
    client = api(reader)
    assert (
        client.put("/subscriptions", {"target": "topic", "target_id": topic.id, "mode": "each"}).status_code
        == 200
    )
    response = client.put(
        "/subscriptions", {"target": "association", "target_id": association.id, "mode": "digest"}
    )
    assert response.status_code == 200
    listed = client.get("/subscriptions").get_json()
    assert listed["total"] == 2
    assert [(i["target"], i["title"], i["mode"]) for i in listed["items"]] == [
        ("topic", "Дроби в 5 классе", "each"),
        ("association", association.name, "digest"),
    ]


def test_course_news_is_listed_as_forced_and_cannot_be_turned_off(api, app) -> None:  # type: ignore[no-untyped-def]
    c = f.news_course(students=1)
    pupil = c.students[0]
    client = api(pupil)
    listed = client.get("/subscriptions").get_json()
    assert [(i["target_id"], i["mode"], i["forced"]) for i in listed["items"]] == [(c.news.id, "each", True)]
    response = client.put("/subscriptions", {"target": "forum", "target_id": c.news.id, "mode": "off"})
    assert response.status_code == 409
    assert response.get_json()["error"]["fields"]["mode"]
    response = client.put("/subscriptions", {"target": "forum", "target_id": c.news.id, "mode": "digest"})
    assert response.status_code == 200 and response.get_json()["forced"] is True
    assert client.get("/subscriptions").get_json()["items"][0]["mode"] == "digest"


def test_a_target_the_caller_may_not_read_is_404(api, app) -> None:  # type: ignore[no-untyped-def]
    c = f.news_course(students=0)
    stranger = student()
    association = AssociationFactory(district="Северный район")
    hidden_topic, _p = f.open_topic(c.general, c.author, "Только для курса", "Текст.")
    db.session.commit()
    client = api(stranger)
    for target, target_id in (
        ("forum", c.news.id),
        ("topic", hidden_topic.id),
        ("association", association.id),
        ("forum", 999999),
    ):
        response = client.put("/subscriptions", {"target": target, "target_id": target_id, "mode": "each"})
        assert response.status_code == 404, (target, response.get_json())
    assert db.session.query(Subscription).count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"target": "course", "target_id": 1, "mode": "each"}, "target"),
        ({"target": "forum", "target_id": 1, "mode": "weekly"}, "mode"),
        ({"target": "forum", "target_id": 0, "mode": "each"}, "target_id"),
        ({"target": "forum", "target_id": 2**31, "mode": "each"}, "target_id"),
        ({"target": "forum", "mode": "each"}, "target_id"),
        ({"target": "forum", "target_id": 1, "mode": "each", "extra": 1}, "extra"),
    ],
)
def test_bad_values_are_422_by_field(api, app, body: dict, field: str) -> None:  # type: ignore[no-untyped-def,type-arg]
    f.network_forum()
    response = api(teacher()).put("/subscriptions", body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


def test_without_a_token_401(api, app) -> None:  # type: ignore[no-untyped-def]
    assert api().get("/subscriptions").status_code == 401
    assert api().put("/subscriptions", {"target": "forum", "target_id": 1, "mode": "each"}).status_code == 401
