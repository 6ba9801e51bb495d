"""The forums of places: made with the place (course, contest, association), lazily for older places,
once each even when two requests ask at the same moment; stage and division forums on request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts import User
from app.audit import AuditEntry
from app.extensions import db
from community.associations import membership
from community.forums import places
from community.forums.models import Forum, ForumKind, ForumScope
from contest_engine.models import Stage
from contest_engine.setup import create_contest
from contest_engine.spec import ContestSpec, StageSpec
from tests.concurrency import at_once_words as _at_once
from tests.factories.accounts import methodist, organiser
from tests.factories.contests import ContestFactory, StageFactory, contest_with_organiser
from tests.factories.courses import course


def _forums(scope: ForumScope, scope_id: int) -> list[tuple[str, str, str]]:
    return [(f.slot, str(f.kind), f.title) for f in places.place_forums(scope, scope_id)]


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Forum)) or 0


def test_a_new_course_has_its_news_and_its_forum(app) -> None:  # type: ignore[no-untyped-def]
    built = course()
    assert _forums(ForumScope.COURSE, built.id) == [
        ("news", "news", "Новости курса"),
        ("general", "discussion", "Форум курса"),
    ]
    forum = places.find_forum(ForumScope.COURSE, built.id, "news")
    assert forum is not None and forum.created_by_id == built.created_by_id


def test_a_new_association_has_its_forum(app) -> None:  # type: ignore[no-untyped-def]
    actor = methodist()
    association = membership.create_association(
        name="МО учителей физики", subject_id=None, actor=actor, now=datetime.now(UTC)
    )
    assert _forums(ForumScope.ASSOCIATION, association.id) == [("general", "discussion", "Форум объединения")]


def test_a_new_contest_has_its_forum(app) -> None:  # type: ignore[no-untyped-def]
    start = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)
    spec = ContestSpec(
        title="Учитель года",
        kind="teacher",
        timezone="Europe/Moscow",
        divisions=["Учителя"],
        stages=[
            StageSpec(
                title="Заочный этап", kind="submission", opens_at=start, closes_at=start + timedelta(days=7)
            )
        ],
    )
    contest = create_contest(spec, actor=organiser(), now=start - timedelta(days=1))
    assert _forums(ForumScope.CONTEST, contest.id) == [("general", "discussion", "Форум конкурса")]
    stage_id = db.session.scalar(select(Stage.id).where(Stage.contest_id == contest.id))
    assert stage_id is not None and _forums(ForumScope.STAGE, stage_id) == []  # only when the organiser asks


def test_an_older_place_gets_its_forums_once(app) -> None:  # type: ignore[no-untyped-def]
    contest = ContestFactory()  # made before forums existed: no forum rows
    db.session.commit()
    assert _forums(ForumScope.CONTEST, contest.id) == []
    first = places.ensure_place_forums(ForumScope.CONTEST, contest.id)
    again = places.ensure_place_forums(ForumScope.CONTEST, contest.id)
    assert [f.id for f in first] == [f.id for f in again]
    assert _count() == 1


def test_a_course_missing_only_its_news_gets_the_news(app) -> None:  # type: ignore[no-untyped-def]
    built = course()
    news = places.find_forum(ForumScope.COURSE, built.id, "news")
    db.session.delete(news)
    db.session.commit()
    forums = places.ensure_place_forums(ForumScope.COURSE, built.id)
    assert [f.slot for f in forums] == ["news", "general"]


def test_the_network_forum_is_one(app) -> None:  # type: ignore[no-untyped-def]
    first = places.network_forum()
    assert places.network_forum().id == first.id
    assert (first.scope, first.scope_id, first.slot, first.title) == (
        "network",
        0,
        "general",
        "Общий форум сети",
    )
    assert _count() == 1


def test_ensure_forum_reports_whether_it_created(app) -> None:  # type: ignore[no-untyped-def]
    made = places.ensure_forum(ForumScope.STAGE, 7, "general", kind=ForumKind.DISCUSSION, title="Этап")
    found = places.ensure_forum(ForumScope.STAGE, 7, "general", kind=ForumKind.QA, title="Другое")
    assert made[1] is True and found[1] is False and found[0].id == made[0].id
    assert found[0].kind == ForumKind.DISCUSSION  # the existing row is kept as it was


def test_the_organiser_opens_a_stage_forum_once_with_an_audit_entry(app) -> None:  # type: ignore[no-untyped-def]
    contest, user = contest_with_organiser()
    stage = StageFactory(contest=contest)
    db.session.commit()
    forum, created = places.open_part_forum(
        ForumScope.STAGE, stage.id, contest_id=contest.id, title="Форум этапа «Заочный»", actor=user
    )
    again, created_again = places.open_part_forum(
        ForumScope.STAGE, stage.id, contest_id=contest.id, title="Другое имя", actor=user
    )
    assert created and not created_again and again.id == forum.id and again.title == "Форум этапа «Заочный»"
    entries = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "forum.opened")))
    assert [(e.scope_type, e.scope_id, e.object_id) for e in entries] == [("contest", contest.id, forum.id)]


def test_only_stages_and_divisions_are_opened_on_request(app) -> None:  # type: ignore[no-untyped-def]
    contest, user = contest_with_organiser()
    db.session.commit()
    with pytest.raises(ValueError):
        places.open_part_forum(ForumScope.COURSE, 1, contest_id=contest.id, title="x", actor=user)
    assert _count() == 0


def test_a_lost_insert_race_reads_the_winners_row_and_keeps_the_transaction(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL lets two transactions both see no row and both insert: the loser's unique violation
    rolls back only its savepoint and it returns the winner's forum (SQLite queues the writers)."""
    winner, _ = places.ensure_forum(ForumScope.STAGE, 9, "general", kind=ForumKind.DISCUSSION, title="Первый")
    db.session.commit()
    bystander = places.ensure_forum(ForumScope.STAGE, 10, "general", kind=ForumKind.DISCUSSION, title="Свой")[
        0
    ]
    real_find, looks = places.find_forum, []

    def late_look(*args: object) -> Forum | None:
        looks.append(args)
        return None if len(looks) == 1 else real_find(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(places, "find_forum", late_look)
    forum, created = places.ensure_forum(ForumScope.STAGE, 9, "general", kind=ForumKind.QA, title="Второй")
    db.session.commit()
    assert (forum.id, forum.title, created) == (winner.id, "Первый", False)
    assert len(looks) == 2  # it looked, lost the insert, and looked again
    assert db.session.get(Forum, bystander.id) is not None  # the caller's earlier work survived
    assert _count() == 2


def test_two_first_visits_at_once_make_one_set_of_forums(app) -> None:  # type: ignore[no-untyped-def]
    if db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file database")
    contest = ContestFactory()
    contest_id = contest.id
    db.session.commit()
    db.session.close()

    def visit() -> object:
        return places.ensure_place_forums(ForumScope.CONTEST, contest_id)

    outcomes = _at_once(app, [visit, visit, visit])
    assert outcomes == ["ok"] * 3
    assert _count() == 1


def test_two_organisers_opening_one_stage_forum_at_once_make_one(app) -> None:  # type: ignore[no-untyped-def]
    if db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file database")
    contest, user = contest_with_organiser()
    stage = StageFactory(contest=contest)
    ids = contest.id, stage.id, user.id
    db.session.commit()
    db.session.close()

    def open_it() -> object:
        actor = db.session.get(User, ids[2])
        return places.open_part_forum(ForumScope.STAGE, ids[1], contest_id=ids[0], title="Этап", actor=actor)

    assert _at_once(app, [open_it, open_it]) == ["ok", "ok"]
    assert _count() == 1
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "forum.opened")
        )
        == 1
    )
