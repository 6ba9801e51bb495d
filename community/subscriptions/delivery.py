"""Mail for subscribers: `post_created` is the one call posting makes, in the posting transaction —
a letter to everyone who takes every post of this topic, forum or association, and nothing for
digest readers (the digest job reads the posts later).

Who: the subscriptions' rows of the topic, the forum and (for an association's forum) the
association, the most specific one deciding (community.subscriptions.rules), plus, for a news
forum, everyone in the place (forced: derived from membership now, so people enrolled later get it
too). Left out: the author, inactive people, people who blocked the author, and whoever may not read
the forum any more (left the course). Bounded work: a few queries whatever the number of
subscribers, the letters inserted in bulk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator

from sqlalchemy import or_, select

from app.accounts import User
from app.extensions import db
from app.i18n import force_locale
from app.mail import Letter, send_mail_bulk
from community.forums.models import Forum, ForumKind, ForumScope, Post, Topic
from community.messaging.models import UserBlock
from community.subscriptions import letters, rules
from community.subscriptions.access import Scope, place_access
from community.subscriptions.models import Subscription, SubscriptionTarget

CHUNK = 2000  # ids per IN list


def post_created(post: Post, topic: Topic, forum: Forum) -> None:
    """Queue the letters this new post causes (same transaction; the caller commits)."""
    if post.hidden_at is not None or topic.hidden_at is not None:
        return
    levels = every_post_readers(post, topic, forum)
    if not levels:
        return
    access = place_access()
    author = db.session.get(User, post.author_id) if post.author_id else None
    place = access.place_titles([forum]).get((str(forum.scope), forum.scope_id), "")
    url = access.post_url(topic.id, post.id, post.number)
    subscriptions_url = access.subscriptions_url()
    batch: list[Letter] = []
    by_locale: dict[str, letters.PostLetter] = {}
    for reader in _readers(levels):
        level, forced = levels[reader.id]
        with force_locale(reader.locale or "ru"):
            text = by_locale.get(reader.locale)
            if text is None:
                text = by_locale[reader.locale] = letters.post_letter(
                    post, topic, forum, author.full_name if author else None, place, url
                )
            unsubscribe = access.unsubscribe_url(_scope(reader.id, level, topic, forum))
            footer = letters.post_footer(
                letters.why(level, forced, forum, topic, place), unsubscribe, subscriptions_url
            )
        batch.append(
            Letter(
                reader.email,
                text.subject,
                f"{text.head}\n\n{footer}",
                letters.unsubscribe_headers(unsubscribe),
            )
        )
    send_mail_bulk(batch)


def every_post_readers(post: Post, topic: Topic, forum: Forum) -> dict[int, tuple[str, bool]]:
    """{person: (the level whose subscription brings the letter, forced)} of those who take every
    post and may get this one."""
    choices = _choices(topic, forum)
    members: set[int] = set()
    if forum.kind == ForumKind.NEWS:
        members = set(db.session.scalars(place_access().members(forum)))
    wanted: dict[int, tuple[str, bool]] = {}
    for user_id in choices.keys() | members:
        forced = user_id in members
        mode, level = rules.effective(choices.get(user_id, rules.Choices()), forced=forced)
        if mode == rules.EACH:
            wanted[user_id] = (level, forced and level == "forum")
    wanted.pop(post.author_id or 0, None)
    if post.author_id and wanted:
        blockers = db.session.scalars(
            select(UserBlock.blocker_id).where(UserBlock.blocked_id == post.author_id)
        )
        for blocker in blockers:
            wanted.pop(blocker, None)
    readers = place_access().readers_among(forum, wanted.keys()) if wanted else set()
    return {user_id: level for user_id, level in wanted.items() if user_id in readers}


def _choices(topic: Topic, forum: Forum) -> dict[int, rules.Choices]:
    """Every explicit subscription of this topic, forum or association, per person (one query)."""
    targets = [
        (Subscription.target == SubscriptionTarget.TOPIC) & (Subscription.target_id == topic.id),
        (Subscription.target == SubscriptionTarget.FORUM) & (Subscription.target_id == forum.id),
    ]
    if forum.scope == ForumScope.ASSOCIATION:
        targets.append(
            (Subscription.target == SubscriptionTarget.ASSOCIATION)
            & (Subscription.target_id == forum.scope_id)
        )
    rows = db.session.execute(
        select(Subscription.user_id, Subscription.target, Subscription.mode).where(or_(*targets))
    )
    found: dict[int, dict[str, str]] = defaultdict(dict)
    for user_id, target, mode in rows:
        found[user_id][str(target)] = str(mode)
    return {user_id: rules.Choices(**modes) for user_id, modes in found.items()}


def _readers(levels: Collection[int]) -> Iterator[letters.Reader]:
    """The recipients' addresses and languages, active accounts only, a query per CHUNK people."""
    ids = sorted(levels)
    for start in range(0, len(ids), CHUNK):
        rows = db.session.execute(
            select(User.id, User.email, User.locale, User.timezone)
            .where(User.id.in_(ids[start : start + CHUNK]), User.active.is_(True))
            .order_by(User.id)
        )
        for row in rows:
            yield letters.Reader(row.id, row.email, row.locale or "ru", row.timezone)


def _scope(user_id: int, level: str, topic: Topic, forum: Forum) -> Scope:
    if level == "topic":
        return Scope(user_id, "topic", topic.id)
    if level == "association":
        return Scope(user_id, "association", forum.scope_id)
    return Scope(user_id, "forum", forum.id)
