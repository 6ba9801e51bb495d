"""Loading a forum, a topic or a post for the posting pages and the API, each with what the viewer may
do there (one ForumAccess), or a 404 for someone who may not read it; and how authors are named to
this viewer: «Участник №N» instead of a participant's name for a blind stage's juror."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, render_template, url_for
from flask_wtf import FlaskForm

from app.accounts import User
from app.domain_errors import DomainError
from app.extensions import db
from app.forms_common import apply_domain_error, form_status
from app.forums.place_lookup import find_place
from app.i18n import _
from app.permissions.forums import ForumAccess, forum_access, forum_contest_id, participant_numbers
from community.forums import posts
from community.forums.models import Forum, ForumScope, Post, Topic

CONTEST_SCOPES = (ForumScope.CONTEST, ForumScope.STAGE, ForumScope.DIVISION)


class Unreadable(Exception):
    """The row does not exist or the viewer may not know it does (a 404 for pages and the API)."""


@dataclass
class InTopic:
    topic: Topic
    forum: Forum
    access: ForumAccess


def load_forum(forum_id: int, viewer: Any) -> tuple[Forum, ForumAccess]:
    forum = db.session.get(Forum, forum_id)
    if forum is None:
        raise Unreadable()
    access = forum_access(viewer, forum)
    if not access.read:
        raise Unreadable()
    return forum, access


def load_topic(topic_id: int, viewer: Any) -> InTopic:
    topic = db.session.get(Topic, topic_id)
    if topic is None:
        raise Unreadable()
    forum, access = load_forum(topic.forum_id, viewer)
    if topic.hidden_at is not None and not access.moderate:
        raise Unreadable()
    return InTopic(topic, forum, access)


def load_post(post_id: int, viewer: Any) -> tuple[Post, InTopic]:
    """A post the viewer may see: a hidden one only by its author and the moderators, an answer of a
    Q&A topic only once the viewer has answered."""
    post = db.session.get(Post, post_id)
    if post is None:
        raise Unreadable()
    where = load_topic(post.topic_id, viewer)
    if posts.quotable(where.topic, post.id, viewer, where.access.moderate) is None:
        raise Unreadable()
    return post, where


def may_reply(where: InTopic) -> bool:
    """Write access, in a topic that is open (or to a moderator of a locked one)."""
    return where.access.write and (not where.topic.locked or where.access.moderate)


def edit_minutes() -> int:
    return int(current_app.config.get("FORUM_EDIT_MINUTES", 30))


def author_labels(forum: Forum, access: ForumAccess, authors: list[User | None]) -> dict[int, str]:
    """{user id: the name this viewer is shown}: the full name, or «Участник №N» (the participation's
    number) for the forum contest's participants when the viewer may not see names (one query)."""
    present = [a for a in authors if a is not None]
    numbers = {} if access.names else participant_numbers(forum, sorted({a.id for a in present}))
    return {
        a.id: _("Participant No. %(number)s", number=numbers[a.id]) if a.id in numbers else a.full_name
        for a in present
    }


def quote_label(forum: Forum, post: Post) -> str:
    """The author's name put in a quote, which every reader will see: in a contest's forums a
    participant is quoted by number, so a blind stage's jurors never read a name there."""
    author = db.session.get(User, post.author_id) if post.author_id is not None else None
    if author is None:
        return _("Former member")
    if ForumScope(forum.scope) in CONTEST_SCOPES:
        number = participant_numbers(forum, [author.id]).get(author.id)
        if number is not None:
            return _("Participant No. %(number)s", number=number)
    return author.full_name


def breadcrumbs(forum: Forum, topic: Topic | None = None) -> list[tuple[str, str]]:
    """(title, url) from the forums index down to the forum (and topic): a way back to the place."""
    crumbs = [(_("Forums"), url_for("forums.index"))]
    scope = ForumScope(forum.scope)
    if scope in (ForumScope.STAGE, ForumScope.DIVISION):
        contest_id = forum_contest_id(forum)
        place = find_place(ForumScope.CONTEST, contest_id) if contest_id is not None else None
    else:
        place = find_place(scope, forum.scope_id) if scope != ForumScope.NETWORK else None
    if place is not None:
        crumbs.append((place.title, url_for("forums.place", scope=str(place.scope), scope_id=place.id)))
    crumbs.append((forum.title, url_for("forums.forum", forum_id=forum.id)))
    if topic is not None:
        crumbs.append((topic.title, url_for("forums.topic", topic_id=topic.id)))
    return crumbs


def attempt(form: FlaskForm, call: Callable[[], Any], field: str) -> tuple[Any, int]:
    """Run the service; a refusal goes by its field and its status (422, or 409 for a closed
    window or a locked topic) is the page's."""
    try:
        return call(), 0
    except DomainError as error:
        db.session.rollback()
        apply_domain_error(form, error, field)
        return None, error.status


def form_page(
    form: FlaskForm, title: str, crumbs: list[tuple[str, str]], status: int, multipart: bool = False
):  # type: ignore[no-untyped-def]
    return render_template(
        "forums/post_form.html", form=form, title=title, crumbs=crumbs, multipart=multipart
    ), status or form_status(form)
