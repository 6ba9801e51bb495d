"""Events calendar: 5,000 events in the current term (bulk inserts, spread over four months, with
institutions, associations and subjects), and the calendar's month view, its list and the API list
on them; plus the month query's own timing. (Other parts of the calendar add their targets below in
functions of their own.)"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, select, text

from app.extensions import db
from app.timeutil import to_zone, utcnow
from bench.scenario import BenchContext, HttpTarget, PureResult, timed
from community.associations.models import Association
from community.events import calendar
from community.events.calendar import Filters, Viewer
from community.events.models import Event, EventAudience, EventFormat, EventKind, EventSubject
from community.subjects import Subject, ensure_default_subjects

TERM_EVENTS = 5_000
TERM_DAYS = 120
CHUNK = 1_000
KEY_PAGE = 0.15  # the bar for a key page (the calendar month), as a share of the bare page
THEMES = (
    "Функциональная грамотность",
    "Формирующее оценивание",
    "Смысловое чтение",
    "Подготовка к ОГЭ",
    "Проектная деятельность",
    "Цифровые инструменты учителя",
    "Работа с одарёнными детьми",
    "Инклюзивное образование",
)


def prepare(ctx: BenchContext) -> None:
    _prepare_term(ctx)


def targets(ctx: BenchContext) -> list[HttpTarget]:
    return _term_targets(ctx)


def pure(ctx: BenchContext) -> list[PureResult]:
    return _term_pure(ctx)


# --- the month view of a network with 5,000 events in the term (SCHEDULE) ----------------------------


def _prepare_term(ctx: BenchContext) -> None:
    rng = random.Random(13)
    ensure_default_subjects()
    institution_ids = ctx.data.get("institution_ids") or [None]
    subject_ids = list(db.session.scalars(select(Subject.id).order_by(Subject.id)))
    association_ids: list[int | None] = [*db.session.scalars(select(Association.id))] or [None]
    start = (utcnow() - timedelta(days=TERM_DAYS // 2)).replace(minute=0, second=0, microsecond=0)
    kinds = list(EventKind)
    for offset in range(0, TERM_EVENTS, CHUNK):
        rows = []
        for n in range(offset, min(offset + CHUNK, TERM_EVENTS)):
            begins = start + timedelta(days=rng.randrange(TERM_DAYS), hours=rng.randrange(8, 19))
            minutes = rng.choice((45, 60, 90, 120))
            kind = rng.choice(kinds)
            rows.append(
                {
                    "kind": kind,
                    "title": f"{rng.choice(THEMES)}: занятие {n + 1}",
                    "description": "",
                    "description_html": "",
                    "starts_at": begins,
                    "ends_at": begins + timedelta(minutes=minutes),
                    "duration_minutes": minutes,
                    "timezone": "Europe/Moscow",
                    "format": EventFormat.ONLINE,
                    "link": "https://meet.bench.vmeste.local/room",
                    "capacity": rng.choice((None, 30, 100)),
                    "audience": EventAudience.NETWORK,
                    "institution_id": rng.choice(institution_ids),
                    "association_id": rng.choice(association_ids) if rng.random() < 0.3 else None,
                    "grades": [],
                    "questions": [],
                    "checkin_code": f"{rng.randrange(1_000_000):06d}",
                    "hours": max(1, -(-minutes // 45)),
                }
            )
        db.session.execute(insert(Event), rows)
    ids = list(
        db.session.scalars(select(Event.id).where(Event.link == "https://meet.bench.vmeste.local/room"))
    )
    if subject_ids:
        db.session.execute(
            insert(EventSubject), [{"event_id": i, "subject_id": rng.choice(subject_ids)} for i in ids]
        )
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    ctx.data["events_month"] = to_zone(utcnow(), "Europe/Moscow").strftime("%Y-%m")
    ctx.data["events_kind"] = "webinar"


def _term_targets(ctx: BenchContext) -> list[HttpTarget]:
    teacher = ctx.data["teacher_email"]
    month = ctx.data["events_month"]
    return [
        HttpTarget(
            f"calendar month view ({TERM_EVENTS:,} events in the term)",
            f"/events/month?month={month}",
            login_as=teacher,
            at_least=KEY_PAGE,
        ),
        HttpTarget(
            "calendar month view, webinars only",
            f"/events/month?month={month}&kind=webinar",
            login_as=teacher,
            at_least=KEY_PAGE,
        ),
        HttpTarget("calendar week view (about 290 events)", "/events/week", login_as=teacher),
        HttpTarget("calendar list, page 1", "/events", login_as=teacher),
    ]


def _term_pure(ctx: BenchContext) -> list[PureResult]:
    now = utcnow()
    month = to_zone(now, "Europe/Moscow").date().replace(day=1)
    weeks = calendar.month_weeks(month.year, month.month)
    start, end = calendar.local_span(weeks[0][0], weeks[-1][-1] + timedelta(days=1), "Europe/Moscow")

    def month_cells() -> object:
        return calendar.month_cells(Filters(), Viewer(None, sees_all=False), start, end, "Europe/Moscow", 4)

    def week_cells() -> object:
        events = calendar.events_between(Filters(), Viewer(None, sees_all=False), start, start + timedelta(7))
        return calendar.week_cells(events, "Europe/Moscow")

    return [
        timed("calendar month cells: the span's events placed on days, 4 a day (service only)", month_cells),
        timed("calendar week cells, about 290 events (service only)", week_cells),
    ]
