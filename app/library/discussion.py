"""Methodical library pages for colleagues discussing a material: comment or reply, edit within the
window, report, hide (moderators), rate, bookmark, "my bookmarks"; and `discussion_context`, what the
material page's discussion part shows, in a fixed number of queries whatever the comments' number."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.extensions import db
from app.forms_common import form_status
from app.i18n import _, ngettext
from app.library import bp
from app.library.discussion_forms import (
    BookmarkForm,
    CommentForm,
    EditCommentForm,
    HideForm,
    RatingForm,
    ReportForm,
)
from app.pagination import page_args
from app.permissions import require
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
from app.view_actions import submit
from community.library import bookmarks, comment_moderation, comments, discussion_rules, ratings
from community.library.comment_threads import thread_page
from community.library.models import Material, MaterialComment

COMMENTS_PER_PAGE = 20


def material_page(material_id: int, anchor: str = "discussion") -> str:
    """The material's page (the material views' /library/materials/<id>), at a place in it."""
    return f"{bp.url_prefix}/materials/{material_id}#{anchor}"


def discussion_context(material: Material, user: Any) -> dict[str, Any]:
    """Everything templates/library/_discussion.html reads, as `discussion`; about seven queries."""
    signed_in = bool(getattr(user, "is_authenticated", False))
    moderator = signed_in and can_moderate_material(user, material)
    page, _per_page = page_args({"page": request.args.get("comments_page", 1)}, COMMENTS_PER_PAGE)
    threads = thread_page(
        material.id,
        viewer_id=user.id if signed_in else None,
        moderator=moderator,
        now=utcnow(),
        page=page,
        per_page=COMMENTS_PER_PAGE,
    )
    ids = [view.id for view in threads.items] + [r.id for view in threads.items for r in view.replies]
    average = discussion_rules.average(material.rating_sum, material.ratings_count)
    return {
        "material": material,
        "threads": threads,
        "moderator": moderator,
        "report_counts": comment_moderation.open_report_counts(ids) if moderator else {},
        "can_comment": signed_in and can_comment_material(user, material),
        "can_rate": signed_in and can_rate_material(user, material),
        "can_bookmark": signed_in and can_bookmark_material(user, material),
        "signed_in": signed_in,
        "viewer_id": user.id if signed_in else None,
        "my_stars": ratings.my_stars(material.id, user) if signed_in else None,
        "bookmarked": bookmarks.is_bookmarked(material.id, user) if signed_in else False,
        "rating_text": rating_text(average, material.ratings_count),
        "filled_stars": discussion_rules.filled_stars(average),
        "max_chars": discussion_rules.COMMENT_MAX_CHARS,
    }


def rating_text(average: Any, count: int) -> str:
    """«4,67 из 5 (3 оценки)» in the reader's locale, or «Оценок пока нет»."""
    if average is None:
        return _("No ratings yet")
    shown = format_decimal(average, format="0.##")
    return ngettext(
        "%(rating)s out of 5 (%(num)d rating)", "%(rating)s out of 5 (%(num)d ratings)", count, rating=shown
    )


def _material(material_id: int) -> Material:
    material = db.get_or_404(Material, material_id)
    require_visible(material)
    return material


def require_visible(material: Material) -> None:
    """An unpublished material is a 404 for whoever may not see it (its existence is not told)."""
    if not can_view_material(current_user, material):
        abort(404)


def _comment(comment_id: int) -> tuple[MaterialComment, Material]:
    comment = db.get_or_404(MaterialComment, comment_id)
    return comment, _material(comment.material_id)


def _form_page(  # type: ignore[no-untyped-def]
    form: FlaskForm, title: str, material: Material, comment: MaterialComment | None = None, status: int = 0
):
    """A discussion form on a page of its own: to fill in, or again with the refusal by its field."""
    return render_template(
        "library/discussion_form.html",
        form=form,
        title=title,
        material=material,
        comment=comment,
        back=material_page(material.id, f"comment-{comment.id}" if comment else "discussion"),
    ), status or form_status(form)


@bp.route("/materials/<int:material_id>/comments", methods=["GET", "POST"])
@login_required
def comment_post(material_id: int):  # type: ignore[no-untyped-def]
    material = _material(material_id)
    require(can_comment_material(current_user, material))
    form = CommentForm()
    if request.method == "POST" and form.validate_on_submit():
        done = submit(
            form,
            lambda: comments.post_comment(
                material, current_user, form.text.data, parent_id=form.parent(), now=utcnow()
            ),
            done=_("Your comment is published."),
            then=lambda comment: material_page(material.id, f"comment-{comment.id}"),
            field="text",
        )
        if done:
            return done
    elif request.method == "GET":
        form.parent_id.data = request.args.get("reply_to", "")
    return _form_page(form, _("Comment"), material)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def comment_edit(comment_id: int):  # type: ignore[no-untyped-def]
    comment, material = _comment(comment_id)
    require(can_edit_comment(current_user, comment.author_id))
    form = EditCommentForm(data={"text": comment.text} if request.method == "GET" else None)
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: comments.edit_comment(comment, current_user, form.text.data, now=utcnow()),
            done=_("Comment saved."),
            then=material_page(material.id, f"comment-{comment.id}"),
            field="text",
        )
        if done:
            return done
        # Past the window (or hidden meanwhile) the state refuses, not the text: a 409 like the API's.
        closed = comment.hidden_at is not None or not discussion_rules.within_edit_window(
            comment.created_at, utcnow()
        )
        return _form_page(form, _("Edit comment"), material, comment, status=409 if closed else 0)
    return _form_page(form, _("Edit comment"), material, comment)


@bp.route("/comments/<int:comment_id>/report", methods=["GET", "POST"])
@login_required
def comment_report(comment_id: int):  # type: ignore[no-untyped-def]
    comment, material = _comment(comment_id)
    require(can_report_comment(current_user, comment.author_id))
    form = ReportForm()
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: comment_moderation.report_comment(comment, current_user, form.reason.data, now=utcnow()),
            done=_("Thank you: the moderators will look at this comment."),
            then=material_page(material.id, f"comment-{comment.id}"),
            field="reason",
        )
        if done:
            return done
    return _form_page(form, _("Report a comment"), material, comment)


@bp.route("/comments/<int:comment_id>/hide", methods=["GET", "POST"])
@login_required
def comment_hide(comment_id: int):  # type: ignore[no-untyped-def]
    comment, material = _comment(comment_id)
    require(can_moderate_material(current_user, material))
    form = HideForm()
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: comment_moderation.hide_comment(comment, current_user, form.reason.data, now=utcnow()),
            done=_("The comment is hidden."),
            then=material_page(material.id, f"comment-{comment.id}"),
            field="reason",
        )
        if done:
            return done
    return _form_page(form, _("Hide a comment"), material, comment)


@bp.route("/materials/<int:material_id>/rating", methods=["POST"])
@login_required
def rate(material_id: int):  # type: ignore[no-untyped-def]
    material = _material(material_id)
    require(can_rate_material(current_user, material))
    form = RatingForm()
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: ratings.rate_material(material, current_user, form.value(), now=utcnow()),
            done=_("Thank you for your rating."),
            then=material_page(material.id, "rating"),
            field="stars",
        )
        if done:
            return done
    return _form_page(form, _("Rate the material"), material)


@bp.route("/materials/<int:material_id>/bookmark", methods=["POST"])
@login_required
def bookmark(material_id: int) -> Response:
    material = _material(material_id)
    require(can_bookmark_material(current_user, material))
    form = BookmarkForm()  # the CSRF token is checked app-wide before the view runs
    on = form.on.data != "0"
    bookmarks.set_bookmark(material, current_user, on, now=utcnow())
    flash(_("Added to your bookmarks.") if on else _("Removed from your bookmarks."), "success")
    if form.back.data == "bookmarks":
        return redirect(url_for("library.my_bookmarks"))
    return redirect(material_page(material.id, "rating"))


@bp.route("/bookmarks")
@login_required
def my_bookmarks():  # type: ignore[no-untyped-def]
    page, per_page = page_args(request.args, default_per_page=20, max_per_page=100)
    found = bookmarks.my_bookmarks(current_user, page, per_page)
    return render_template(
        "library/bookmarks.html",
        page=found,
        material_url=material_page,
        rating_text=lambda m: rating_text(
            discussion_rules.average(m.rating_sum, m.ratings_count), m.ratings_count
        ),
        bookmark_url=lambda m: url_for("library.bookmark", material_id=m.id),
    )
