"""Forums: replying in a topic (numbered race-safely, quoting, attachments) and correcting one's post
within the edit window, the earlier text kept.

Numbering: a post takes its number with one conditional UPDATE of its topic
(`last_number = last_number + 1 … WHERE id = ? AND NOT locked RETURNING last_number`). The database
serialises replies on the topic's row, so two replies at once get consecutive numbers in the order
they reached it and both are stored; the same statement refuses a topic locked a moment ago. The
counters of the topic and the forum change by atomic UPDATEs only. After each new post, in the same
transaction, the subscribers' letters and the notifications are queued (`_announce`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.domain_errors import Conflict, Forbidden, NotFound
from app.extensions import db, rows_changed
from app.i18n import _
from app.markdown import render_markdown_uncached
from community.forums import attachments, notices, search
from community.forums import posting_rules as rules
from community.forums.messages import conflict, refusal
from community.forums.models import Forum, ForumKind, Post, PostRevision, Topic, topic_version_key
from community.subscriptions import delivery


def reply(
    topic: Topic,
    actor: User,
    text: Any,
    *,
    now: datetime,
    reply_to_id: int | None = None,
    quote_author: str | None = None,
    files: Sequence[Any] = (),
    moderator: bool = False,
) -> Post:
    """A new post at the end of the topic. `reply_to_id` links it to an earlier post of the topic;
    with `quote_author` (the quoted author as readers are shown them) that post's text is quoted
    above the reply. A locked topic takes replies from its moderators only (409 for others)."""
    if topic.hidden_at is not None:
        raise NotFound(_("This topic is not there any more."))
    if topic.locked and not moderator:
        raise Conflict(_("The topic is locked: no new replies."))
    try:
        cleaned = rules.post_text(text)
        quoted = _replied(topic, actor, reply_to_id, moderator)
    except rules.RuleError as error:
        raise refusal(error) from None
    if quoted is not None and quote_author:
        cleaned = rules.with_quote(
            rules.quote_block(_quote_header(quote_author, quoted.number), quoted.text), cleaned
        )
        if len(cleaned) > rules.POST_MAX_CHARS:
            raise refusal(rules.RuleError("too_long", "text", limit=rules.POST_MAX_CHARS))
    checked = attachments.check_files(attachments.present(files))
    number = _next_number(topic, now, moderator)
    if number is None:
        db.session.rollback()
        raise Conflict(_("The topic is locked: no new replies."))
    post = add_post(topic, actor, cleaned, number=number, now=now, reply_to_id=reply_to_id, checked=checked)
    audit.record(
        "forum.post_created",
        actor=actor,
        scope_type="forum",
        scope_id=topic.forum_id,
        object_type="forum_post",
        object_id=post.id,
        details={"topic_id": topic.id, "number": number},
    )
    db.session.commit()
    return post


def add_post(
    topic: Topic,
    actor: User,
    cleaned: str,
    *,
    number: int,
    now: datetime,
    reply_to_id: int | None = None,
    checked: Sequence[Any] = (),
) -> Post:
    """Write a post whose number the topic has just given, count it in the forum, store its files and
    announce it (the caller commits). Shared with opening a topic (number 1)."""
    post = Post(
        topic_id=topic.id,
        number=number,
        author_id=actor.id,
        reply_to_id=reply_to_id,
        text=cleaned,
        html=str(render_markdown_uncached(cleaned)),
        created_at=now,
    )
    db.session.add(post)
    db.session.flush()
    bump(topic_version_key(topic.id))
    search.index_post(post)
    attachments.attach(post.id, checked, actor.id)
    rows_changed(
        update(Forum)
        .where(Forum.id == topic.forum_id)
        .values(posts_count=Forum.posts_count + 1, last_post_at=now)
        .execution_options(synchronize_session=False)
    )
    forum = db.session.get(Forum, topic.forum_id)
    if forum is not None:
        db.session.refresh(forum)
        db.session.refresh(topic)
        _announce(post, topic, forum)
    return post


def edit_post(
    post: Post, topic: Topic, actor: User, text: Any, *, now: datetime, minutes: int = rules.EDIT_MINUTES
) -> Post:
    """The author's correction within `minutes` of posting (409 after, or once hidden or locked);
    the earlier text is kept as a PostRevision. Two edits at once: the second finds the text changed
    under it and is refused rather than silently losing the first."""
    if post.author_id != actor.id:
        raise Forbidden(_("Only the author can edit a post."))
    if post.hidden_at is not None:
        raise Conflict(_("A hidden post cannot be edited."))
    if topic.locked:
        raise Conflict(_("The topic is locked: its posts cannot be edited."))
    try:
        rules.check_edit_window(post.created_at, now, minutes)
    except rules.RuleError as error:
        raise conflict(error) from None
    try:
        cleaned = rules.post_text(text)
    except rules.RuleError as error:
        raise refusal(error) from None
    previous = post.text
    if cleaned == previous:
        return post
    html = str(render_markdown_uncached(cleaned))
    changed = rows_changed(
        update(Post)
        .where(Post.id == post.id, Post.text == previous, Post.hidden_at.is_(None))
        .values(text=cleaned, html=html, edited_at=now)
        .execution_options(synchronize_session=False)
    )
    if not changed:
        db.session.rollback()
        raise Conflict(_("The post has just been changed or hidden; reload the page."))
    db.session.add(PostRevision(post_id=post.id, text=previous, created_at=now))
    bump(topic_version_key(topic.id))
    search.index_post(post)  # found by its new words only
    notices.post_edited(post, topic, cleaned, html, previous)  # mentions linked again, new ones told
    audit.record(
        "forum.post_edited",
        actor=actor,
        scope_type="forum",
        scope_id=topic.forum_id,
        object_type="forum_post",
        object_id=post.id,
    )
    db.session.commit()
    db.session.refresh(post)
    return post


def quote_for(post: Post, author: str) -> str:
    """The Markdown a reply starts with when it quotes `post` (what the quote button puts in the
    reply box, for the writer to trim): a blockquote under «<author> wrote in post N:»."""
    return rules.quote_block(_quote_header(author, post.number), post.text)


def quotable(topic: Topic, post_id: int, viewer: User, moderator: bool) -> Post | None:
    """The post a reply may quote or answer: in this topic and visible to the viewer, else None."""
    try:
        return _replied(topic, viewer, post_id, moderator)
    except rules.RuleError:
        return None


def _replied(topic: Topic, actor: User, reply_to_id: int | None, moderator: bool) -> Post | None:
    """The post replied to; one the actor may not see (another topic's, hidden, an answer of a Q&A
    topic before their own) is refused the same way, so a reply cannot probe other posts."""
    if reply_to_id is None:
        return None
    post = db.session.get(Post, reply_to_id)
    if post is None or post.topic_id != topic.id:
        raise rules.RuleError("reply_to_unknown", "reply_to")
    if post.hidden_at is not None and not moderator and post.author_id != actor.id:
        raise rules.RuleError("reply_to_unknown", "reply_to")
    if post.number != 1 and post.author_id != actor.id and not _sees_answers(topic, actor, moderator):
        raise rules.RuleError("reply_to_unknown", "reply_to")
    return post


def _sees_answers(topic: Topic, actor: User, moderator: bool) -> bool:
    forum = db.session.get(Forum, topic.forum_id)
    qa = forum is not None and forum.kind == ForumKind.QA
    if not qa or moderator:
        return True
    return rules.sees_all_answers(
        qa=qa, moderator=moderator, has_own_answer=has_own_answer(topic.id, actor.id)
    )


def has_own_answer(topic_id: int, user_id: int) -> bool:
    """Whether the person has posted in the topic beyond its opening post."""
    found = db.session.scalar(
        select(Post.id).where(Post.topic_id == topic_id, Post.author_id == user_id, Post.number > 1).limit(1)
    )
    return found is not None


def _next_number(topic: Topic, now: datetime, moderator: bool) -> int | None:
    """The topic's next post number, taken atomically with its counters (None: locked meanwhile)."""
    statement = (
        update(Topic)
        .where(Topic.id == topic.id, Topic.hidden_at.is_(None))
        .values(last_number=Topic.last_number + 1, posts_count=Topic.posts_count + 1, last_post_at=now)
        .returning(Topic.last_number)
        .execution_options(synchronize_session=False)
    )
    if not moderator:
        statement = statement.where(Topic.locked.is_(False))
    number = db.session.execute(statement).scalar()
    return int(number) if number is not None else None


def _quote_header(author: str, number: int) -> str:
    return _("%(name)s wrote in post %(number)s:", name=author, number=number)


def _announce(post: Post, topic: Topic, forum: Forum) -> None:
    """The hooks every new post calls in its transaction: letters to subscribers, notifications."""
    delivery.post_created(post, topic, forum)
    notices.post_created(post, topic, forum)
