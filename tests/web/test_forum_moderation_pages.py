"""Keeping order on the forum pages: report, hide with a reason («скрыто модератором» for others),
dismiss, pin and lock, the queue per moderator's scope with its denials; and a blind stage's jurors
reading participants as «Участник №N»."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.timeutil import utcnow
from community.forums import moderation, posts
from community.forums.models import ForumScope, PostReport, Topic
from tests.conftest import login
from tests.factories.accounts import methodist, teacher
from tests.factories.community import AssociationFactory, add_member
from tests.factories.forum_posting import course_forum, forum, member, topic
from tests.factories.jury import jury_stage


def _html(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def test_report_then_hide_then_others_read_hidden(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    place, made, author = course_forum()
    anna, boris = member(made), member(made)
    opened, _first = topic(place, anna)
    rude = posts.reply(opened, boris, "Грубое слово", now=utcnow())
    login(client, anna)
    response = client.post(f"/forums/posts/{rude.id}/report", data={"reason": "Грубо"})
    assert response.status_code == 302
    again = client.post(f"/forums/posts/{rude.id}/report", data={"reason": "Ещё"})
    assert again.status_code == 409 and "уже пожаловались" in _html(again)
    assert client.get("/forums/reports").status_code == 403  # a student moderates nothing
    client.post("/auth/logout")
    login(client, author)
    queue = _html(client.get("/forums/reports"))
    assert f'data-reported-post="{rude.id}"' in queue and "Грубо" in queue
    assert client.post(f"/forums/posts/{rude.id}/hide", data={"reason": ""}).status_code == 422
    assert client.post(f"/forums/posts/{rude.id}/hide", data={"reason": "Оскорбление"}).status_code == 302
    assert f'data-reported-post="{rude.id}"' not in _html(client.get("/forums/reports"))
    assert "Оскорбление" in _html(client.get(f"/forums/topics/{opened.id}"))
    client.post("/auth/logout")
    login(client, anna)
    page = _html(client.get(f"/forums/topics/{opened.id}"))
    assert "Скрыто модератором" in page and "Грубое слово" not in page and "Оскорбление" not in page
    client.post("/auth/logout")
    login(client, boris)
    page = _html(client.get(f"/forums/topics/{opened.id}"))
    assert "Грубое слово" in page and "Оскорбление" in page


def test_dismiss_pin_and_lock_by_the_moderator_only(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    place, made, author = course_forum()
    pupil = member(made)
    opened, first = topic(place, author)
    moderation.report_post(first, opened, pupil, "", now=utcnow())
    login(client, pupil)
    for action in ("pin", "lock"):
        assert client.post(f"/forums/topics/{opened.id}/{action}").status_code == 403
    assert client.post(f"/forums/posts/{first.id}/dismiss").status_code == 403
    client.post("/auth/logout")
    login(client, author)
    assert client.post(f"/forums/posts/{first.id}/dismiss").status_code == 302
    assert db.session.scalar(select(PostReport.resolved_by_id)) == author.id
    client.post(f"/forums/topics/{opened.id}/pin")
    client.post(f"/forums/topics/{opened.id}/lock")
    db.session.expire_all()
    stored = db.session.get(Topic, opened.id)
    assert stored is not None and stored.pinned and stored.locked
    listing = _html(client.get(f"/forums/{place.id}"))
    assert "data-pinned" in listing and "data-locked" in listing
    client.post(f"/forums/topics/{opened.id}/unlock")
    db.session.expire_all()
    assert not db.session.get(Topic, opened.id).locked  # type: ignore[union-attr]


def test_a_leader_sees_only_their_associations_reports(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    ours, theirs = AssociationFactory(), AssociationFactory()
    leader, writer, reader = teacher(), teacher(), teacher()
    add_member(ours, leader, leader=True)
    for association in (ours, theirs):
        add_member(association, writer)
        add_member(association, reader)
    our_forum, their_forum = forum(ForumScope.ASSOCIATION, ours.id), forum(ForumScope.ASSOCIATION, theirs.id)
    one, ours_first = topic(our_forum, writer, "Наша тема")
    two, theirs_first = topic(their_forum, writer, "Чужая тема")
    moderation.report_post(ours_first, one, reader, "", now=utcnow())
    moderation.report_post(theirs_first, two, reader, "", now=utcnow())
    login(client, leader)
    queue = _html(client.get("/forums/reports"))
    assert f'data-reported-post="{ours_first.id}"' in queue
    assert f'data-reported-post="{theirs_first.id}"' not in queue
    client.post("/auth/logout")
    login(client, methodist())
    queue = _html(client.get("/forums/reports"))
    assert (
        f'data-reported-post="{ours_first.id}"' in queue
        and f'data-reported-post="{theirs_first.id}"' in queue
    )


def test_a_blind_stage_juror_reads_participants_by_number(app, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    built = jury_stage(entries=2, jurors=1, blind=True, allocate=False)
    place = forum(ForumScope.CONTEST, built.contest.id)
    writer, other = built.participants
    number = built.participations[0].id
    opened, first = topic(place, writer, "Вопрос о сроках", "Когда итоги?")
    posts.reply(
        opened,
        other,
        "Тоже жду",
        now=utcnow(),
        reply_to_id=first.id,
        quote_author=f"Участник № {number}",
    )
    login(client, built.jurors[0])
    page = _html(client.get(f"/forums/topics/{opened.id}"))
    assert "Секретная" not in page and f"Участник № {number}" in page
    assert "Секретная" not in _html(client.get(f"/forums/{place.id}"))
    client.post("/auth/logout")
    login(client, built.organiser)
    assert "Участница Секретная 0" in _html(client.get(f"/forums/topics/{opened.id}"))
    client.post("/auth/logout")
    login(client, other)
    form = _html(client.get(f"/forums/topics/{opened.id}/reply?quote={first.id}"))
    assert f"Участник № {number} пишет" in form and "Секретная 0" not in form
