"""Jury demo-lesson schedule: slots, picking and assigning with races, the iCalendar file."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from app.accounts import User
from app.domain_errors import Conflict, Forbidden, Invalid
from app.extensions import db
from contest_engine.jury import schedule
from contest_engine.jury.models import (
    DemoSlot,
)
from contest_engine.jury.setup import jury_config
from tests.factories.accounts import juror
from tests.factories.jury import jury_stage

NOW = datetime(2027, 1, 20, 9, 0, tzinfo=UTC)
LINKS = {
    "queue_url": "http://localhost/jury/",
    "set_password_url": lambda token: f"http://localhost/reset/{token}",
}
FULL = {"Содержание": 8, "Методика": 4}


def test_slots_pick_assign_and_race(app) -> None:
    built = jury_stage(entries=3, jurors=1)
    slot = schedule.create_slot(
        built.stage,
        starts_at=NOW,
        duration_minutes=30,
        location="https://meet.example/1",
        actor=built.organiser,
    )
    other = schedule.create_slot(
        built.stage,
        starts_at=NOW + timedelta(hours=1),
        duration_minutes=30,
        location="Ауд. 12",
        actor=built.organiser,
    )
    with pytest.raises(Invalid):
        schedule.create_slot(
            built.stage, starts_at=NOW, duration_minutes=0, location="", actor=built.organiser
        )
    with pytest.raises(Conflict):
        schedule.pick_slot(slot, built.participants[0], now=NOW)  # no deadline set: picking closed
    config = jury_config(built.stage)
    config.slot_pick_deadline = NOW + timedelta(days=1)
    db.session.add(config)
    db.session.commit()
    with pytest.raises(Forbidden):
        schedule.pick_slot(slot, juror(), now=NOW)
    slot_id, user_ids = slot.id, [u.id for u in built.participants[:2]]
    errors: list[Exception] = []

    def pick(user_id: int) -> threading.Thread:
        def run() -> None:
            with app.app_context():
                try:
                    schedule.pick_slot(
                        db.session.get(DemoSlot, slot_id), db.session.get(User, user_id), now=NOW
                    )
                except Conflict as error:
                    errors.append(error)
                finally:
                    db.session.remove()

        return threading.Thread(target=run)

    threads = [pick(uid) for uid in user_ids]
    db.session.commit()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(errors) == 1
    db.session.expire_all()
    assert db.session.get(DemoSlot, slot_id).participation_id is not None
    schedule.assign_slot(
        db.session.get(DemoSlot, other.id), built.participations[2].id, actor=built.organiser
    )
    with pytest.raises(Invalid):
        schedule.assign_slot(db.session.get(DemoSlot, other.id), 999999, actor=built.organiser)
    with pytest.raises(Conflict):
        schedule.pick_slot(db.session.get(DemoSlot, other.id), built.participants[0], now=NOW)
    with pytest.raises(Conflict):
        schedule.pick_slot(
            db.session.get(DemoSlot, other.id), built.participants[0], now=NOW + timedelta(days=2)
        )


def test_ics_is_rfc5545_in_utc(app) -> None:
    built = jury_stage(entries=0, jurors=0)
    slot = schedule.create_slot(
        built.stage,
        starts_at=datetime(2027, 3, 1, 7, 30, tzinfo=UTC),
        duration_minutes=45,
        location="https://meet.example/room, 1",
        actor=built.organiser,
    )
    text = schedule.slots_ics([slot], title="Открытый урок; финал", host="vmeste.local", now=NOW)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20270301T073000Z" in text and "DTEND:20270301T081500Z" in text
    assert "SUMMARY:Открытый урок\\; финал" in text and "LOCATION:https://meet.example/room\\, 1" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
