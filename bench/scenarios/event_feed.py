"""Events calendar, REGISTER's part: the personal iCal feed of a teacher with 300 items (200 events
they are registered for, 100 course deadlines) served at /calendar/<token>.ics, the feed's own
build time, and the registration burst — 50 people at once for 10 seats over real HTTP (the app in a
threaded server of this process, one API token each), checked to leave exactly 10 registered and
40 waiting."""

from __future__ import annotations

import http.client
import threading
import time
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import insert, select
from werkzeug.serving import make_server

from app.account_services import issue_token
from app.accounts import Role, User
from app.extensions import db
from app.timeutil import utcnow
from bench.scenario import BenchContext, HttpTarget, PureResult, timed
from community.events import feed, ics
from community.events.models import Event, EventAudience, EventFormat, EventKind, EventRegistration
from courses import assignments, catalogue, structure
from courses.assignments import AssignmentSettings
from courses.catalogue import CourseSettings
from courses.items import ItemSettings

FEED_EVENTS = 200
FEED_DEADLINES = 100
BURST_PEOPLE = 50
BURST_SEATS = 10
FEED_TEACHER = "feed-teacher@bench.vmeste.local"
FEED_HOST = "calendar.bench.vmeste.local"


def prepare(ctx: BenchContext) -> None:
    now = utcnow().replace(microsecond=0)
    teacher = _people(ctx, [FEED_TEACHER])[0]
    events = [
        _event(now + timedelta(days=1 + n % 110, hours=n % 9), f"Вебинар ленты № {n + 1}")
        for n in range(FEED_EVENTS)
    ]
    db.session.execute(insert(Event), events)
    ids = list(db.session.scalars(select(Event.id).where(Event.title.like("Вебинар ленты № %"))))
    db.session.execute(
        insert(EventRegistration),
        [
            {"event_id": event_id, "user_id": teacher.id, "status": "registered", "answers": {}}
            for event_id in ids
        ],
    )
    db.session.commit()
    # The teacher authors the course: its deadlines are in the feed, as for a tutor.
    course = catalogue.create_course(CourseSettings(title="Курс для ленты", hours=36), actor=teacher)
    part = structure.add_module(course, title="Модуль", actor=teacher)
    for n in range(FEED_DEADLINES):
        assignments.create_assignment(
            part,
            ItemSettings(title=f"Задание {n + 1}"),
            AssignmentSettings(due_at=now + timedelta(days=2 + n), max_points=Decimal("10")),
            actor=teacher,
        )
    learner = db.session.get(User, teacher.id)
    assert learner is not None
    ctx.data["feed_token"] = feed.ensure_token(learner, now=now).token
    ctx.data["feed_user_id"] = teacher.id


def targets(ctx: BenchContext) -> list[HttpTarget]:
    token = ctx.data.get("feed_token")
    if not token:
        return []
    items = FEED_EVENTS + FEED_DEADLINES
    return [
        HttpTarget(f"personal iCal feed, {items} items", f"/calendar/{token}.ics"),
        HttpTarget(
            f"personal iCal feed, {items} items, a poll with its ETag (304)",
            f"/calendar/{token}.ics",
            headers={"Host": FEED_HOST, "If-None-Match": _feed_tag(ctx)},
        ),
    ]


def _feed_tag(ctx: BenchContext) -> str:
    """The tag a calendar got from its last poll. The file names the host it was fetched from (UIDs,
    links), so the poll sends a fixed Host and the tag is computed for that host."""
    owner = db.session.get(User, ctx.data["feed_user_id"])
    assert owner is not None
    with ctx.app.test_request_context("/", base_url=f"http://{FEED_HOST}/"):
        entries, name = feed.feed_entries(owner, now=utcnow())
    return f'W/"{ics.content_tag(entries, name=name)}"'


def pure(ctx: BenchContext) -> list[PureResult]:
    owner = db.session.get(User, ctx.data["feed_user_id"])
    assert owner is not None
    items = FEED_EVENTS + FEED_DEADLINES
    entries, name = feed.feed_entries(owner, now=utcnow())
    return [
        timed(f"feed service, {items} items (queries + file)", lambda: feed.feed_file(owner, now=utcnow())),
        timed(
            f"feed entries only, {items} items (the queries; a 304 stops here)",
            lambda: feed.feed_entries(owner, now=utcnow()),
        ),
        timed(
            f"feed file writer only, {items} items",
            lambda: ics.build_calendar(entries, name=name, now=utcnow()),
        ),
        _burst(ctx),
    ]


def _burst(ctx: BenchContext) -> PureResult:
    """50 POST /api/v1/events/{id}/registrations at the same moment, each on its own connection."""
    now = utcnow().replace(microsecond=0)
    db.session.execute(
        insert(Event), [_event(now + timedelta(days=7), "Вебинар: 10 мест", capacity=BURST_SEATS)]
    )
    event_id = db.session.scalar(select(Event.id).where(Event.title == "Вебинар: 10 мест"))
    people = _people(ctx, [f"burst{n}@bench.vmeste.local" for n in range(BURST_PEOPLE)])
    tokens = [issue_token(person, "bench") for person in people]
    db.session.remove()
    # Letters stay queued for the clock: the development file outbox would deliver each request's
    # letters on a second pooled connection, and fifty requests at once would exhaust the pool.
    ctx.app.config["MAIL_SERVER"] = "smtp.bench.invalid"
    server = make_server("127.0.0.1", 0, ctx.app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    statuses: list[str] = []
    barrier = threading.Barrier(BURST_PEOPLE + 1)

    def register(token: str) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=120)
        barrier.wait()
        connection.request(
            "POST",
            f"/api/v1/events/{event_id}/registrations",
            body=b"",
            headers={"Authorization": f"Bearer {token}"},
        )
        response = connection.getresponse()
        statuses.append(f"{response.status} {response.read().decode()[:40]}")

    clients = [threading.Thread(target=register, args=(token,)) for token in tokens]
    for client in clients:
        client.start()
    barrier.wait()
    started = time.perf_counter()
    for client in clients:
        client.join()
    elapsed = time.perf_counter() - started
    server.shutdown()
    ctx.app.config["MAIL_SERVER"] = ""
    registered = sum(1 for s in statuses if s.startswith("201") and "registered" in s)
    waiting = sum(1 for s in statuses if s.startswith("201") and "waiting" in s)
    if (registered, waiting) != (BURST_SEATS, BURST_PEOPLE - BURST_SEATS):
        raise RuntimeError(f"burst left {registered} registered and {waiting} waiting: {statuses[:5]}")
    return PureResult(
        f"registration burst over HTTP: {BURST_PEOPLE} at once for {BURST_SEATS} seats → "
        f"{registered} registered, {waiting} waiting (all answered)",
        seconds=elapsed,
    )


def _event(starts: object, title: str, capacity: int | None = None) -> dict[str, object]:
    return {
        "kind": EventKind.WEBINAR,
        "title": title,
        "description": "Нагрузочный вебинар",
        "description_html": "<p>Нагрузочный вебинар</p>",
        "starts_at": starts,
        "ends_at": starts + timedelta(minutes=90),  # type: ignore[operator]
        "duration_minutes": 90,
        "timezone": "Europe/Moscow",
        "format": EventFormat.ONLINE,
        "link": "https://meet.example.org/bench",
        "capacity": capacity,
        "audience": EventAudience.NETWORK,
        "checkin_code": "482913",
        "hours": 2,
    }


def _people(ctx: BenchContext, emails: list[str]) -> list[User]:
    institution_ids = ctx.data.get("institution_ids") or [None]
    db.session.execute(
        insert(User),
        [
            {
                "email": email,
                "full_name": f"Учитель Календарный {n + 1}",
                "role": Role.TEACHER,
                "institution_id": institution_ids[n % len(institution_ids)],
                "password_hash": ctx.password_hash,
                "timezone": "Europe/Moscow",
                "locale": "ru",
                "active": True,
            }
            for n, email in enumerate(emails)
        ],
    )
    db.session.commit()
    return list(db.session.scalars(select(User).where(User.email.in_(emails)).order_by(User.id)))
