"""Forum pages: search over posts (/forums/search?q=&scope=) and the read-mark buttons — a topic, a
forum, a place's forums, or all of one's forums marked read (POST, CSRF-checked app-wide).

Search looks only in forums the viewer may read: all of the forums of the places they belong to (the
forum index's list), or one forum or one place they may read (else a 404); hidden posts are never
found (community.forums.search), nor, in a Q&A forum, the answers the viewer may not see yet.
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request, url_for
from flask_babel import format_number
from flask_login import current_user, login_required

from app.extensions import db
from app.forums import bp
from app.forums.place_lookup import find_place, my_forums_query, place_titles, readable_forums
from app.forums.topic_access import Unreadable, author_labels, load_forum, load_topic
from app.i18n import _
from app.pagination import page_args
from app.permissions import forums as can
from app.timeutil import utcnow
from app.view_actions import act
from community.forums import reading, search
from community.forums import search_rules as rules
from community.forums.messages import text as message_text
from community.forums.models import Forum, ForumKind, ForumScope
from community.rules import RuleError

RESULTS_PER_PAGE = 20


@bp.route("/search")
@login_required
def search_page():  # type: ignore[no-untyped-def]
    errors: dict[str, str] = {}
    q, scope = "", None
    try:
        q = rules.search_query(request.args.get("q", ""))
    except RuleError as error:
        errors[error.field] = message_text(error)
    try:
        scope = rules.search_scope(request.args.get("scope", ""))
    except RuleError as error:
        errors[error.field] = message_text(error)
    if errors:
        raw_q = request.args.get("q", "")[: rules.MAX_QUERY_CHARS]
        return _render(raw_q, None, "", errors=errors), 422
    forums, where = _forums_in(scope)
    query = search.text_query(q) if q else None
    if query is None:
        return _render(q, scope, where, forums=forums, nothing_to_find=bool(q))
    page, _per_page = page_args(request.args, RESULTS_PER_PAGE, RESULTS_PER_PAGE)
    found = search.search_posts(
        query,
        forum_ids=[forum.id for forum in forums],
        viewer_id=current_user.id,
        qa_forum_ids=[
            f.id for f in forums if f.kind == ForumKind.QA and not can.can_moderate_forum(current_user, f)
        ],
        page=page,
        per_page=RESULTS_PER_PAGE,
    )
    return _render(q, scope, where, forums=forums, found=found, names=_names(found.items))


def _forums_in(scope: rules.Scope | None) -> tuple[list[Forum], str]:
    """The forums to search and the words saying where (a 404 for a forum or place not readable)."""
    if scope is None:
        return list(db.session.scalars(my_forums_query(current_user.id))), _("all my forums")
    if scope.kind == "forum":
        try:
            forum, _access = load_forum(scope.id, current_user)
        except Unreadable:
            abort(404)
        return [forum], forum.title
    place_scope = ForumScope(scope.kind)
    place = find_place(place_scope, scope.id)
    if place is None or not can.can_read_place(current_user, place_scope, scope.id):
        abort(404)
    return readable_forums(current_user, place), place.title


def _names(hits: list[search.Hit]) -> dict[tuple[int, int], str]:
    """{(forum id, author id): the name this viewer is shown} — «Участник №…» where the forum hides
    participants' names from them (a blind stage's juror); one lookup per forum on the page."""
    by_forum: dict[int, list[search.Hit]] = {}
    for hit in hits:
        by_forum.setdefault(hit.forum.id, []).append(hit)
    names: dict[tuple[int, int], str] = {}
    for forum_id, group in by_forum.items():
        forum = group[0].forum
        access = can.ForumAccess(read=True, names=can.shows_names(current_user, forum))
        labels = author_labels(forum, access, [hit.post.author for hit in group])
        names.update({(forum_id, author_id): label for author_id, label in labels.items()})
    return names


def _render(q: str, scope: rules.Scope | None, where: str, **context: Any) -> str:
    forums: list[Forum] = context.pop("forums", [])
    found = context.get("found")
    places = place_titles([hit.forum for hit in found.items]) if found is not None else {}
    total_text = format_number(found.total) if found is not None else ""
    return render_template(
        "forums/search.html",
        q=q,
        scope=scope.value if scope else "",
        where=where,
        searched_in=len(forums),
        places=places,
        total_text=total_text,
        errors=context.pop("errors", {}),
        **context,
    )


@bp.route("/topics/<int:topic_id>/read", methods=["POST"])
@login_required
def mark_topic_read(topic_id: int):  # type: ignore[no-untyped-def]
    try:
        where = load_topic(topic_id, current_user)
    except Unreadable:
        abort(404)
    return act(
        lambda: reading.mark_topic_read(current_user, where.topic),
        done=_("The topic is marked as read."),
        then=url_for("forums.forum", forum_id=where.forum.id),
    )


@bp.route("/<int:forum_id>/read", methods=["POST"])
@login_required
def mark_forum_read(forum_id: int):  # type: ignore[no-untyped-def]
    try:
        forum, _access = load_forum(forum_id, current_user)
    except Unreadable:
        abort(404)
    return act(
        lambda: reading.mark_forums_read(current_user, [forum], now=utcnow()),
        done=_("Everything in this forum is marked as read."),
        then=url_for("forums.forum", forum_id=forum.id),
    )


@bp.route("/<any(course, contest, association):scope>/<int:scope_id>/read", methods=["POST"])
@login_required
def mark_place_read(scope: str, scope_id: int):  # type: ignore[no-untyped-def]
    place_scope = ForumScope(scope)
    place = find_place(place_scope, scope_id)
    if place is None or not can.can_read_place(current_user, place_scope, scope_id):
        abort(404)
    forums = readable_forums(current_user, place)
    return act(
        lambda: reading.mark_forums_read(current_user, forums, now=utcnow()),
        done=_("Everything in the forums of this place is marked as read."),
        then=url_for("forums.place", scope=scope, scope_id=scope_id),
    )


@bp.route("/read", methods=["POST"])
@login_required
def mark_all_read():  # type: ignore[no-untyped-def]
    forums = list(db.session.scalars(my_forums_query(current_user.id)))
    return act(
        lambda: reading.mark_forums_read(current_user, forums, now=utcnow()),
        done=_("Everything in your forums is marked as read."),
        then=url_for("forums.index"),
    )
