"""The daily digest, a job of the tick command: for each person with digest subscriptions, one
letter with the full texts of the posts since their last digest, grouped by place (forum, then
topic), each section with its unsubscribe link.

Once a day: a person is due when their last digest covered posts up to a moment at least 24 hours
ago (rules.DIGEST_INTERVAL; the first digest covers the last day), so each person's letter comes at
about the same time every day, whenever the clock runs. Exactly once: the job moves the person's
`DigestState.covered_until` from the value it read to the cut-off (`now`) with one conditional UPDATE
per batch (`… WHERE covered_until <= now - 24 h RETURNING user_id`), in the transaction that queues the
letters, so a second run, or a second tick at the same time, finds nobody due and sends nothing.
Left out: hidden posts and topics, one's own posts, posts of people one blocked, and forums one may
not read any more. Batches of BATCH people, a fixed number of queries each (one more per forum with
new posts), the letters inserted in bulk.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select, union, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.accounts import User
from app.extensions import db
from app.mail import send_mail_bulk
from app.notifications import NotificationPreference
from community.forums.models import Forum, ForumScope, Post, Topic
from community.messaging.models import UserBlock
from community.notices.inbox import pending_digest
from community.subscriptions import digest_letters, rules
from community.subscriptions.access import Scope, place_access
from community.subscriptions.models import DeliveryMode, DigestState, Subscription

BATCH = 500

Row = digest_letters.Row
Group = digest_letters.Group
Found = digest_letters.Found


def send_digests(now: datetime) -> list[str]:
    """The tick job: every due person's digest, a batch of people per transaction."""
    people = sent = 0
    after = 0
    while True:
        batch = due_people(now, after)
        if not batch:
            break
        after = batch[-1]
        claimed, letters_sent = send_batch(batch, now)
        people += claimed
        sent += letters_sent
    return [f"{sent} digests for {people} people"] if people else []


def due_people(now: datetime, after: int = 0, limit: int = BATCH) -> list[int]:
    """The next ids (above `after`) of active people whose digest is due: with a digest subscription
    or a kind of notification they want in the digest."""
    due_before = now - rules.DIGEST_INTERVAL
    wanting = union(
        select(Subscription.user_id.label("user_id")).where(Subscription.mode == DeliveryMode.DIGEST),
        select(NotificationPreference.user_id.label("user_id")).where(
            NotificationPreference.in_digest.is_(True)
        ),
    ).subquery()
    query = (
        select(wanting.c.user_id)
        .join(User, User.id == wanting.c.user_id)
        .outerjoin(DigestState, DigestState.user_id == wanting.c.user_id)
        .where(
            wanting.c.user_id > after,
            User.active.is_(True),
            or_(DigestState.user_id.is_(None), DigestState.covered_until <= due_before),
        )
        .order_by(wanting.c.user_id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def send_batch(user_ids: list[int], now: datetime) -> tuple[int, int]:
    """Claim the batch's due people and queue their digests in one transaction: (claimed, letters)."""
    starts = _claim(user_ids, now)
    if not starts:
        db.session.commit()
        return 0, 0
    rows = _posts(starts, now)
    notes = {
        user_id: kept
        for user_id, found in pending_digest(list(starts), min(starts.values()), now).items()
        if (kept := [note for note in found if note.created_at >= starts[user_id]])
    }
    batch = digest_letters.build(rows, notes)
    send_mail_bulk(batch)
    db.session.commit()
    return len(starts), len(batch)


def _claim(user_ids: list[int], now: datetime) -> dict[int, datetime]:
    """{person: where their digest starts} for those this run moved to `now`; a twin run moves none."""
    due_before = now - rules.DIGEST_INTERVAL
    first = [{"user_id": user_id, "covered_until": due_before} for user_id in user_ids]
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(DigestState.metadata.tables[DigestState.__tablename__]).on_conflict_do_nothing(), first
    )
    read = db.session.execute(
        select(DigestState.user_id, DigestState.covered_until).where(
            DigestState.user_id.in_(user_ids), DigestState.covered_until <= due_before
        )
    )
    starts: dict[int, datetime] = {row[0]: row[1] for row in read}
    won = db.session.scalars(
        update(DigestState)
        .where(DigestState.user_id.in_(list(starts)), DigestState.covered_until <= due_before)
        .values(covered_until=now)
        .returning(DigestState.user_id)
        .execution_options(synchronize_session=False)
    )
    claimed = set(won)
    return {user_id: start for user_id, start in starts.items() if user_id in claimed}


def _posts(starts: dict[int, datetime], now: datetime) -> Found:
    """{person: {the subscription that brings posts: its group of posts in order}}. Decided once per
    person and topic (not per post), so 20,000 people and a busy day stay in seconds."""
    subs: dict[int, dict[tuple[str, int], tuple[str, bool]]] = defaultdict(dict)
    for user_id, target, target_id, mode, forced in db.session.execute(
        select(
            Subscription.user_id,
            Subscription.target,
            Subscription.target_id,
            Subscription.mode,
            Subscription.forced,
        ).where(Subscription.user_id.in_(list(starts)))
    ):
        subs[user_id][(str(target), target_id)] = (str(mode), forced)
    wanted = {key for person in subs.values() for key, (mode, _f) in person.items() if mode == rules.DIGEST}
    if not wanted:
        return {}
    by_topic: dict[int, list[Row]] = defaultdict(list)
    for row in _candidate_posts(wanted, min(starts.values()), now):
        by_topic[row[1].id].append(row)
    blocked = {
        (blocker, blocked)
        for blocker, blocked in db.session.execute(
            select(UserBlock.blocker_id, UserBlock.blocked_id).where(UserBlock.blocker_id.in_(list(starts)))
        )
    }
    followers: dict[tuple[str, int], set[int]] = defaultdict(set)
    for user_id, person in subs.items():
        for key in person:
            followers[key].add(user_id)
    found: Found = defaultdict(dict)
    for rows in by_topic.values():
        _topic_posts(rows, subs, followers, starts, blocked, found)
    return _readable(found)


def _topic_posts(
    rows: list[Row],
    subs: dict[int, dict[tuple[str, int], tuple[str, bool]]],
    followers: dict[tuple[str, int], set[int]],
    starts: dict[int, datetime],
    blocked: set[tuple[int, int]],
    found: Found,
) -> None:
    """Add one topic's new posts to the groups of the people whose subscription takes them."""
    _post, topic, forum = rows[0]
    keys = _keys(topic.id, forum.id, forum.scope_id if forum.scope == ForumScope.ASSOCIATION else None)
    plain = [(row, row[0].created_at, row[0].author_id or 0) for row in rows]
    for user_id in set().union(*(followers.get(key, set()) for key in keys)):
        picked = _decide(subs[user_id], keys)
        if picked is None:
            continue
        start = starts[user_id]
        kept = [
            row
            for row, created, author in plain
            if created > start and author != user_id and (user_id, author) not in blocked
        ]
        if kept:
            scope = Scope(user_id, picked[0], picked[1])
            group = found[user_id].get(scope)
            if group is None:
                group = found[user_id][scope] = Group(forum, picked[2], [])
            group.rows.extend(kept)


def _keys(topic_id: int, forum_id: int, association: int | None) -> list[tuple[str, int]]:
    """The subscriptions that may cover a post, the most specific first."""
    keys = [("topic", topic_id), ("forum", forum_id)]
    if association is not None:
        keys.append(("association", association))
    return keys


def _decide(
    person: dict[tuple[str, int], tuple[str, bool]], keys: list[tuple[str, int]]
) -> tuple[str, int, bool] | None:
    """(target, id, forced) of the person's subscription that puts the post in their digest: the most
    specific one decides, so a topic turned off stays out of a forum's digest."""
    for key in keys:
        if key in person:
            mode, forced = person[key]
            return (key[0], key[1], forced) if mode == rules.DIGEST else None
    return None


def _candidate_posts(wanted: set[tuple[str, int]], start: datetime, now: datetime) -> list[Row]:
    by_target: dict[str, list[int]] = defaultdict(list)
    for target, target_id in wanted:
        by_target[target].append(target_id)
    places: list[ColumnElement[bool]] = []
    if by_target["topic"]:
        places.append(Topic.id.in_(by_target["topic"]))
    if by_target["forum"]:
        places.append(Forum.id.in_(by_target["forum"]))
    if by_target["association"]:
        places.append(
            and_(Forum.scope == ForumScope.ASSOCIATION, Forum.scope_id.in_(by_target["association"]))
        )
    query = (
        select(Post, Topic, Forum)
        .join(Topic, Topic.id == Post.topic_id)
        .join(Forum, Forum.id == Topic.forum_id)
        .where(
            Post.created_at > start,
            Post.created_at <= now,
            Post.hidden_at.is_(None),
            Topic.hidden_at.is_(None),
            or_(*places),
        )
        .order_by(Forum.id, Topic.id, Post.number)
    )
    return [(post, topic, forum) for post, topic, forum in db.session.execute(query)]


def _readable(found: Found) -> Found:
    """Only the groups of forums each person may still read (one check per forum for everyone)."""
    people_by_forum: dict[int, set[int]] = defaultdict(set)
    forums: dict[int, Forum] = {}
    for user_id, groups in found.items():
        for group in groups.values():
            people_by_forum[group.forum.id].add(user_id)
            forums[group.forum.id] = group.forum
    access = place_access()
    readers = {
        forum_id: access.readers_among(forums[forum_id], ids) for forum_id, ids in people_by_forum.items()
    }
    return {
        user_id: kept
        for user_id, groups in found.items()
        if (kept := {scope: group for scope, group in groups.items() if user_id in readers[group.forum.id]})
    }
