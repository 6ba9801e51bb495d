"""Open demo lessons: the organiser opens a final's schedule to colleagues and each demo slot is an
open lesson in the calendar, kept in step when slots are added, assigned or deleted; never for a
blind stage; closing withdraws them (cancelled where colleagues registered)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.demo import load_accounts
from app.domain_errors import Conflict
from app.extensions import db
from app.timeutil import utcnow
from community.events.models import Event, EventHost, EventKind, EventStatus, HostRole
from contest_engine.jury import open_lessons, schedule
from contest_engine.jury.demo import OPEN_TITLE, load_open_final
from contest_engine.jury.models import JuryConfig
from contest_engine.jury.setup import save_jury_settings
from tests.factories.accounts import teacher
from tests.factories.events import registration
from tests.factories.jury import jury_stage


def _events() -> list[Event]:
    return list(db.session.scalars(select(Event).order_by(Event.starts_at)))


def _slot(built, day: int = 3):  # type: ignore[no-untyped-def]
    start = (utcnow() + timedelta(days=day)).replace(microsecond=0)
    return schedule.create_slot(
        built.stage,
        starts_at=start,
        duration_minutes=50,
        location="https://sferum.example/x",
        actor=built.organiser,
    )


def test_opening_makes_one_open_lesson_per_slot_with_the_finalist(app) -> None:  # type: ignore[no-untyped-def]
    built = jury_stage()
    first, second = _slot(built, 3), _slot(built, 4)
    schedule.assign_slot(first, built.participations[0].id, actor=built.organiser)
    assert _events() == []  # not open yet
    open_lessons.set_open(built.stage, True, actor=built.organiser)
    events = _events()
    assert [e.demo_slot_id for e in events] == [first.id, second.id]
    lesson = events[0]
    assert lesson.kind == EventKind.OPEN_LESSON and lesson.link == "https://sferum.example/x"
    assert built.participants[0].full_name in lesson.title and built.contest.title in lesson.title
    assert lesson.hours == 2 and lesson.ends_at == lesson.starts_at + timedelta(minutes=50)
    rows = db.session.execute(
        select(EventHost.user_id, EventHost.role).where(EventHost.event_id == lesson.id)
    )
    roles = {row[0]: row[1] for row in rows}
    assert roles == {built.organiser.id: HostRole.HOST, built.participants[0].id: HostRole.SPEAKER}
    assert built.participants[0].full_name not in events[1].title  # a free slot names nobody


def test_slots_changing_keep_the_calendar_in_step(app) -> None:  # type: ignore[no-untyped-def]
    built = jury_stage()
    open_lessons.set_open(built.stage, True, actor=built.organiser)
    slot = _slot(built)
    assert len(_events()) == 1
    schedule.assign_slot(slot, built.participations[1].id, actor=built.organiser)
    assert built.participants[1].full_name in _events()[0].title
    schedule.delete_slot(slot, actor=built.organiser)
    assert _events() == []


def test_a_blind_stage_is_never_opened(app) -> None:  # type: ignore[no-untyped-def]
    built = jury_stage(blind=True)
    _slot(built)
    with pytest.raises(Conflict):
        open_lessons.set_open(built.stage, True, actor=built.organiser)
    config = db.session.get(JuryConfig, built.stage.id)
    assert config is not None and not config.open_to_colleagues and _events() == []


def test_a_stage_made_blind_later_withdraws_its_lessons(app) -> None:  # type: ignore[no-untyped-def]
    built = jury_stage()
    _slot(built)
    open_lessons.set_open(built.stage, True, actor=built.organiser)
    assert len(_events()) == 1
    save_jury_settings(
        built.stage,
        aggregation="mean",
        jurors_per_entry=None,
        blind=True,
        disagreement_threshold=None,
        scoring_due_at=None,
        slot_pick_deadline=None,
        actor=built.organiser,
    )
    config = db.session.get(JuryConfig, built.stage.id)
    assert config is not None and not config.open_to_colleagues and _events() == []


def test_closing_cancels_lessons_colleagues_registered_for(app) -> None:  # type: ignore[no-untyped-def]
    built = jury_stage()
    kept, empty = _slot(built, 3), _slot(built, 4)
    open_lessons.set_open(built.stage, True, actor=built.organiser)
    watched = db.session.scalar(select(Event).where(Event.demo_slot_id == kept.id))
    assert watched is not None
    registration(watched, teacher())
    db.session.commit()
    open_lessons.set_open(built.stage, False, actor=built.organiser)
    events = _events()
    assert len(events) == 1 and events[0].status == EventStatus.CANCELLED and events[0].demo_slot_id is None
    assert db.session.scalar(select(Event).where(Event.demo_slot_id == empty.id)) is None
    open_lessons.set_open(built.stage, True, actor=built.organiser)  # opened again: fresh lessons
    assert (
        db.session.scalar(select(func.count()).select_from(Event).where(Event.demo_slot_id.is_not(None))) == 2
    )


def test_the_demo_has_an_open_final_in_the_calendar(app) -> None:  # type: ignore[no-untyped-def]
    load_accounts()
    first = load_open_final()
    again = load_open_final()
    assert "/events" in first[0] and "already" in again[0]
    events = _events()
    assert len(events) == 2 and all(e.kind == EventKind.OPEN_LESSON for e in events)
    assert all("финалист" in e.title and OPEN_TITLE in e.title for e in events)
