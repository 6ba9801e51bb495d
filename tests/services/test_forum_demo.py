"""The demo forums: the network forum, each demo association's forum and the demo course's news are
lively after `flask demo`, and loading the demo twice adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.demo import load_demo
from app.extensions import db
from community.associations.models import Association, AssociationMember, MemberStatus
from community.forums import demo_data, places
from community.forums import demo_history as forum_history
from community.forums.models import Forum, ForumScope, Post, Topic
from community.library import demo_data as library_data
from courses.demo import TITLE
from courses.models import Course


def _counts() -> tuple[int, int, int]:
    topics = db.session.scalar(select(func.count()).select_from(Topic))
    posts = db.session.scalar(select(func.count()).select_from(Post))
    members = db.session.scalar(select(func.count()).select_from(AssociationMember))
    return topics or 0, posts or 0, members or 0


def _topics(forum: Forum) -> dict[str, Topic]:
    return {t.title: t for t in db.session.scalars(select(Topic).where(Topic.forum_id == forum.id))}


def test_the_demo_forums_are_lively_and_load_once(app) -> None:
    lines = load_demo()
    assert any(line.startswith("Forums: network forum") for line in lines)
    network = _topics(places.network_forum())
    # The current demo topics, and last year's (community/forums/demo_history.py, for monitoring).
    assert len(network) == len(demo_data.TOPICS["network"]) + len(forum_history.TITLES)
    assert len(demo_data.TOPICS["network"]) >= 3 and set(forum_history.TITLES) <= set(network)
    assert network[demo_data.PINNED].pinned
    for key, (name, *_rest) in library_data.ASSOCIATIONS.items():
        association = db.session.scalar(select(Association).where(Association.name == name))
        assert association is not None, name
        forum = places.find_forum(ForumScope.ASSOCIATION, association.id)
        assert forum is not None
        topics = _topics(forum)
        assert 2 <= len(topics) == len(demo_data.TOPICS[key])
        assert all(topic.posts_count >= 3 for topic in topics.values()), name
        db.session.refresh(forum)
        assert forum.topics_count == len(topics) and forum.posts_count == sum(
            t.posts_count for t in topics.values()
        )
    before = _counts()
    load_demo()
    assert _counts() == before


def test_replies_quote_and_are_dated_in_order(app) -> None:
    load_demo()
    topic = _topics(places.network_forum())[demo_data.PINNED]
    posts = list(db.session.scalars(select(Post).where(Post.topic_id == topic.id).order_by(Post.number)))
    assert [p.number for p in posts] == list(range(1, len(posts) + 1))
    assert all(a.created_at <= b.created_at for a, b in zip(posts, posts[1:], strict=False))
    quoting = [p for p in posts if p.reply_to_id is not None]
    assert quoting and "<blockquote>" in quoting[0].html


def test_the_informatics_association_gains_colleagues_of_other_schools(app) -> None:
    load_demo()
    name = library_data.ASSOCIATIONS["informatics"][0]
    association = db.session.scalar(select(Association).where(Association.name == name))
    rows = db.session.scalars(
        select(AssociationMember).where(AssociationMember.association_id == association.id)  # type: ignore[union-attr]
    ).all()
    assert len(rows) == 2 + len(demo_data.JOINING["informatics"])
    assert all(row.status == MemberStatus.ACTIVE for row in rows)


def test_the_demo_course_has_its_news(app) -> None:
    load_demo()
    course_id = db.session.scalar(select(Course.id).where(Course.title == TITLE))
    news = places.find_forum(ForumScope.COURSE, course_id, places.NEWS)  # type: ignore[arg-type]
    assert news is not None
    assert set(_topics(news)) == {topic[1] for topic in demo_data.TOPICS["course_news"]}
    general = places.find_forum(ForumScope.COURSE, course_id, places.GENERAL)  # type: ignore[arg-type]
    assert general is not None
    (question,) = _topics(general).values()
    assert question.posts_count == 3
