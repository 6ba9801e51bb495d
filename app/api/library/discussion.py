"""Library API: the discussion of a material — comments (threaded one level, edited within the
window, reported), the caller's rating and their "useful for me" bookmark."""

from __future__ import annotations

from typing import Any

from flask import g
from pydantic import Field, StrictInt, StrictStr

from app.api.core import Id, Strict, api_user, endpoint, not_found, page_params, paginated, require_api
from app.extensions import db
from app.permissions.library import (
    can_bookmark_material,
    can_comment_material,
    can_edit_comment,
    can_moderate_material,
    can_rate_material,
    can_report_comment,
    can_view_material,
)
from app.timeutil import utcnow
from community.library import bookmarks, comment_moderation, comments, ratings
from community.library.comment_threads import CommentView, comment_view, thread_page
from community.library.models import Material, MaterialComment

TAG = "library"


class CommentIn(Strict):
    text: StrictStr
    parent_id: Id | None = None


class CommentEditIn(Strict):
    text: StrictStr


class ReportIn(Strict):
    reason: StrictStr = ""


class HideIn(Strict):
    reason: StrictStr


class RatingIn(Strict):
    stars: StrictInt = Field(ge=1, le=5)


def _material(material_id: int, viewer: Any) -> Material:
    """The material, or a 404 for one the caller may not know exists (unpublished, not theirs)."""
    material = db.session.get(Material, material_id)
    if material is None or not can_view_material(viewer, material):
        raise not_found()
    return material


def _comment(comment_id: int, viewer: Any) -> tuple[MaterialComment, Material]:
    comment = db.session.get(MaterialComment, comment_id)
    if comment is None:
        raise not_found()
    return comment, _material(comment.material_id, viewer)


def comment_json(view: CommentView) -> dict[str, Any]:
    comment = view.comment
    return {
        "id": comment.id,
        "parent_id": comment.parent_id,
        "author": {"id": comment.author_id, "name": comment.author.full_name},
        "text": comment.text if view.show_text else "",
        "html": comment.html if view.show_text else "",
        "created_at": comment.created_at.isoformat(),
        "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
        "hidden": view.hidden,
        "hidden_reason": comment.hidden_reason if view.hidden and view.show_text else None,
        "editable_until": view.editable_until.isoformat() if view.editable else None,
        "replies": [comment_json(reply) for reply in view.replies],
    }


def _single(comment: MaterialComment, viewer: Any, moderator: bool) -> dict[str, Any]:
    db.session.refresh(comment, ["author"])
    return comment_json(comment_view(comment, viewer_id=viewer.id, moderator=moderator, now=utcnow()))


@endpoint(
    "/materials/<int:material_id>/comments",
    summary="A material's comment threads: top comments paginated, each with its replies",
    tag=TAG,
    public=True,
    query={"page": "integer", "per_page": "integer"},
)
def list_comments(material_id: int) -> Any:
    viewer = g.get("api_user")
    material = _material(material_id, viewer)
    page, per_page = page_params(default_per_page=20)
    threads = thread_page(
        material.id,
        viewer_id=viewer.id if viewer is not None else None,
        moderator=viewer is not None and can_moderate_material(viewer, material),
        now=utcnow(),
        page=page,
        per_page=per_page,
    )
    return paginated(threads, comment_json)


@endpoint(
    "/materials/<int:material_id>/comments",
    "POST",
    summary="Comment on a published material, or reply to a comment (a reply to a reply joins its thread)",
    tag=TAG,
    body=CommentIn,
    status=201,
)
def create_comment(material_id: int, body: CommentIn) -> Any:
    actor = api_user()
    material = _material(material_id, actor)
    require_api(can_comment_material(actor, material))
    comment = comments.post_comment(material, actor, body.text, parent_id=body.parent_id, now=utcnow())
    return _single(comment, actor, False), 201


@endpoint(
    "/comments/<int:comment_id>",
    "PATCH",
    summary="Correct one's own comment within 30 minutes of posting (409 after)",
    tag=TAG,
    body=CommentEditIn,
)
def edit_comment(comment_id: int, body: CommentEditIn) -> Any:
    actor = api_user()
    comment, _material_row = _comment(comment_id, actor)
    require_api(can_edit_comment(actor, comment.author_id))
    comments.edit_comment(comment, actor, body.text, now=utcnow())
    return _single(comment, actor, False)


@endpoint(
    "/comments/<int:comment_id>/report",
    "POST",
    summary="Report a comment to the moderators (once per person per comment; 409 the second time)",
    tag=TAG,
    body=ReportIn,
    status=201,
)
def report_comment(comment_id: int, body: ReportIn) -> Any:
    actor = api_user()
    comment, _material_row = _comment(comment_id, actor)
    require_api(can_report_comment(actor, comment.author_id))
    report = comment_moderation.report_comment(comment, actor, body.reason, now=utcnow())
    return {"id": report.id, "comment_id": comment_id}, 201


@endpoint(
    "/materials/<int:material_id>/rating",
    "PUT",
    summary="Rate a published material 1..5 stars (one rating per colleague; 403 for the author)",
    tag=TAG,
    body=RatingIn,
)
def rate(material_id: int, body: RatingIn) -> Any:
    actor = api_user()
    material = _material(material_id, actor)
    require_api(can_rate_material(actor, material))
    summary = ratings.rate_material(material, actor, body.stars, now=utcnow())
    return {
        "rating": float(summary.average) if summary.average is not None else None,
        "ratings_count": summary.count,
        "stars": body.stars,
    }


@endpoint(
    "/materials/<int:material_id>/bookmark",
    "PUT",
    summary="Mark a published material as useful for me (idempotent)",
    tag=TAG,
)
def put_bookmark(material_id: int) -> Any:
    return _bookmark(material_id, True)


@endpoint(
    "/materials/<int:material_id>/bookmark",
    "DELETE",
    summary="Remove a material from my bookmarks (idempotent)",
    tag=TAG,
)
def delete_bookmark(material_id: int) -> Any:
    return _bookmark(material_id, False)


@endpoint(
    "/comments/<int:comment_id>/hide",
    "POST",
    summary="Hide a comment with a reason (the material's moderators); others then see it as hidden",
    tag=TAG,
    body=HideIn,
)
def hide_comment(comment_id: int, body: HideIn) -> Any:
    actor = api_user()
    comment, material = _comment(comment_id, actor)
    require_api(can_moderate_material(actor, material))
    comment_moderation.hide_comment(comment, actor, body.reason, now=utcnow())
    return _single(comment, actor, True)


def _bookmark(material_id: int, on: bool) -> dict[str, Any]:
    actor = api_user()
    material = _material(material_id, actor)
    require_api(can_bookmark_material(actor, material))
    bookmarked = bookmarks.set_bookmark(material, actor, on, now=utcnow())
    db.session.refresh(material)
    return {"bookmarked": bookmarked, "bookmarks_count": material.bookmarks_count}
