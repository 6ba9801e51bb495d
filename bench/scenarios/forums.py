"""Forums (issue 12): a topic of 2,000 posts (its first and last pages), a forum of 5,000 topics, the
forum search, a reader who follows 200 association forums (their index page and the header's unread
count), and the daily digest for 20,000 subscribers — bulk inserts, so the setup takes seconds."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy import func, insert, literal, select, text

from app.accounts import Institution, Role, User
from app.extensions import db
from app.timeutil import utcnow
from bench.scenario import BenchContext, HttpTarget, PureResult, timed
from community.associations.models import Association, AssociationMember, MemberRole, MemberStatus
from community.forums import reading
from community.forums.models import Forum, ForumKind, ForumRead, ForumScope, Post, Topic, TopicRead
from community.library import russian_words
from community.subscriptions.digest import send_digests
from community.subscriptions.models import DeliveryMode, Subscription, SubscriptionTarget

BIG_TOPIC_POSTS = 2_000
BIG_FORUM_TOPICS = 5_000
FOLLOWED_FORUMS = 200
TOPICS_PER_FOLLOWED = 5
DIGEST_SUBSCRIBERS = 20_000
DIGEST_POSTS = 20
POSTS_PER_PAGE = 50  # app.forums.topics.POSTS_PER_PAGE
READER = "forum-reader@forums.bench.vmeste.local"
SEARCH = "дроби"

PHRASES = (
    "Коллеги, как вы объясняете сложение дробей с разными знаменателями?",
    "Мы начинаем с наглядных моделей: круги и полоски бумаги.",
    "Попробуйте групповую работу и взаимопроверку, дети лучше запоминают.",
    "На открытом уроке в пятом классе это сработало хорошо.",
    "Делюсь рабочим листом и критериями оценивания.",
    "Подготовка к ОГЭ начинается задолго до девятого класса.",
    "Спасибо, возьму на заметку для своих уроков.",
    "А какие задания вы даёте на дом после такого урока?",
)
TITLES = (
    "Сложение дробей",
    "Подготовка к олимпиаде",
    "Проектная деятельность",
    "Открытый урок",
    "Домашние задания",
    "Работа с родителями",
)


def prepare(ctx: BenchContext) -> None:
    rng = random.Random(12)
    now = utcnow()
    institution_id = (ctx.data.get("institution_ids") or list(db.session.scalars(select(Institution.id))))[0]
    reader_id, authors = _people(ctx, institution_id)
    big_topic_id = _big_topic(rng, authors, now)
    big_forum_id = _big_forum(rng, authors, reader_id, now)
    _followed_forums(rng, authors, reader_id, now)
    _digest(ctx, institution_id, authors, now)
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    ctx.data.update(
        forum_reader=READER,
        forum_reader_id=reader_id,
        forum_big_topic_id=big_topic_id,
        forum_big_forum_id=big_forum_id,
    )


def _people(ctx: BenchContext, institution_id: int) -> tuple[int, list[int]]:
    people = [{"email": READER, "full_name": "Читатель Форумов"}]
    people += [
        {"email": f"f-author{n}@forums.bench.vmeste.local", "full_name": f"Автор {n}"} for n in range(200)
    ]
    _insert_people(ctx, institution_id, people)
    reader_id = db.session.scalar(select(User.id).where(User.email == READER))
    authors = list(
        db.session.scalars(select(User.id).where(User.email.like("f-author%@forums.bench.vmeste.local")))
    )
    return int(reader_id or 0), authors


def _insert_people(ctx: BenchContext, institution_id: int, people: list[dict[str, Any]]) -> None:
    for person in people:
        person.update(
            role=Role.TEACHER,
            institution_id=institution_id,
            password_hash=ctx.password_hash,
            timezone="Europe/Moscow",
            locale="ru",
            active=True,
        )
    db.session.execute(insert(User), people)


def _forum(scope: ForumScope, scope_id: int, slot: str, title: str) -> int:
    db.session.execute(
        insert(Forum).values(
            scope=scope, scope_id=scope_id, slot=slot, kind=ForumKind.DISCUSSION, title=title
        )
    )
    return int(
        db.session.scalar(
            select(Forum.id).where(Forum.scope == scope, Forum.scope_id == scope_id, Forum.slot == slot)
        )
        or 0
    )


def _next_id(column: Any) -> int:
    return int(db.session.scalar(select(func.coalesce(func.max(column), 0))) or 0) + 1


def _topics(
    forum_id: int, rows: list[tuple[str, int, list[tuple[int, datetime]]]], rng: random.Random
) -> int:
    """Insert topics, each (title, author, [(post author, time)…]); numbers, counters and the forum's
    totals as posting keeps them; SQLite's search index written. Returns the first topic id."""
    first_topic = _next_id(Topic.id)
    db.session.execute(
        insert(Topic),
        [
            {
                "forum_id": forum_id,
                "author_id": author,
                "title": title,
                "created_at": posts[0][1],
                "last_post_at": posts[-1][1],
                "last_number": len(posts),
                "posts_count": len(posts),
            }
            for title, author, posts in rows
        ],
    )
    first_post = _next_id(Post.id)
    post_rows, documents = [], []
    for offset, (title, _author, posts) in enumerate(rows):
        for number, (author_id, when) in enumerate(posts, start=1):
            body = " ".join(rng.sample(PHRASES, 2))
            post_rows.append(
                {
                    "topic_id": first_topic + offset,
                    "number": number,
                    "author_id": author_id,
                    "text": body,
                    "html": f"<p>{body}</p>",
                    "created_at": when,
                }
            )
            documents.append(f"{title} {body}" if number == 1 else body)
    for start in range(0, len(post_rows), 5_000):
        db.session.execute(insert(Post), post_rows[start : start + 5_000])
    if db.engine.dialect.name == "sqlite":
        db.session.execute(
            text("INSERT INTO forum_post_fts (rowid, words) VALUES (:id, :words)"),
            [
                {"id": first_post + i, "words": russian_words.index_document(document)}
                for i, document in enumerate(documents)
            ],
        )
    last = max(posts[-1][1] for _title, _author, posts in rows)
    db.session.execute(
        text("UPDATE forum SET topics_count = :t, posts_count = :p, last_post_at = :last WHERE id = :id"),
        {"t": len(rows), "p": len(post_rows), "last": last, "id": forum_id},
    )
    return first_topic


def _big_topic(rng: random.Random, authors: list[int], now: datetime) -> int:
    forum_id = _forum(ForumScope.NETWORK, 0, "bench-big-topic", "Большая дискуссия")
    start = now - timedelta(days=60)
    posts = [(rng.choice(authors), start + timedelta(minutes=30 * n)) for n in range(BIG_TOPIC_POSTS)]
    return _topics(forum_id, [("Как объяснить дроби: опыт коллег", authors[0], posts)], rng)


def _big_forum(rng: random.Random, authors: list[int], reader_id: int, now: datetime) -> int:
    forum_id = _forum(ForumScope.NETWORK, 0, "bench-big-forum", "Форум пяти тысяч тем")
    rows = []
    for n in range(BIG_FORUM_TOPICS):
        start = now - timedelta(minutes=30 * (BIG_FORUM_TOPICS - n) + 60)
        posts = [
            (rng.choice(authors), start + timedelta(minutes=10 * k)) for k in range(rng.choice((1, 2, 3)))
        ]
        rows.append((f"{rng.choice(TITLES)} — тема {n + 1}", rng.choice(authors), posts))
    first = _topics(forum_id, rows, rng)
    db.session.execute(
        insert(TopicRead),
        [
            {"user_id": reader_id, "topic_id": first + n, "last_read_number": 1}
            for n in range(0, BIG_FORUM_TOPICS, 3)
        ],
    )
    return forum_id


def _followed_forums(rng: random.Random, authors: list[int], reader_id: int, now: datetime) -> None:
    first = _next_id(Association.id)
    db.session.execute(
        insert(Association),
        [{"name": f"МО форумов № {n}", "district": f"Район {n % 20}"} for n in range(FOLLOWED_FORUMS)],
    )
    ids = range(first, first + FOLLOWED_FORUMS)
    db.session.execute(
        insert(AssociationMember),
        [
            {
                "association_id": i,
                "user_id": reader_id,
                "role": MemberRole.MEMBER,
                "status": MemberStatus.ACTIVE,
            }
            for i in ids
        ],
    )
    forum_ids = []
    for association_id in ids:
        forum_id = _forum(ForumScope.ASSOCIATION, association_id, "general", "Форум объединения")
        forum_ids.append(forum_id)
        rows = []
        for n in range(TOPICS_PER_FOLLOWED):
            when = now - timedelta(days=rng.uniform(0, 45))
            rows.append(
                (f"{rng.choice(TITLES)} ({n + 1})", rng.choice(authors), [(rng.choice(authors), when)])
            )
        _topics(forum_id, rows, rng)
    db.session.execute(
        insert(Subscription),
        [
            {
                "user_id": reader_id,
                "target": SubscriptionTarget.FORUM,
                "target_id": i,
                "mode": DeliveryMode.EACH,
            }
            for i in forum_ids
        ],
    )
    db.session.execute(
        insert(ForumRead),
        [
            {"user_id": reader_id, "forum_id": i, "read_before": now - timedelta(days=10)}
            for i in forum_ids[::2]
        ],
    )


def _digest(ctx: BenchContext, institution_id: int, authors: list[int], now: datetime) -> None:
    people = [
        {"email": f"digest{n}@forums.bench.vmeste.local", "full_name": f"Подписчик {n}"}
        for n in range(DIGEST_SUBSCRIBERS)
    ]
    _insert_people(ctx, institution_id, people)
    forum_id = _forum(ForumScope.NETWORK, 0, "bench-digest", "Новости сети")
    start = now - timedelta(hours=12)
    posts = [(authors[n % len(authors)], start + timedelta(minutes=20 * n)) for n in range(DIGEST_POSTS)]
    _topics(
        forum_id,
        [("Итоги недели в сети", authors[0], posts[:10]), ("Анонсы вебинаров", authors[1], posts[10:])],
        random.Random(1),
    )
    subscribers = select(User.id).where(User.email.like("digest%@forums.bench.vmeste.local"))
    db.session.execute(
        insert(Subscription).from_select(
            ["user_id", "target", "target_id", "mode", "forced", "created_at"],
            select(
                subscribers.subquery().c.id,
                literal(SubscriptionTarget.FORUM.value),
                literal(forum_id),
                literal(DeliveryMode.DIGEST.value),
                literal(False),
                literal(now - timedelta(days=3)),
            ),
        )
    )


def targets(ctx: BenchContext) -> list[HttpTarget]:
    reader = ctx.data.get("forum_reader", READER)
    topic_id = ctx.data.get("forum_big_topic_id", 1)
    forum_id = ctx.data.get("forum_big_forum_id", 1)
    last_page = (BIG_TOPIC_POSTS - 1) // POSTS_PER_PAGE + 1
    return [
        HttpTarget(
            "forum topic of 2,000 posts, page 1",
            f"/forums/topics/{topic_id}",
            login_as=reader,
            at_least=0.15,
        ),
        HttpTarget(
            f"forum topic of 2,000 posts, last page ({last_page})",
            f"/forums/topics/{topic_id}?page={last_page}",
            login_as=reader,
        ),
        HttpTarget("forum of 5,000 topics, page 1", f"/forums/{forum_id}", login_as=reader),
        HttpTarget("forum index, a reader of 200 association forums", "/forums/", login_as=reader),
        HttpTarget(
            f"forum search «{SEARCH}», all my forums", f"/forums/search?q={quote(SEARCH)}", login_as=reader
        ),
    ]


def pure(ctx: BenchContext) -> list[PureResult]:
    reader_id = int(ctx.data.get("forum_reader_id", 0))
    forum_id = int(ctx.data.get("forum_big_forum_id", 0))
    followed = list(
        db.session.scalars(select(Subscription.target_id).where(Subscription.user_id == reader_id))
    )
    topic_ids = list(
        db.session.scalars(
            select(Topic.id).where(Topic.forum_id == forum_id).order_by(Topic.last_post_at.desc()).limit(30)
        )
    )
    results = [
        timed(
            "header: followed forums with unread posts, 200 followed",
            lambda: _done(reading.followed_with_unread(reader_id, now=utcnow())),
        ),
        timed(
            "forum list: unread topics in 200 forums",
            lambda: _done(reading.unread_topics_by_forum(reader_id, followed, now=utcnow())),
        ),
        timed(
            "forum list: unread topics in the 5,000-topic forum",
            lambda: _done(reading.unread_topics_by_forum(reader_id, [forum_id], now=utcnow())),
        ),
        timed(
            "topic list: unread posts of 30 topics",
            lambda: _done(reading.unread_in_topics(reader_id, topic_ids, now=utcnow())),
        ),
    ]
    # With SMTP configured the job only queues the letters and the tick's mail job sends them; without
    # it every committed letter would be written to instance/outbox/ inline, which is the mail
    # delivery's cost, not the digest's. So the digest is measured as in production.
    config = ctx.app.config
    saved = config.get("MAIL_SERVER")
    config["MAIL_SERVER"] = "smtp.bench.invalid"
    try:
        results.append(
            timed(
                f"digest job, {DIGEST_SUBSCRIBERS:,} subscribers (letters queued)",
                lambda: send_digests(utcnow()),
                repeat=1,
            )
        )
        results.append(timed("digest job again (nobody due)", lambda: send_digests(utcnow()), repeat=1))
    finally:
        config["MAIL_SERVER"] = saved
    return results


def _done(result: object) -> object:
    db.session.rollback()
    return result
