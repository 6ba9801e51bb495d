"""Methodical library: colleagues' comments under a material — post (or reply, one level deep) and
edit within the window. The material's comments_count counts visible comments and is changed by
atomic UPDATEs only; the material's author is told of each new comment in the app."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.domain_errors import Conflict, Forbidden
from app.extensions import db, rows_changed
from app.i18n import _, force_locale
from app.markdown import render_markdown_uncached
from community.library import discussion_rules as rules
from community.library.messages import refusal, text
from community.library.models import CATALOGUE_VERSION, Material, MaterialComment, MaterialStatus
from community.notices.delivery import tell
from community.notices.kinds import Kind
from community.rules import RuleError


def post_comment(
    material: Material, actor: User, body: Any, *, parent_id: int | None = None, now: datetime
) -> MaterialComment:
    """A new comment, or a reply attached to its thread's top comment (see rules.thread_root)."""
    if material.status != MaterialStatus.PUBLISHED:
        raise Conflict(_("Only a published material can be discussed."))
    try:
        cleaned = rules.comment_text(body)
        root_id = rules.thread_root(material.id, parent_id, _parent_facts(parent_id))
    except RuleError as error:
        raise refusal(error) from None
    comment = MaterialComment(
        material_id=material.id,
        author_id=actor.id,
        parent_id=root_id,
        text=cleaned,
        html=str(render_markdown_uncached(cleaned)),
        created_at=now,
    )
    db.session.add(comment)
    db.session.flush()
    rows_changed(
        update(Material).where(Material.id == material.id).values(comments_count=Material.comments_count + 1)
    )
    bump(CATALOGUE_VERSION)  # the cards show the number of comments
    _tell(material, comment, actor, root_id)
    audit.record(
        "library.comment_posted",
        actor=actor,
        scope_type="material",
        scope_id=material.id,
        object_type="material_comment",
        object_id=comment.id,
    )
    db.session.commit()
    return comment


def edit_comment(comment: MaterialComment, actor: User, body: Any, *, now: datetime) -> MaterialComment:
    """The author's correction within the edit window; the earlier text stays in the audit log."""
    if comment.author_id != actor.id:
        raise Forbidden(_("Only the author can edit a comment."))
    if comment.hidden_at is not None:
        raise Conflict(_("A hidden comment cannot be edited."))
    try:
        rules.check_edit_window(comment.created_at, now)
    except RuleError as error:
        message = text(error)
        raise Conflict(message, {error.field: message}) from None
    try:
        cleaned = rules.comment_text(body)
    except RuleError as error:
        raise refusal(error) from None
    previous = comment.text
    if cleaned != previous:
        comment.text = cleaned
        comment.html = str(render_markdown_uncached(cleaned))
        comment.edited_at = now
        audit.record(
            "library.comment_edited",
            actor=actor,
            scope_type="material",
            scope_id=comment.material_id,
            object_type="material_comment",
            object_id=comment.id,
            details={"previous_text": previous},
        )
    db.session.commit()
    return comment


def comment_of(comment_id: int) -> MaterialComment | None:
    return db.session.get(MaterialComment, comment_id)


def _parent_facts(parent_id: int | None) -> rules.ParentFacts | None:
    if parent_id is None:
        return None
    row = db.session.execute(
        select(MaterialComment.material_id, MaterialComment.parent_id).where(MaterialComment.id == parent_id)
    ).first()
    return rules.ParentFacts(material_id=row[0], parent_id=row[1]) if row else None


def _tell(material: Material, comment: MaterialComment, actor: User, root_id: int | None) -> None:
    """The material's author hears of every comment; a thread's starter hears of replies to it."""
    link = f"/library/materials/{material.id}#comment-{comment.id}"
    told: set[int] = {actor.id}
    if material.author_id not in told:
        told.add(material.author_id)
        author = db.session.get(User, material.author_id)
        with force_locale(author.locale if author else None):
            note = _(
                "%(name)s commented on your material “%(title)s”.", name=actor.full_name, title=material.title
            )
        if author is not None:
            tell(author, Kind.MATERIAL_COMMENTED, note, link)
    if root_id is None:
        return
    starter = db.session.scalar(
        select(User)
        .join(MaterialComment, MaterialComment.author_id == User.id)
        .where(MaterialComment.id == root_id)
    )
    if starter is not None and starter.id not in told:
        with force_locale(starter.locale):
            note = _(
                "%(name)s replied to your comment on “%(title)s”.", name=actor.full_name, title=material.title
            )
        tell(starter, Kind.REPLY, note, link)
