"""Forum lists read on GET (app/read_requests.py's guard set to "raise" here): the forum index, a place's
forums page and the forums API write nothing, for a place with its forums and for one made before
forums existed (its forums are the clock's to open: app/forums/backfill.py)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.forums.backfill import open_missing_forums
from app.timeutil import utcnow
from community.forums.models import Forum
from tests.conftest import login
from tests.factories.contests import contest_with_organiser
from tests.factories.courses import course


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Forum)) or 0


def test_forum_lists_only_read_before_and_after_the_clock(client, api, guarded) -> None:  # type: ignore[no-untyped-def]
    contest, organiser_user = contest_with_organiser()  # made before forums existed
    built = course(organiser_user)  # made with its news and forum
    db.session.commit()
    login(client, organiser_user)
    urls = ("/forums/", f"/forums/contest/{contest.id}", f"/forums/course/{built.id}")
    api_paths = (
        "/forums?scope=network",
        f"/forums?scope=contest&scope_id={contest.id}",
        f"/forums?scope=course&scope_id={built.id}",
    )
    for _round in ("before the clock", "after it"):
        for url in urls:
            assert client.get(url).status_code == 200, url
        for path in api_paths:
            assert api(organiser_user).get(path).status_code == 200, path
        if _round == "before the clock":
            assert _count() == 2  # the course's two: nothing made by the reads
            assert api(organiser_user).get(api_paths[1]).json["items"] == []
            open_missing_forums(utcnow())
    assert _count() == 4  # and the network's and the contest's, by the clock
    assert [f["slot"] for f in api(organiser_user).get(api_paths[1]).json["items"]] == ["general"]
