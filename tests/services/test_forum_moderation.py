"""Reports and hiding: one report per person per post, hiding with a reason (counts drop once, the post
keeps its place and reads «hidden» to others), dismissing reports, the moderators' queue."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.domain_errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.timeutil import utcnow
from community.forums import moderation, posts, topic_view
from community.forums.models import Forum, ForumKind, PostReport, Topic
from tests.factories.accounts import methodist, teacher
from tests.factories.forum_posting import forum, topic


def test_one_report_per_person_per_post(app) -> None:  # type: ignore[no-untyped-def]
    place, anna, boris = forum(), teacher(), teacher()
    opened, first = topic(place, anna)
    moderation.report_post(first, opened, boris, "  Оскорбление ", now=utcnow())
    with pytest.raises(Conflict):
        moderation.report_post(first, opened, boris, "", now=utcnow())
    with pytest.raises(Forbidden):
        moderation.report_post(first, opened, anna, "", now=utcnow())
    with pytest.raises(Invalid) as refused:
        moderation.report_post(first, opened, teacher(), "я" * 501, now=utcnow())
    assert "reason" in refused.value.fields
    assert db.session.scalars(select(PostReport.reason)).all() == ["Оскорбление"]


def test_hiding_needs_a_reason_and_drops_the_counts_once(app) -> None:  # type: ignore[no-untyped-def]
    place, anna, boris, moderator = forum(), teacher(), teacher(), methodist()
    opened, _first = topic(place, anna)
    spam = posts.reply(opened, boris, "Купите учебник!", now=utcnow())
    moderation.report_post(spam, opened, anna, "Реклама", now=utcnow())
    with pytest.raises(Invalid) as refused:
        moderation.hide_post(spam, opened, moderator, "  ", now=utcnow())
    assert "reason" in refused.value.fields
    moderation.hide_post(spam, opened, moderator, "Реклама", now=utcnow())
    with pytest.raises(Conflict):
        moderation.hide_post(spam, opened, moderator, "Ещё раз", now=utcnow())
    with pytest.raises(Conflict):
        moderation.report_post(spam, opened, teacher(), "", now=utcnow())
    assert (spam.hidden_reason, spam.hidden_by_id) == ("Реклама", moderator.id)
    db.session.expire_all()
    stored_topic, stored_forum = db.session.get(Topic, opened.id), db.session.get(Forum, place.id)
    assert stored_topic is not None and stored_forum is not None
    assert (stored_topic.posts_count, stored_topic.last_number, stored_forum.posts_count) == (1, 2, 1)
    assert db.session.scalar(select(func.count()).where(PostReport.resolved_at.is_(None))) == 0
    # a later reply still takes the next number
    assert posts.reply(stored_topic, anna, "Спасибо", now=utcnow()).number == 3


def test_a_hidden_post_shows_its_text_only_to_its_author_and_moderators(app) -> None:  # type: ignore[no-untyped-def]
    place, anna, boris, moderator = forum(), teacher(), teacher(), methodist()
    opened, _first = topic(place, anna)
    rude = posts.reply(opened, boris, "Грубость", now=utcnow())
    moderation.hide_post(rude, opened, moderator, "Грубость", now=utcnow())

    def seen(viewer_id: int, is_moderator: bool) -> tuple[bool, bool]:
        page = topic_view.topic_page(
            opened,
            kind=ForumKind.DISCUSSION,
            viewer_id=viewer_id,
            moderator=is_moderator,
            now=utcnow(),
            page=1,
            per_page=50,
        )
        view = page.posts.items[1]
        assert view.post.number == 2 and len(page.posts.items) == 2
        return view.hidden, view.show_text

    assert seen(anna.id, False) == (True, False)
    assert seen(boris.id, False) == (True, True)
    assert seen(moderator.id, True) == (True, True)


def test_dismissing_reports_keeps_the_post(app) -> None:  # type: ignore[no-untyped-def]
    place, anna, moderator = forum(), teacher(), methodist()
    opened, first = topic(place, anna)
    moderation.report_post(first, opened, teacher(), "", now=utcnow())
    assert moderation.dismiss_reports(first, opened, moderator, now=utcnow()) == 1
    with pytest.raises(Conflict):
        moderation.dismiss_reports(first, opened, moderator, now=utcnow())
    assert first.hidden_at is None


def test_the_queue_lists_reported_visible_posts_of_the_given_forums(app) -> None:  # type: ignore[no-untyped-def]
    mine, other = forum(), forum()
    anna = teacher()
    one, first = topic(mine, anna, "Первая")
    two, second = topic(other, anna, "Вторая")
    hidden = posts.reply(one, anna, "Будет скрыт", now=utcnow())
    for reporter in (teacher(), teacher()):
        moderation.report_post(first, one, reporter, "Не по теме", now=utcnow())
    moderation.report_post(second, two, teacher(), "", now=utcnow())
    moderation.report_post(hidden, one, teacher(), "", now=utcnow())
    moderation.hide_post(hidden, one, methodist(), "Спам", now=utcnow())
    queue = moderation.reported_posts([mine.id], 1, 20)
    assert [(item.post.id, item.reports, item.reasons, item.topic_title) for item in queue.items] == [
        (first.id, 2, ["Не по теме", "Не по теме"], "Первая")
    ]
    everything = moderation.reported_posts(None, 1, 20)
    assert {item.post.id for item in everything.items} == {first.id, second.id}
    assert moderation.open_report_counts([first.id, second.id, hidden.id]) == {first.id: 2, second.id: 1}
