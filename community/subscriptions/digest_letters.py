"""The daily digest's letters: for each person, their new posts grouped by forum and topic (one
section per subscription that brought them, with its unsubscribe link), the notifications they want
in the digest, and the link that stops the whole digest (also in the List-Unsubscribe headers)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.accounts import User
from app.extensions import db
from app.mail import Letter
from app.notifications import Notification
from community.forums.models import Forum, Post, Topic
from community.subscriptions import letters
from community.subscriptions.access import DIGEST_SCOPE, Scope, place_access

Row = tuple[Post, Topic, Forum]


@dataclass
class Group:
    """The posts one subscription brings one person, in forum, topic and number order."""

    forum: Forum
    forced: bool
    rows: list[Row]


Found = dict[int, dict[Scope, Group]]


def build(found: Found, notes: dict[int, list[Notification]]) -> list[Letter]:
    """The letters of a batch of people (three queries and one more per kind of place)."""
    people = set(found) | set(notes)
    if not people:
        return []
    access = place_access()
    rows = {row[0].id: row for groups in found.values() for group in groups.values() for row in group.rows}
    places = access.place_titles(list({forum.id: forum for _p, _t, forum in rows.values()}.values()))
    author_ids = {post.author_id for post, _t, _f in rows.values() if post.author_id}
    names = dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(author_ids))).all())
    items = {
        post_id: letters.DigestPost(
            post,
            topic,
            forum,
            names.get(post.author_id or 0),
            access.post_url(topic.id, post.id, post.number),
        )
        for post_id, (post, topic, forum) in rows.items()
    }
    readers = db.session.execute(
        select(User.id, User.email, User.locale, User.timezone).where(User.id.in_(list(people)))
    )
    subscriptions_url = access.subscriptions_url()
    writer = letters.DigestWriter()
    batch: list[Letter] = []
    for row in readers:
        reader = letters.Reader(row.id, row.email, row.locale or "ru", row.timezone)
        sections = [
            letters.DigestSection(
                group.forum,
                places.get((str(group.forum.scope), group.forum.scope_id), ""),
                [items[post.id] for post, _t, _f in group.rows],
                "" if group.forced else access.unsubscribe_url(scope),
                group.forced,
            )
            for scope, group in found.get(reader.id, {}).items()
        ]
        unsubscribe_all = access.unsubscribe_url(Scope(reader.id, DIGEST_SCOPE))
        subject, body = writer.letter(
            reader,
            sections,
            [
                (note.text, access.site_url(note.link) if note.link else "")
                for note in notes.get(reader.id, [])
            ],
            unsubscribe_all=unsubscribe_all,
            subscriptions_url=subscriptions_url,
        )
        batch.append(Letter(reader.email, subject, body, letters.unsubscribe_headers(unsubscribe_all)))
    return batch
