"""Forums: a reader reports a post to the moderators (once per person per post), a moderator hides it
with a reason or dismisses the reports, and the queue of reported posts in a moderator's forums.

Hiding is a conditional UPDATE (`… WHERE hidden_at IS NULL`), so two moderators at once hide a post
once and the visible-post counters of its topic and forum drop by exactly one. A hidden post keeps
its number and place; readers see «скрыто модератором», while search and digests leave it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.domain_errors import Conflict, Forbidden
from app.extensions import added, db, rows_changed
from app.i18n import _
from app.pagination import Page, paginate
from community.forums import notices, search
from community.forums import posting_rules as rules
from community.forums.messages import refusal
from community.forums.models import Forum, Post, PostReport, Topic, topic_version_key


def report_post(post: Post, topic: Topic, actor: User, reason: Any, *, now: datetime) -> PostReport:
    """Tell the moderators; a second report by the same person is a 409 (the unique row decides)."""
    if post.author_id == actor.id:
        raise Forbidden(_("You cannot report your own post."))
    if post.hidden_at is not None:
        raise Conflict(_("This post is already hidden by a moderator."))
    try:
        cleaned = rules.reason_text(reason, required=False)
    except rules.RuleError as error:
        raise refusal(error) from None
    report = PostReport(post_id=post.id, reporter_id=actor.id, reason=cleaned, created_at=now)
    if not added(report):
        db.session.rollback()
        raise Conflict(_("You have already reported this post.")) from None
    _record("forum.post_reported", actor, topic, post, cleaned)
    db.session.commit()
    return report


def hide_post(post: Post, topic: Topic, actor: User, reason: Any, *, now: datetime) -> Post:
    """Hide with a reason (the caller has checked that the actor moderates the forum); its open
    reports are resolved with it."""
    try:
        cleaned = rules.reason_text(reason, required=True)
    except rules.RuleError as error:
        raise refusal(error) from None
    hidden = rows_changed(
        update(Post)
        .where(Post.id == post.id, Post.hidden_at.is_(None))
        .values(hidden_at=now, hidden_reason=cleaned, hidden_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    if not hidden:
        db.session.rollback()
        raise Conflict(_("This post is already hidden by a moderator."))
    search.index_post(post)  # never found again
    bump(topic_version_key(topic.id))
    rows_changed(
        update(Topic)
        .where(Topic.id == topic.id, Topic.posts_count > 0)
        .values(posts_count=Topic.posts_count - 1)
        .execution_options(synchronize_session=False)
    )
    rows_changed(
        update(Forum)
        .where(Forum.id == topic.forum_id, Forum.posts_count > 0)
        .values(posts_count=Forum.posts_count - 1)
        .execution_options(synchronize_session=False)
    )
    _resolve(post, actor, now)
    _record("forum.post_hidden", actor, topic, post, cleaned)
    notices.post_hidden(post, topic, cleaned)  # its author hears of it (kind: moderation)
    db.session.commit()
    db.session.refresh(post)
    return post


def dismiss_reports(post: Post, topic: Topic, actor: User, *, now: datetime) -> int:
    """A moderator finds the reports unfounded: they are resolved and the post stays visible."""
    resolved = _resolve(post, actor, now)
    if not resolved:
        db.session.rollback()
        raise Conflict(_("This post has no open reports."))
    _record("forum.post_reports_dismissed", actor, topic, post, "")
    db.session.commit()
    return resolved


@dataclass
class ReportedPost:
    post: Post
    topic_id: int
    topic_title: str
    forum_id: int
    forum_title: str
    reports: int
    reasons: list[str]


def reported_posts(forum_ids: Any, page: int, per_page: int) -> Page[ReportedPost]:
    """Visible posts with open reports, oldest report first, in the given forums (a list or a query
    of ids; None for every forum): four queries a page whatever the queue's length."""
    first = func.min(PostReport.created_at)
    query: Any = (
        select(Post.id, Topic.id, Topic.title, Forum.id, Forum.title, func.count(PostReport.id), first)
        .join(PostReport, PostReport.post_id == Post.id)
        .join(Topic, Topic.id == Post.topic_id)
        .join(Forum, Forum.id == Topic.forum_id)
        .where(PostReport.resolved_at.is_(None), Post.hidden_at.is_(None))
        .group_by(Post.id, Topic.id, Topic.title, Forum.id, Forum.title)
        .order_by(first, Post.id)
    )
    if forum_ids is not None:
        query = query.where(Forum.id.in_(forum_ids))
    rows = paginate(query, page, per_page, scalars=False)
    ids = [row[0] for row in rows.items]
    posts = (
        {
            p.id: p
            for p in db.session.scalars(select(Post).where(Post.id.in_(ids)).options(joinedload(Post.author)))
        }
        if ids
        else {}
    )
    reasons: dict[int, list[str]] = {}
    if ids:
        for post_id, reason in db.session.execute(
            select(PostReport.post_id, PostReport.reason)
            .where(PostReport.post_id.in_(ids), PostReport.resolved_at.is_(None), PostReport.reason != "")
            .order_by(PostReport.created_at)
        ):
            reasons.setdefault(post_id, []).append(reason)
    items = [
        ReportedPost(posts[row[0]], row[1], row[2], row[3], row[4], row[5], reasons.get(row[0], []))
        for row in rows.items
    ]
    return Page(items=items, page=rows.page, per_page=rows.per_page, total=rows.total)


def open_report_counts(post_ids: list[int]) -> dict[int, int]:
    """Unresolved reports per post, for a moderator's view of a page of posts (one query)."""
    if not post_ids:
        return {}
    rows = db.session.execute(
        select(PostReport.post_id, func.count())
        .where(PostReport.post_id.in_(post_ids), PostReport.resolved_at.is_(None))
        .group_by(PostReport.post_id)
    )
    return {post_id: count for post_id, count in rows}


def _resolve(post: Post, actor: User, now: datetime) -> int:
    return rows_changed(
        update(PostReport)
        .where(PostReport.post_id == post.id, PostReport.resolved_at.is_(None))
        .values(resolved_at=now, resolved_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )


def _record(action: str, actor: User, topic: Topic, post: Post, reason: str) -> None:
    audit.record(
        action,
        actor=actor,
        scope_type="forum",
        scope_id=topic.forum_id,
        object_type="forum_post",
        object_id=post.id,
        reason=reason,
        details={"topic_id": topic.id, "number": post.number},
    )
