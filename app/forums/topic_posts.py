"""Forum topic pages: the posts of a page kept rendered for every reader who sees them alike.

Rendering fifty posts (names, times in the reader's zone, links) is most of a topic page's cost, and
it is the same for every member who reads the page in the same language and zone. So the posts part
is kept in app/memo.py under the topic's version (bumped by replying, editing, hiding a post and
locking the topic) and the "names" version (bumped when a person or a school is renamed); a request
then only adds each post's footer — the links this reader may use (their own posts: «Edit» while the
window is open; others': «Report») — chosen from the three kept with the post.

Kept only where that is the whole story: a reader who does not moderate the forum (moderators see
reports and hidden texts), in a forum that shows names (a blind contest forum numbers participants
per viewer), not a Q&A topic (a pupil sees others' answers only after their own). A hidden post of
the reader's own shows them its text: such a page is rendered as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import get_template_attribute, url_for
from flask_babel import get_locale, get_timezone
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app.forums.forms import ReplyForm
from app.forums.topic_access import InTopic, author_labels
from app.i18n import _
from app.memo import remember
from app.pagination import Page
from community.forums import posting_rules as rules
from community.forums import topic_view
from community.forums.models import ForumKind, topic_version_key

NOBODY = 0  # a viewer id no account has: the kept posts are everyone else's
TOKEN_MARK = "kept-csrf-token-placeholder"  # where a kept reply form takes the reader's CSRF token


@dataclass(frozen=True)
class KeptPost:
    number: int
    author_id: int | None
    hidden: bool
    created_at: datetime
    head: Markup
    footers: tuple[Markup, Markup, Markup]  # another's post, one's own, one's own still editable


@dataclass(frozen=True)
class KeptPage:
    posts: tuple[KeptPost, ...]
    page: int
    per_page: int
    total: int


@dataclass(frozen=True)
class Shown:
    """The posts part of the page for this reader, and what the view still needs of it."""

    html: Markup
    listing: Page[KeptPost]
    numbers: list[int]


def keeps(where: InTopic) -> bool:
    """Whether this reader sees the topic's posts as every other plain member does."""
    return where.access.names and not where.access.moderate and where.forum.kind != ForumKind.QA


def shown_posts(
    where: InTopic,
    *,
    viewer_id: int,
    page: int,
    per_page: int,
    replying: bool,
    edit_minutes: int,
    now: datetime,
) -> Shown | None:
    """The page's posts rendered for this reader, or None where the page must be rendered whole."""
    if not keeps(where):
        return None
    topic_id = where.topic.id
    parts = (topic_id, page, per_page, replying, str(get_locale()), str(get_timezone()))
    kept = remember(
        "forums.topic_posts",
        parts,
        (topic_version_key(topic_id), "names"),
        lambda: _build(where, page=page, per_page=per_page, replying=replying),
    )
    if any(post.hidden and post.author_id == viewer_id for post in kept.posts):
        return None
    pieces: list[Markup] = []
    for post in kept.posts:
        pieces.append(post.head)
        pieces.append(post.footers[_footer(post, viewer_id, where.topic.locked, edit_minutes, now)])
    listing = Page(list(kept.posts), kept.page, kept.per_page, kept.total)
    return Shown(Markup("".join(pieces)), listing, [post.number for post in kept.posts])  # all Markup


def reply_form(topic_id: int) -> Markup:
    """The empty reply form under the posts, kept rendered per topic and language: building a form
    and drawing its fields costs as much as the rest of a kept page. Only its CSRF token is this
    reader's; it is put in per request."""
    kept = remember("forums.reply_form", (topic_id, str(get_locale())), (), lambda: _reply_form(topic_id))
    return Markup(kept.replace(TOKEN_MARK, generate_csrf()))


def _reply_form(topic_id: int) -> str:
    form = get_template_attribute("_macros/forms.html", "render_form")
    html = form(
        ReplyForm(formdata=None),
        action=url_for("forums.reply", topic_id=topic_id),
        submit=_("Publish"),
        enctype="multipart/form-data",
    )
    return str(html).replace(generate_csrf(), TOKEN_MARK)


def _footer(post: KeptPost, viewer_id: int, locked: bool, edit_minutes: int, now: datetime) -> int:
    if post.author_id != viewer_id:
        return 0
    editable = not post.hidden and not locked and now <= rules.editable_until(post.created_at, edit_minutes)
    return 2 if editable else 1


def _build(where: InTopic, *, page: int, per_page: int, replying: bool) -> KeptPage:
    shown = topic_view.topic_page(
        where.topic,
        kind=where.forum.kind,
        viewer_id=NOBODY,
        moderator=False,
        now=where.topic.created_at,  # nothing is editable for nobody: the time does not matter
        page=page,
        per_page=per_page,
    )
    views = shown.posts.items
    names = author_labels(where.forum, where.access, [view.post.author for view in views])
    head = get_template_attribute("forums/_post.html", "post_head")
    footer = get_template_attribute("forums/_post.html", "post_footer")
    posts = tuple(
        KeptPost(
            number=view.post.number,
            author_id=view.post.author_id,
            hidden=view.hidden,
            created_at=view.post.created_at,
            head=Markup(head(view, _name(names, view.post.author_id))),
            footers=(
                Markup(footer(view, replying, False, False)),
                Markup(footer(view, replying, True, False)),
                Markup(footer(view, replying, True, True)),
            ),
        )
        for view in views
    )
    return KeptPage(posts, shown.posts.page, shown.posts.per_page, shown.posts.total)


def _name(names: dict[int, str], author_id: int | None) -> str:
    found = names.get(author_id) if author_id is not None else None
    return found if found is not None else str(_("Former member"))
