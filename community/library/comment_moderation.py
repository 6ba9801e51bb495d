"""Methodical library: a reader reports a comment to the moderators (once per person per comment),
a moderator hides it with a reason. Hiding is a conditional UPDATE, so two moderators at once hide
it once and comments_count (visible comments) drops by exactly one; hiding resolves its reports."""

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
from app.i18n import _, force_locale
from app.pagination import Page, paginate
from community.library import discussion_rules as rules
from community.library.messages import refusal
from community.library.models import CATALOGUE_VERSION, CommentReport, Material, MaterialComment
from community.notices.delivery import tell
from community.notices.kinds import Kind
from community.rules import RuleError


def report_comment(comment: MaterialComment, actor: User, reason: Any, *, now: datetime) -> CommentReport:
    """Tell the moderators; a second report by the same person is a 409 (the unique row decides)."""
    if comment.author_id == actor.id:
        raise Forbidden(_("You cannot report your own comment."))
    if comment.hidden_at is not None:
        raise Conflict(_("This comment is already hidden by a moderator."))
    try:
        cleaned = rules.reason_text(reason, required=False)
    except RuleError as error:
        raise refusal(error) from None
    report = CommentReport(comment_id=comment.id, reporter_id=actor.id, reason=cleaned, created_at=now)
    if not added(report):
        db.session.rollback()
        raise Conflict(_("You have already reported this comment.")) from None
    audit.record(
        "library.comment_reported",
        actor=actor,
        scope_type="material",
        scope_id=comment.material_id,
        object_type="material_comment",
        object_id=comment.id,
        reason=cleaned,
    )
    db.session.commit()
    return report


def hide_comment(comment: MaterialComment, actor: User, reason: Any, *, now: datetime) -> MaterialComment:
    """Hide with a reason (the caller has checked that the actor moderates the material)."""
    try:
        cleaned = rules.reason_text(reason, required=True)
    except RuleError as error:
        raise refusal(error) from None
    hidden = rows_changed(
        update(MaterialComment)
        .where(MaterialComment.id == comment.id, MaterialComment.hidden_at.is_(None))
        .values(hidden_at=now, hidden_reason=cleaned, hidden_by_id=actor.id)
    )
    if not hidden:
        db.session.rollback()
        raise Conflict(_("This comment is already hidden by a moderator."))
    rows_changed(
        update(Material)
        .where(Material.id == comment.material_id, Material.comments_count > 0)
        .values(comments_count=Material.comments_count - 1)
    )
    bump(CATALOGUE_VERSION)  # the cards show the number of comments
    rows_changed(
        update(CommentReport)
        .where(CommentReport.comment_id == comment.id, CommentReport.resolved_at.is_(None))
        .values(resolved_at=now, resolved_by_id=actor.id)
    )
    audit.record(
        "library.comment_hidden",
        actor=actor,
        scope_type="material",
        scope_id=comment.material_id,
        object_type="material_comment",
        object_id=comment.id,
        reason=cleaned,
    )
    _tell_author(comment, cleaned)
    db.session.commit()
    db.session.refresh(comment)
    return comment


def _tell_author(comment: MaterialComment, reason: str) -> None:
    """The comment's author hears that a moderator hid it, and why (kind: moderation)."""
    author = db.session.get(User, comment.author_id)
    if author is None:
        return
    with force_locale(author.locale or "ru"):
        note = _("A moderator hid your comment on a library material: %(reason)s", reason=reason)
        subject = _("Your comment was hidden")
    tell(
        author,
        Kind.MODERATION,
        note,
        f"/library/materials/{comment.material_id}#comment-{comment.id}",
        subject=subject,
    )


def dismiss_reports(comment: MaterialComment, actor: User, *, now: datetime) -> int:
    """A moderator finds the reports unfounded: they are resolved and the comment stays visible."""
    resolved = rows_changed(
        update(CommentReport)
        .where(CommentReport.comment_id == comment.id, CommentReport.resolved_at.is_(None))
        .values(resolved_at=now, resolved_by_id=actor.id)
    )
    if not resolved:
        db.session.rollback()
        raise Conflict(_("This comment has no open reports."))
    audit.record(
        "library.comment_reports_dismissed",
        actor=actor,
        scope_type="material",
        scope_id=comment.material_id,
        object_type="material_comment",
        object_id=comment.id,
        details={"reports": resolved},
    )
    db.session.commit()
    return resolved


@dataclass
class ReportedComment:
    comment: MaterialComment
    material_title: str
    reports: int
    reasons: list[str]


def reported_comments(association_ids: list[int] | None, page: int, per_page: int) -> Page[ReportedComment]:
    """Visible comments with open reports, oldest report first, for the moderator's shelf: every
    material (None) or those filed under the given associations; three queries a page."""
    first = func.min(CommentReport.created_at)
    query: Any = (
        select(MaterialComment.id, Material.title, func.count(CommentReport.id), first)
        .join(CommentReport, CommentReport.comment_id == MaterialComment.id)
        .join(Material, Material.id == MaterialComment.material_id)
        .where(CommentReport.resolved_at.is_(None), MaterialComment.hidden_at.is_(None))
        .group_by(MaterialComment.id, Material.title)
        .order_by(first, MaterialComment.id)
    )
    if association_ids is not None:
        query = query.where(Material.association_id.in_(association_ids))
    rows = paginate(query, page, per_page, scalars=False)
    ids = [row[0] for row in rows.items]
    loaded = (
        {
            c.id: c
            for c in db.session.scalars(
                select(MaterialComment)
                .where(MaterialComment.id.in_(ids))
                .options(joinedload(MaterialComment.author))
            )
        }
        if ids
        else {}
    )
    reasons: dict[int, list[str]] = {}
    if ids:
        for comment_id, reason in db.session.execute(
            select(CommentReport.comment_id, CommentReport.reason)
            .where(
                CommentReport.comment_id.in_(ids),
                CommentReport.resolved_at.is_(None),
                CommentReport.reason != "",
            )
            .order_by(CommentReport.created_at)
        ):
            reasons.setdefault(comment_id, []).append(reason)
    items = [ReportedComment(loaded[row[0]], row[1], row[2], reasons.get(row[0], [])) for row in rows.items]
    return Page(items=items, page=rows.page, per_page=rows.per_page, total=rows.total)


def open_report_counts(comment_ids: list[int]) -> dict[int, int]:
    """Unresolved reports per comment, for a moderator's view of a page of comments (one query)."""
    if not comment_ids:
        return {}
    rows = db.session.execute(
        select(CommentReport.comment_id, func.count())
        .where(CommentReport.comment_id.in_(comment_ids), CommentReport.resolved_at.is_(None))
        .group_by(CommentReport.comment_id)
    )
    return {comment_id: count for comment_id, count in rows}
