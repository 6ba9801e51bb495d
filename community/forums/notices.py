"""Notifications a forum post causes: a reply to one's post (or to one's topic), an @mention (see
community.notices.mentions; an edit's new mentions too), and a moderator hiding one's post. Posting
calls `post_created` and `post_edited`, moderation `post_hidden`, in their transactions; the caller
commits.

Who may read a forum is the web's permission (app.permissions.forums), which the domain may not
import: the app registers it here (`register_audience`, from app/wiring.py). Until it does, nobody
is told of anything a forum says — never someone who may not read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, update

from app.accounts import User
from app.extensions import db
from app.i18n import _, force_locale
from community.forums.models import Forum, Post, Topic
from community.notices.delivery import tell
from community.notices.kinds import Kind
from community.notices.mentions import handles_in, link_mentions
from community.notices.preferences import choices_for


@dataclass(frozen=True)
class Audience:
    can_read: Callable[[Any, Forum], bool]
    shows_names: Callable[[Any, Forum], bool]


_audience: list[Audience] = []


def register_audience(
    can_read: Callable[[Any, Forum], bool], shows_names: Callable[[Any, Forum], bool]
) -> None:
    """The app tells the forums who may read a forum and who sees its writers' names."""
    _audience[:] = [Audience(can_read, shows_names)]


def post_link(post_id: int) -> str:
    """The forums' address of one post, which opens its topic at the page holding it."""
    return f"/forums/posts/{post_id}"


def mention_link(user_id: int) -> str:
    """Where a mention leads: writing to the person (the page says so when one may not)."""
    return f"/messages/with/{user_id}"


def post_created(post: Post, topic: Topic, forum: Forum) -> None:
    """Tell the author of the post replied to (or of the topic) and the people mentioned who may read
    the forum; link the mentions in the post's HTML. Nobody is told twice or of their own post."""
    if not _audience:
        return
    audience = _audience[0]
    told: set[int] = {post.author_id} if post.author_id else set()
    author = db.session.get(User, post.author_id) if post.author_id else None
    target = _replied_author(post, topic)
    if target is not None and target.id not in told and audience.can_read(target, forum):
        told.add(target.id)
        with force_locale(target.locale or "ru"):
            text = _(
                "%(name)s replied to your post in “%(topic)s”.",
                name=_name(author, target, forum, audience),
                topic=topic.title,
            )
        tell(target, Kind.REPLY, text, post_link(post.id))
    post.html = _mention(post, post.text, post.html, topic, forum, author, told=told, known=set())


def post_edited(post: Post, topic: Topic, text: str, html: str, previous_text: str) -> None:
    """After the author's edit (`text` and `html` as now stored): its mentions linked again in the
    stored HTML, and the people it mentions for the first time told (not those the earlier text
    already named, nor the author)."""
    if not _audience:
        return
    forum = db.session.get_one(Forum, topic.forum_id)
    author = db.session.get(User, post.author_id) if post.author_id else None
    told: set[int] = {post.author_id} if post.author_id else set()
    linked = _mention(post, text, html, topic, forum, author, told=told, known=set(handles_in(previous_text)))
    if linked != html:
        db.session.execute(
            update(Post)
            .where(Post.id == post.id)
            .values(html=linked)
            .execution_options(synchronize_session=False)
        )


def _mention(
    post: Post,
    text: str,
    html: str,
    topic: Topic,
    forum: Forum,
    author: User | None,
    *,
    told: set[int],
    known: set[str],
) -> str:
    """Tell the readers the text mentions (but those in `told`, and handles in `known`) and return
    the HTML with every mention of a reader linked."""
    audience = _audience[0]
    mentioned = _mentioned_readers(text, forum, audience)
    if not mentioned:
        return html
    people = {
        person.id: person for handle, person in mentioned if person.id not in told and handle not in known
    }
    choices = choices_for(people, Kind.MENTION)
    for person in people.values():
        with force_locale(person.locale or "ru"):
            note = _(
                "%(name)s mentioned you in “%(topic)s”.",
                name=_name(author, person, forum, audience),
                topic=topic.title,
            )
        tell(person, Kind.MENTION, note, post_link(post.id), choice=choices[person.id])
    return link_mentions(html, {handle: mention_link(person.id) for handle, person in mentioned})


def post_hidden(post: Post, topic: Topic, reason: str) -> None:
    """Tell the post's author that a moderator hid it, and why."""
    author = db.session.get(User, post.author_id) if post.author_id else None
    if author is None:
        return
    with force_locale(author.locale or "ru"):
        text = _(
            "A moderator hid your post in “%(topic)s”: %(reason)s",
            topic=topic.title,
            reason=reason,
        )
        subject = _("Your forum post was hidden")
    tell(author, Kind.MODERATION, text, post_link(post.id), subject=subject)


def _replied_author(post: Post, topic: Topic) -> User | None:
    """The author of the post replied to; a post replying to nothing answers the topic's opener."""
    if post.reply_to_id is not None:
        condition = Post.id == post.reply_to_id
    elif post.number > 1:
        condition = (Post.topic_id == topic.id) & (Post.number == 1)
    else:
        return None
    return db.session.scalar(select(User).join(Post, Post.author_id == User.id).where(condition))


def _mentioned_readers(text: str, forum: Forum, audience: Audience) -> list[tuple[str, User]]:
    """[(handle, person)] for each handle naming exactly one active person who may read the forum (a
    handle shared by two readers of different schools names nobody: the writer meant one of them)."""
    handles = handles_in(text)
    if not handles:
        return []
    local = func.lower(User.email)
    rows = db.session.scalars(
        select(User).where(
            User.active.is_(True),
            or_(*(local.like(_escape(handle) + "@%", escape="\\") for handle in handles)),
        )
    )
    by_handle: dict[str, list[User]] = {}
    for person in rows:
        by_handle.setdefault(person.email.split("@", 1)[0].lower(), []).append(person)
    found: list[tuple[str, User]] = []
    for handle in handles:
        readers = [person for person in by_handle.get(handle, []) if audience.can_read(person, forum)]
        if len(readers) == 1:
            found.append((handle, readers[0]))
    return found


def _name(author: User | None, viewer: User, forum: Forum, audience: Audience) -> str:
    if author is None:
        return _("A former member")
    if not audience.shows_names(viewer, forum):
        return _("A forum member")
    return author.full_name


def _escape(handle: str) -> str:
    return handle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
