"""Forum pages for keeping order: a reader reports a post; the forum's moderators hide it with a reason,
dismiss its reports, pin and lock topics, and work through the queue of reported posts in the
forums they moderate."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.forums import bp
from app.forums.forms import HideForm, ReportForm
from app.forums.topic_access import Unreadable, attempt, breadcrumbs, form_page, load_post, load_topic
from app.forums.topics import post_url
from app.i18n import _
from app.main.forms import EmptyForm
from app.pagination import page_args
from app.permissions import require
from app.permissions.forum_queue import moderated_forum_ids, moderates_any_forum
from app.timeutil import utcnow
from app.view_actions import act
from community.forums import moderation, topics


@bp.route("/posts/<int:post_id>/report", methods=["GET", "POST"])
@login_required
def report_post(post_id: int):  # type: ignore[no-untyped-def]
    found, where = _post(post_id)
    require(found.author_id != current_user.id)
    form = ReportForm()
    status = 0
    if form.validate_on_submit():
        done, status = attempt(
            form,
            lambda: moderation.report_post(found, where.topic, current_user, form.reason.data, now=utcnow()),
            "reason",
        )
        if done is not None:
            flash(_("Thank you: the moderators will look at this post."), "success")
            return redirect(post_url(found))
    return form_page(form, _("Report a post"), breadcrumbs(where.forum, where.topic), status)


@bp.route("/posts/<int:post_id>/hide", methods=["GET", "POST"])
@login_required
def hide_post(post_id: int):  # type: ignore[no-untyped-def]
    found, where = _post(post_id)
    require(where.access.moderate)
    form = HideForm()
    status = 0
    if form.validate_on_submit():
        done, status = attempt(
            form,
            lambda: moderation.hide_post(found, where.topic, current_user, form.reason.data, now=utcnow()),
            "reason",
        )
        if done is not None:
            flash(_("The post is hidden."), "success")
            return redirect(post_url(found))
    return form_page(form, _("Hide a post"), breadcrumbs(where.forum, where.topic), status)


@bp.route("/posts/<int:post_id>/dismiss", methods=["POST"])
@login_required
def dismiss_reports(post_id: int):  # type: ignore[no-untyped-def]
    found, where = _post(post_id)
    require(where.access.moderate)
    return act(
        lambda: moderation.dismiss_reports(found, where.topic, current_user, now=utcnow()),
        done=_("The reports are dismissed; the post stays."),
        then=request.form.get("back") == "queue" and url_for("forums.reports") or post_url(found),
    )


@bp.route("/topics/<int:topic_id>/<any(pin, unpin, lock, unlock):action>", methods=["POST"])
@login_required
def topic_state(topic_id: int, action: str):  # type: ignore[no-untyped-def]
    try:
        where = load_topic(topic_id, current_user)
    except Unreadable:
        abort(404)
    require(where.access.moderate)
    messages = {
        "pin": _("The topic is pinned."),
        "unpin": _("The topic is unpinned."),
        "lock": _("The topic is locked."),
        "unlock": _("The topic is open again."),
    }
    if action in ("pin", "unpin"):
        call = lambda: topics.set_pinned(where.topic, current_user, action == "pin")  # noqa: E731
    else:
        call = lambda: topics.set_locked(where.topic, current_user, action == "lock")  # noqa: E731
    return act(call, done=messages[action], then=url_for("forums.topic", topic_id=topic_id))


@bp.route("/reports")
@login_required
def reports():  # type: ignore[no-untyped-def]
    require(moderates_any_forum(current_user))
    page, per_page = page_args(request.args, 20, 100)
    queue = moderation.reported_posts(moderated_forum_ids(current_user), page, per_page)
    return render_template("forums/reports.html", page=queue, form=EmptyForm(), post_url=post_url)


def _post(post_id: int):  # type: ignore[no-untyped-def]
    try:
        return load_post(post_id, current_user)
    except Unreadable:
        abort(404)
