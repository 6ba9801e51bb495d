"""The personal iCal feed: "my calendar" with the secret address (anonymous to the login, pupils
403), the feed without a login holding the person's events (with the link), course deadlines,
contest stages and jury demo slots and nothing of others; an unknown or reset token is a 404; the
feed validates with icalendar and takes a fixed number of queries whatever the number of items."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import select

from app.extensions import db
from app.timeutil import utcnow
from community.events.models import CalendarToken, RegistrationStatus
from contest_engine.jury.models import DemoSlot
from tests.conftest import login
from tests.factories.accounts import student, teacher
from tests.factories.contests import ParticipationFactory, StageFactory, contest_with_organiser
from tests.factories.courses import assignment, course, enrolled, module
from tests.factories.events import EventFactory, host, registration


def login_as(client, user) -> None:  # type: ignore[no-untyped-def]
    client.post("/auth/logout")
    login(client, user)


def token_for(client, user) -> str:  # type: ignore[no-untyped-def]
    login_as(client, user)
    assert client.post("/calendar/address").status_code == 302
    row = db.session.get(CalendarToken, user.id)
    assert row is not None
    db.session.refresh(row)
    return row.token


def feed(client, token: str) -> Calendar:  # type: ignore[no-untyped-def]
    client.post("/auth/logout")
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200 and response.content_type.startswith("text/calendar")
    return Calendar.from_ical(response.data)


def summaries(calendar: Calendar) -> set[str]:
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


def test_my_calendar_page_denials(client, app) -> None:
    assert client.get("/calendar").status_code == 302
    assert client.post("/calendar/reset").status_code == 302
    assert client.post("/calendar/address").status_code == 302
    login_as(client, student())
    assert client.get("/calendar").status_code == 403
    assert client.post("/calendar/reset").status_code == 403
    assert client.post("/calendar/address").status_code == 403
    assert db.session.scalar(select(CalendarToken.user_id)) is None


def test_the_page_shows_one_secret_address_and_how_to_subscribe(client, app) -> None:
    person = teacher()
    db.session.commit()
    login_as(client, person)
    page = client.get("/calendar").get_data(as_text=True)  # showing the page makes nothing
    assert "Получить адрес календаря" in page and "/calendar/address" in page
    assert db.session.scalar(select(CalendarToken.user_id)) is None
    first = token_for(client, person)
    login_as(client, person)
    page = client.get("/calendar").get_data(as_text=True)
    assert f"/calendar/{first}.ics" in page and "webcal://" in page
    assert "Google" in page and "Яндекс" in page and "Outlook" in page
    assert token_for(client, person) == first  # made once
    assert len(first) >= 32


def test_the_feed_holds_my_events_deadlines_stages_and_slots(client, app) -> None:
    now = utcnow()
    person = teacher()
    mine = EventFactory(title="Мой вебинар", timezone="Asia/Omsk")
    registration(mine, person)
    hosted = EventFactory(title="Веду сам", link="https://meet.example.org/host")
    host(hosted, person)
    waiting = EventFactory(title="Жду места")
    registration(waiting, person, status=RegistrationStatus.WAITING)
    EventFactory(title="Чужой вебинар")
    old = EventFactory(title="Давний", starts_at=now - timedelta(days=200))
    registration(old, person)
    studied = course(title="Курс ДОТ")
    enrolled(studied, person)
    assignment(module(studied), "Эссе о ДОТ", due_at=now + timedelta(days=10))
    other = course(title="Чужой курс")
    assignment(module(other), "Чужое задание", due_at=now + timedelta(days=10))
    contest, _organiser = contest_with_organiser(title="Учитель года")
    participation = ParticipationFactory(contest=contest, user=person)
    stage = StageFactory(contest=contest, title="Финал", opens_at=now, closes_at=now + timedelta(days=20))
    db.session.add(
        DemoSlot(
            stage_id=stage.id,
            starts_at=now + timedelta(days=15),
            duration_minutes=30,
            location="Актовый зал",
            participation_id=participation.id,
        )
    )
    db.session.commit()
    calendar = feed(client, token_for(client, person))
    names = summaries(calendar)
    assert {"Мой вебинар", "Веду сам", "Финал — Учитель года", "Открытый урок: Учитель года"} <= names
    assert "Срок сдачи: Эссе о ДОТ (Курс ДОТ)" in names
    assert not names & {"Жду места", "Чужой вебинар", "Давний", "Срок сдачи: Чужое задание (Чужой курс)"}
    by_name = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert "https://meet.example.org/webinar" in str(by_name["Мой вебинар"]["DESCRIPTION"])
    assert by_name["Мой вебинар"]["DTSTART"].params["TZID"] == "Asia/Omsk"
    assert str(by_name["Мой вебинар"]["UID"]) == f"event-{mine.id}@localhost"
    assert "Asia/Omsk" in {str(z["TZID"]) for z in calendar.walk("VTIMEZONE")}


def test_unknown_and_reset_tokens_are_404(client, app) -> None:
    person = teacher()
    db.session.commit()
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    old = token_for(client, person)
    response = client.post("/calendar/reset", follow_redirects=True)
    assert "Адрес обновлён" in response.get_data(as_text=True)
    new = db.session.scalar(select(CalendarToken.token).where(CalendarToken.user_id == person.id))
    assert new and new != old
    client.post("/auth/logout")
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_a_pupils_or_inactive_persons_token_answers_404(client, app) -> None:
    pupil, gone = student(), teacher(active=False)
    db.session.add_all(
        [CalendarToken(user_id=pupil.id, token="p" * 32), CalendarToken(user_id=gone.id, token="g" * 32)]
    )
    db.session.commit()
    assert client.get(f"/calendar/{'p' * 32}.ics").status_code == 404
    assert client.get(f"/calendar/{'g' * 32}.ics").status_code == 404


def test_the_feed_takes_a_fixed_number_of_queries(client, app, count_queries) -> None:
    person = teacher()
    studied = course()
    enrolled(studied, person)
    part = module(studied)
    db.session.commit()
    token = token_for(client, person)
    client.post("/auth/logout")

    def measure() -> tuple[int, int]:
        with count_queries(cold=True) as counter:
            response = client.get(f"/calendar/{token}.ics")
        assert response.status_code == 200
        return counter.count, len(Calendar.from_ical(response.data).walk("VEVENT"))

    few, items = measure()
    now = utcnow()
    person, part = db.session.merge(person), db.session.merge(part)
    for n in range(30):
        registration(EventFactory(starts_at=now + timedelta(days=n + 1)), person)
        assignment(part, f"Задание {n}", due_at=now + timedelta(days=n + 2))
    db.session.commit()
    many, more = measure()
    assert (many, more) == (few, items + 60)
