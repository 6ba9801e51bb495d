"""The daily digest's letters: for each person, their new posts grouped by forum and topic (one
section per subscription that brought them, with its unsubscribe link), the notifications they want
in the digest, and the link that stops the whole digest (also in the List-Unsubscribe headers)."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts import User
from app.extensions import db
from app.mail import Letter
from app.notifications import Notification
from community.forums.models import Forum, Post, Topic
from community.subscriptions import letters
from community.subscriptions.access import DIGEST_SCOPE, Scope, place_access

Row = tuple[Post, Topic, Forum]
Found = dict[int, list[tuple[Row, Scope, bool]]]


def build(found: Found, notes: dict[int, list[Notification]]) -> list[Letter]:
    """The letters of a batch of people (three queries and one more per kind of place)."""
    people = set(found) | set(notes)
    if not people:
        return []
    access = place_access()
    forums = {row[2].id: row[2] for items in found.values() for row, _s, _f in items}
    places = access.place_titles(list(forums.values()))
    author_ids = {row[0].author_id for items in found.values() for row, _s, _f in items if row[0].author_id}
    names = dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(author_ids))).all())
    readers = db.session.execute(
        select(User.id, User.email, User.locale, User.timezone).where(User.id.in_(list(people)))
    )
    subscriptions_url = access.subscriptions_url()
    urls: dict[int, str] = {}
    batch: list[Letter] = []
    for row in readers:
        reader = letters.Reader(row.id, row.email, row.locale or "ru", row.timezone)
        sections: dict[Scope, letters.DigestSection] = {}
        for (post, topic, forum), scope, forced in found.get(reader.id, []):
            if post.id not in urls:
                urls[post.id] = access.post_url(topic.id, post.id, post.number)
            section = sections.get(scope)
            if section is None:
                place = places.get((str(forum.scope), forum.scope_id), "")
                section = sections[scope] = letters.DigestSection(
                    forum, place, [], access.unsubscribe_url(scope), forced
                )
            section.posts.append(
                letters.DigestPost(post, topic, forum, names.get(post.author_id or 0), urls[post.id])
            )
        unsubscribe_all = access.unsubscribe_url(Scope(reader.id, DIGEST_SCOPE))
        subject, body = letters.digest_letter(
            reader,
            list(sections.values()),
            [
                (note.text, access.site_url(note.link) if note.link else "")
                for note in notes.get(reader.id, [])
            ],
            unsubscribe_all=unsubscribe_all,
            subscriptions_url=subscriptions_url,
        )
        batch.append(Letter(reader.email, subject, body, letters.unsubscribe_headers(unsubscribe_all)))
    return batch
