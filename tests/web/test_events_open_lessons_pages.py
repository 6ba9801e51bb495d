"""The organiser's switch on the jury's schedule page: opens a final's demo lessons to colleagues (an
open lesson per slot in the calendar), refused for a blind stage, and only for the organisers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.permissions.events import may_join_audience
from app.timeutil import utcnow
from community.events.models import Event
from contest_engine.jury import schedule
from contest_engine.jury.models import JuryConfig
from tests.conftest import login
from tests.factories.accounts import student, teacher
from tests.factories.jury import jury_stage


def _events() -> int:
    return db.session.scalar(select(func.count()).select_from(Event)) or 0


def _with_slot(blind: bool = False):  # type: ignore[no-untyped-def]
    built = jury_stage(blind=blind)
    start = (utcnow() + timedelta(days=2)).replace(microsecond=0)
    schedule.create_slot(
        built.stage, starts_at=start, duration_minutes=45, location="Каб. 12", actor=built.organiser
    )
    return built


def test_the_organiser_opens_and_closes_the_demo_lessons(client) -> None:  # type: ignore[no-untyped-def]
    built = _with_slot()
    login(client, built.organiser)
    page = client.get(f"/jury/stages/{built.stage.id}/schedule").get_data(as_text=True)
    assert "data-open-lessons" in page and "Открыть конкурсные уроки для коллег" in page
    opened = client.post(f"/jury/stages/{built.stage.id}/schedule/open", data={"open": "1"})
    assert opened.status_code == 302 and _events() == 1
    lesson = db.session.scalar(select(Event))
    assert lesson is not None and lesson.address == "Каб. 12" and lesson.link == ""
    assert may_join_audience(teacher(), lesson) and not may_join_audience(student(), lesson)
    assert "Закрыть конкурсные уроки" in client.get(f"/jury/stages/{built.stage.id}/schedule").get_data(
        as_text=True
    )
    assert (
        client.post(f"/jury/stages/{built.stage.id}/schedule/open", data={"open": "maybe"}).status_code == 302
    )
    assert _events() == 1
    client.post(f"/jury/stages/{built.stage.id}/schedule/open", data={"open": "0"})
    assert _events() == 0


def test_a_blind_stage_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    built = _with_slot(blind=True)
    login(client, built.organiser)
    assert "data-open-blind" in client.get(f"/jury/stages/{built.stage.id}/schedule").get_data(as_text=True)
    response = client.post(
        f"/jury/stages/{built.stage.id}/schedule/open", data={"open": "1"}, follow_redirects=True
    )
    assert "слепого этапа нельзя открыть" in response.get_data(as_text=True)
    config = db.session.get(JuryConfig, built.stage.id)
    assert config is not None and not config.open_to_colleagues and _events() == 0


def test_only_organisers_switch(client) -> None:  # type: ignore[no-untyped-def]
    built = _with_slot()
    path = f"/jury/stages/{built.stage.id}/schedule/open"
    assert client.post(path, data={"open": "1"}).status_code == 302  # anonymous: to the login
    for who in (built.jurors[0], built.participants[0], teacher(), student()):
        login(client, who)
        assert client.post(path, data={"open": "1"}).status_code == 403
        client.post("/auth/logout")
    assert _events() == 0
