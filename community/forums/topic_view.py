"""Forums: a page of a topic's posts as one reader may see it — in a fixed number of queries whatever
the topic's size (the page by number range with its authors, the attachments of the page, the
numbers of the posts replied to).

What a reader sees: a hidden post keeps its place and number but shows its text only to its author
and the moderators (others read «скрыто модератором»); in a Q&A topic someone who does not moderate
the forum sees only the question and their own posts until they have answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.pagination import Page, paginate
from community.forums import attachments
from community.forums import posting_rules as rules
from community.forums.models import ForumKind, Post, PostAttachment, Topic
from community.forums.posts import has_own_answer


@dataclass
class PostView:
    post: Post
    hidden: bool
    show_text: bool  # False: a hidden post shown to someone other than its author or a moderator
    editable: bool  # its author may still correct it (within the window, not hidden, not locked)
    editable_until: datetime
    reply_to_number: int | None = None
    files: list[PostAttachment] = field(default_factory=list)


@dataclass
class TopicPage:
    posts: Page[PostView]
    withheld: int  # answers of a Q&A topic the reader will see once they have answered


def topic_page(
    topic: Topic,
    *,
    kind: ForumKind,
    viewer_id: int,
    moderator: bool,
    now: datetime,
    page: int,
    per_page: int,
    edit_minutes: int = rules.EDIT_MINUTES,
) -> TopicPage:
    """The page of the topic's posts by number (five queries, six in a Q&A topic)."""
    query = select(Post).where(Post.topic_id == topic.id)
    withheld = 0
    qa = kind == ForumKind.QA
    if not rules.sees_all_answers(
        qa=qa,
        moderator=moderator,
        has_own_answer=qa and not moderator and has_own_answer(topic.id, viewer_id),
    ):
        everyone = db.session.scalar(select(func.count()).where(Post.topic_id == topic.id)) or 0
        query = query.where(or_(Post.number == 1, Post.author_id == viewer_id))
        withheld = everyone  # minus what the reader does see, below
    rows = paginate(query.options(joinedload(Post.author)).order_by(Post.number), page, per_page)
    withheld = max(0, withheld - rows.total) if withheld else 0
    files = attachments.attachments_of([post.id for post in rows.items])
    numbers = _numbers_of([post.reply_to_id for post in rows.items if post.reply_to_id])
    items = [
        post_view(
            post, viewer_id, moderator, topic.locked, now, edit_minutes, numbers, files.get(post.id, [])
        )
        for post in rows.items
    ]
    return TopicPage(Page(items, rows.page, rows.per_page, rows.total), withheld)


def post_view(
    post: Post,
    viewer_id: int,
    moderator: bool,
    locked: bool,
    now: datetime,
    edit_minutes: int,
    numbers: dict[int, int] | None = None,
    files: list[PostAttachment] | None = None,
) -> PostView:
    hidden = post.hidden_at is not None
    own = post.author_id == viewer_id
    until = rules.editable_until(post.created_at, edit_minutes)
    return PostView(
        post=post,
        hidden=hidden,
        show_text=not hidden or own or moderator,
        editable=own and not hidden and not locked and now <= until,
        editable_until=until,
        reply_to_number=(numbers or {}).get(post.reply_to_id) if post.reply_to_id else None,
        files=(files or []) if not hidden or own or moderator else [],
    )


def page_of(number: int, per_page: int) -> int:
    """The page of the topic a post numbered `number` is on (hidden posts keep their places)."""
    return max(1, (number - 1) // per_page + 1)


def _numbers_of(post_ids: list[int]) -> dict[int, int]:
    if not post_ids:
        return {}
    rows = db.session.execute(select(Post.id, Post.number).where(Post.id.in_(set(post_ids))))
    return {post_id: number for post_id, number in rows}
