"""Forum pages: a forum's topics, a topic's posts, opening a topic, replying (with a quote), editing
within the window, a post's own link and its attached files. A forum one may not read is a 404, one
one may not write in a 403, a locked topic a 409; each page runs a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.after_response import after_response
from app.domain_errors import Conflict
from app.extensions import db
from app.forums import bp, topic_posts
from app.forums.forms import EditPostForm, ReplyForm, TopicForm
from app.forums.topic_access import (
    InTopic,
    Unreadable,
    attempt,
    author_labels,
    breadcrumbs,
    edit_minutes,
    form_page,
    load_forum,
    load_post,
    load_topic,
    may_reply,
    quote_label,
)
from app.i18n import _
from app.pagination import Page, page_args
from app.permissions import require
from app.permissions.forum_queue import moderates_any_forum
from app.timeutil import utcnow
from app.uploads import send_stored
from community.forums import moderation, posts, reading, topic_view, topics
from community.forums.models import Post, PostAttachment

TOPICS_PER_PAGE = 30
POSTS_PER_PAGE = 50


def post_url(post: Post) -> str:
    """A post's place: its topic's page it is on, at its anchor."""
    page = topic_view.page_of(post.number, POSTS_PER_PAGE)
    return (
        url_for("forums.topic", topic_id=post.topic_id, page=page if page > 1 else None)
        + f"#post-{post.number}"
    )


@bp.route("/<int:forum_id>")
@login_required
def forum(forum_id: int):  # type: ignore[no-untyped-def]
    found, access = _or_404(lambda: load_forum(forum_id, current_user))
    page, per_page = page_args(request.args, TOPICS_PER_PAGE, 100)
    listed = topics.forum_topics(found, page, per_page)
    unread = reading.unread_in_topics(current_user.id, [t.id for t in listed.items], now=utcnow())
    return render_template(
        "forums/forum.html",
        forum=found,
        access=access,
        page=listed,
        unread=unread,
        posts_per_page=POSTS_PER_PAGE,
        names=author_labels(found, access, [t.author for t in listed.items]),
        crumbs=breadcrumbs(found),
        queue=access.moderate or moderates_any_forum(current_user),
    )


@bp.route("/<int:forum_id>/topics/new", methods=["GET", "POST"])
@login_required
def new_topic(forum_id: int):  # type: ignore[no-untyped-def]
    found, access = _or_404(lambda: load_forum(forum_id, current_user))
    require(access.start_topic)
    form = TopicForm()
    status = 0
    if form.validate_on_submit():
        made, status = attempt(
            form,
            lambda: topics.open_topic(
                found,
                current_user,
                form.title.data,
                form.text.data,
                now=utcnow(),
                files=request.files.getlist("files"),
            ),
            "text",
        )
        if made is not None:
            flash(_("The topic is open."), "success")
            return redirect(url_for("forums.topic", topic_id=made[0].id))
    return form_page(form, _("New topic"), breadcrumbs(found), status, multipart=True)


@bp.route("/topics/<int:topic_id>")
@login_required
def topic(topic_id: int):  # type: ignore[no-untyped-def]
    where = _or_404(lambda: load_topic(topic_id, current_user))
    page, _per_page = page_args(request.args, POSTS_PER_PAGE, POSTS_PER_PAGE)
    replying = may_reply(where)
    now, minutes = utcnow(), edit_minutes()
    kept = topic_posts.shown_posts(
        where,
        viewer_id=current_user.id,
        page=page,
        per_page=POSTS_PER_PAGE,
        replying=replying,
        edit_minutes=minutes,
        now=now,
    )
    listing: Page[Any]
    if kept is not None:
        listing, numbers, context = kept.listing, kept.numbers, {"posts_html": kept.html, "withheld": 0}
        context["reply_html"] = topic_posts.reply_form(where.topic.id) if replying else None
    else:
        listing, numbers, context = _rendered_whole(where, page, now, minutes)
        context["form"] = ReplyForm() if replying else None
    _read_later(current_user.id, where.topic.id, max(numbers, default=0))
    return render_template(
        "forums/topic.html",
        where=where,
        listing=listing,
        crumbs=breadcrumbs(where.forum),
        **context,
    )


def _rendered_whole(
    where: InTopic, page: int, now: datetime, minutes: int
) -> tuple[Page[Any], list[int], dict[str, Any]]:
    """The posts for a reader who does not see them as every plain member does (a moderator, a Q&A
    topic, a blind forum, one's own hidden post): loaded and rendered for them alone."""
    shown = topic_view.topic_page(
        where.topic,
        kind=where.forum.kind,
        viewer_id=current_user.id,
        moderator=where.access.moderate,
        now=now,
        page=page,
        per_page=POSTS_PER_PAGE,
        edit_minutes=minutes,
    )
    views = shown.posts.items
    moderated = where.access.moderate
    context = {
        "views": views,
        "withheld": shown.withheld,
        "names": author_labels(where.forum, where.access, [view.post.author for view in views]),
        "reports": moderation.open_report_counts([view.post.id for view in views]) if moderated else {},
    }
    return shown.posts, [view.post.number for view in views], context


def _read_later(user_id: int, topic_id: int, highest: int) -> None:
    """Shown, so read: the mark moves up to the page's last post — written after the page is sent
    (a GET does not write), and only when it moves."""
    if highest > reading.mark_of(user_id, topic_id):
        after_response(lambda: _read(user_id, topic_id, highest))


def _read(user_id: int, topic_id: int, highest: int) -> None:
    reading.read_up_to(user_id, topic_id, highest)


@bp.route("/topics/<int:topic_id>/reply", methods=["GET", "POST"])
@login_required
def reply(topic_id: int):  # type: ignore[no-untyped-def]
    where = _or_404(lambda: load_topic(topic_id, current_user))
    require(where.access.write)
    if where.topic.locked and not where.access.moderate:
        raise Conflict(_("The topic is locked: no new replies."))
    form = ReplyForm()
    status = 0
    if request.method == "GET":
        _prefill(form, where)
    elif form.validate_on_submit():
        made, status = attempt(
            form,
            lambda: posts.reply(
                where.topic,
                current_user,
                form.text.data,
                now=utcnow(),
                reply_to_id=form.reply_to_id(),
                files=request.files.getlist("files"),
                moderator=where.access.moderate,
            ),
            "text",
        )
        if made is not None:
            flash(_("Your reply is published."), "success")
            return redirect(post_url(made))
    return form_page(form, _("Reply"), breadcrumbs(where.forum, where.topic), status, multipart=True)


@bp.route("/posts/<int:post_id>")
@login_required
def post(post_id: int):  # type: ignore[no-untyped-def]
    found, _where = _or_404(lambda: load_post(post_id, current_user))
    return redirect(post_url(found))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):  # type: ignore[no-untyped-def]
    found, where = _or_404(lambda: load_post(post_id, current_user))
    require(found.author_id == current_user.id)
    form = EditPostForm(data={"text": found.text} if request.method == "GET" else None)
    status = 0
    if form.validate_on_submit():
        done, status = attempt(
            form,
            lambda: posts.edit_post(
                found, where.topic, current_user, form.text.data, now=utcnow(), minutes=edit_minutes()
            ),
            "text",
        )
        if done is not None:
            flash(_("The post is saved."), "success")
            return redirect(post_url(done))
    return form_page(form, _("Edit post"), breadcrumbs(where.forum, where.topic), status)


@bp.route("/files/<int:attachment_id>")
@login_required
def attachment(attachment_id: int):  # type: ignore[no-untyped-def]
    row = db.get_or_404(PostAttachment, attachment_id)
    found, where = _or_404(lambda: load_post(row.post_id, current_user))
    if found.hidden_at is not None and found.author_id != current_user.id and not where.access.moderate:
        abort(404)
    return send_stored(row.stored)


def _prefill(form: ReplyForm, where: InTopic) -> None:
    """?quote=<post id> starts the reply with that post quoted; ?reply_to=<post id> only links it."""
    for key, quoting in (("quote", True), ("reply_to", False)):
        raw = request.args.get(key, "")
        if raw.isdigit() and len(raw) < 10:
            target = posts.quotable(where.topic, int(raw), current_user, where.access.moderate)
            if target is not None:
                form.reply_to.data = str(target.id)
                if quoting:
                    form.text.data = posts.quote_for(target, quote_label(where.forum, target))
                return


def _or_404(load: Callable[[], Any]) -> Any:
    try:
        return load()
    except Unreadable:
        abort(404)
