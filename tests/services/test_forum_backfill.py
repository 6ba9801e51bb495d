"""The clock's forum job (app/forums/backfill.py): the network's forum and the default forums of places
made before forums existed, a batch a tick, once each — also when two clocks run at once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.forums import backfill
from app.forums.backfill import open_missing_forums, places_without_forums
from app.timeutil import utcnow
from community.forums import places
from community.forums.models import Forum, ForumScope
from contest_engine.models import Contest
from courses.models import Course
from tests.concurrency import at_once_words as _at_once
from tests.factories.community import AssociationFactory
from tests.factories.contests import ContestFactory
from tests.factories.courses import course


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Forum)) or 0


def _slots(scope: ForumScope, scope_id: int) -> list[str]:
    return [forum.slot for forum in places.place_forums(scope, scope_id)]


def test_older_places_get_their_default_forums_and_the_network_its_own(app) -> None:  # type: ignore[no-untyped-def]
    contest, association = ContestFactory(), AssociationFactory()  # made before forums existed
    built = course()  # made with its forums
    news = places.find_forum(ForumScope.COURSE, built.id, places.NEWS)
    db.session.delete(news)  # a course missing only its news
    db.session.commit()
    lines = open_missing_forums(utcnow())
    assert lines == [
        "opened the network's forum",
        "opened the forums of 1 course(s)",
        "opened the forums of 1 contest(s)",
        "opened the forums of 1 association(s)",
    ]
    assert _slots(ForumScope.CONTEST, contest.id) == ["general"]
    assert _slots(ForumScope.ASSOCIATION, association.id) == ["general"]
    assert _slots(ForumScope.COURSE, built.id) == ["news", "general"]
    found = places.find_forum(ForumScope.NETWORK, places.NETWORK_ID)
    assert found is not None and found.title == "Общий форум сети"
    assert open_missing_forums(utcnow()) == [] and _count() == 5


def test_a_tick_opens_a_batch_and_the_next_the_rest(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    contests = [ContestFactory() for _ in range(3)]
    places.network_forum()
    assert backfill.BATCH >= 100  # a real tick clears a city's backlog in minutes
    monkeypatch.setattr(backfill, "BATCH", 2)
    assert places_without_forums(ForumScope.CONTEST, Contest.id) == [c.id for c in contests[:2]]
    assert open_missing_forums(utcnow()) == ["opened the forums of 2 contest(s)"]
    assert open_missing_forums(utcnow()) == ["opened the forums of 1 contest(s)"]
    assert open_missing_forums(utcnow()) == []
    assert all(_slots(ForumScope.CONTEST, c.id) == ["general"] for c in contests)


def test_when_nothing_is_missing_the_job_only_reads(app, count_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        course()
    places.network_forum()
    with count_queries() as counter:
        assert open_missing_forums(utcnow()) == []
    assert counter.count == 4  # the network's forum, then one query per kind of place
    assert db.session.scalar(select(func.count()).select_from(Course)) == 3


def test_two_clocks_at_once_open_one_set_of_forums(app) -> None:  # type: ignore[no-untyped-def]
    if db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file database")
    ContestFactory()
    db.session.commit()
    db.session.close()

    def tick() -> object:
        return open_missing_forums(utcnow())

    assert _at_once(app, [tick, tick, tick]) == ["ok"] * 3
    assert _count() == 2  # the network's and the contest's
