"""Methodical library: a page of a material's comment threads for a reader — top comments paginated
(oldest first, like a conversation), each with all its replies — in three queries at any size.
A hidden comment keeps its place in the thread; what a reader sees of it is decided here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.pagination import Page, paginate
from community.library import discussion_rules as rules
from community.library.models import MaterialComment


@dataclass
class CommentView:
    """One comment as this reader may see it."""

    comment: MaterialComment
    hidden: bool
    show_text: bool  # false for a hidden comment unless the reader moderates or wrote it
    editable: bool
    editable_until: datetime
    replies: list[CommentView] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.comment.id


def thread_page(
    material_id: int, *, viewer_id: int | None, moderator: bool, now: datetime, page: int, per_page: int
) -> Page[CommentView]:
    """The requested page of top comments with their replies and authors loaded."""
    tops_query = (
        select(MaterialComment)
        .where(MaterialComment.material_id == material_id, MaterialComment.parent_id.is_(None))
        .options(joinedload(MaterialComment.author))
        .order_by(MaterialComment.created_at, MaterialComment.id)
    )
    tops = paginate(tops_query, page, per_page)
    replies: dict[int, list[MaterialComment]] = {}
    if tops.items:
        rows = db.session.scalars(
            select(MaterialComment)
            .where(MaterialComment.parent_id.in_([c.id for c in tops.items]))
            .options(joinedload(MaterialComment.author))
            .order_by(MaterialComment.created_at, MaterialComment.id)
        )
        for reply in rows:
            assert reply.parent_id is not None
            replies.setdefault(reply.parent_id, []).append(reply)

    items = []
    for top in tops.items:
        item = comment_view(top, viewer_id=viewer_id, moderator=moderator, now=now)
        item.replies = [
            comment_view(reply, viewer_id=viewer_id, moderator=moderator, now=now)
            for reply in replies.get(top.id, [])
        ]
        items.append(item)
    return Page(items=items, page=tops.page, per_page=tops.per_page, total=tops.total)


def comment_view(
    comment: MaterialComment, *, viewer_id: int | None, moderator: bool, now: datetime
) -> CommentView:
    """What this reader sees of one comment: a hidden one's text only if they moderate or wrote it."""
    hidden = comment.hidden_at is not None
    mine = viewer_id is not None and comment.author_id == viewer_id
    return CommentView(
        comment=comment,
        hidden=hidden,
        show_text=not hidden or moderator or mine,
        editable=mine and not hidden and rules.within_edit_window(comment.created_at, now),
        editable_until=rules.may_edit_until(comment.created_at),
    )
