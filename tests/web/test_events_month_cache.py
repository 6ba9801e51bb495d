"""The month grid is cached (app/events/calendar_views.py): scheduling, editing and cancelling through
the services show at once on a month already seen; invitation-only events reach only the viewers who
may see them although viewers share grids; moving a school to another district moves its events in
the district filter; and the page's statements do not grow with the events, cached or not."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from app.districts import rename_district
from app.extensions import db
from app.institutions import save_institution
from app.timeutil import to_zone, utcnow
from community.events import scheduling
from community.events.models import Event, EventInvite
from community.events.scheduling import EventInput
from tests.conftest import login
from tests.factories.accounts import district, institution_in, methodist, teacher
from tests.factories.events import EventFactory

ZONE = "Europe/Moscow"


def _soon(days: int = 2) -> datetime:
    """A wall-clock time in Moscow `days` from now, at 15:00 (naive, as the form sends it)."""
    return to_zone(utcnow() + timedelta(days=days), ZONE).replace(
        hour=15, minute=0, second=0, microsecond=0, tzinfo=None
    )


def _input(title: str, **changes: Any) -> EventInput:
    base = EventInput(
        kind="webinar",
        title=title,
        description="",
        starts_at=_soon(),
        duration_minutes=60,
        timezone=ZONE,
        format="online",
        link="https://meet.example.org/grid",
    )
    return replace(base, **changes)


def _month(client: Any, day: datetime | None = None) -> str:
    shown = day or _soon()
    response = client.get(f"/events/month?month={shown:%Y-%m}")
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def _cell(page: str, event_id: int) -> str:
    return page.split(f'data-event="{event_id}"', 1)[1].split("</div>", 1)[0]


def test_scheduling_editing_and_cancelling_show_on_a_month_already_seen(client: Any) -> None:
    organiser, viewer = methodist(), teacher(timezone=ZONE)
    db.session.commit()
    login(client, viewer)
    assert "Смысловое чтение" not in _month(client)  # the grid is now kept
    week = f"/events/week?day={_soon():%Y-%m-%d}"
    assert "Смысловое чтение" not in client.get(week).get_data(as_text=True)  # and the week

    (event,) = scheduling.schedule(_input("Смысловое чтение"), actor=organiser, now=utcnow())
    event_id = event.id
    page = _month(client)
    assert "15:00 Смысловое чтение" in _cell(page, event_id)
    assert "Смысловое чтение" in _cell(client.get(week).get_data(as_text=True), event_id)

    saved = db.session.get_one(Event, event_id)
    scheduling.edit(saved, _input("Смысловое чтение: практикум"), actor=organiser, now=utcnow())
    assert "Смысловое чтение: практикум" in _cell(_month(client), event_id)
    assert "Смысловое чтение: практикум" in _cell(client.get(week).get_data(as_text=True), event_id)

    scheduling.cancel(db.session.get_one(Event, event_id), actor=organiser, now=utcnow())
    page = _month(client)
    assert "text-decoration-line-through" in page.split(f'data-event="{event_id}"', 1)[0].rsplit("<div", 1)[1]


def test_an_invitation_only_event_reaches_only_those_who_may_see_it(client: Any) -> None:
    organiser = methodist()
    guest, other = teacher(email="guest@school.example", timezone=ZONE), teacher(timezone=ZONE)
    db.session.commit()
    (event,) = scheduling.schedule(
        _input("Закрытый семинар", audience="invited", invitee_emails=["guest@school.example"]),
        actor=organiser,
        now=utcnow(),
    )
    event_id, other_id = event.id, other.id
    login(client, guest)
    assert "Закрытый семинар" in _month(client)
    second = client.application.test_client()
    login(second, db.session.get_one(type(other), other_id))
    assert "Закрытый семинар" not in _month(second)  # the guest's grid is not handed to others
    week = f"/events/week?day={_soon():%Y-%m-%d}"
    assert "Закрытый семинар" in client.get(week).get_data(as_text=True)
    assert "Закрытый семинар" not in second.get(week).get_data(as_text=True)
    # Invited later (a row, no version moved): the personal part is read on every request.
    db.session.add(EventInvite(event_id=event_id, user_id=other_id))
    db.session.commit()
    assert "Закрытый семинар" in _month(second)
    runner = client.application.test_client()
    login(runner, organiser)
    assert "Закрытый семинар" in _month(runner)  # those who run the calendar see everything


def test_moving_a_school_to_another_district_moves_its_events_in_the_filter(client: Any) -> None:
    north, south = district("Северный район"), district("Южный район")
    school = institution_in(north, "Школа № 7")
    event = EventFactory(
        title="Открытый урок в школе № 7", institution_id=school.id, starts_at=utcnow() + timedelta(days=2)
    )
    viewer = teacher(timezone=ZONE)
    db.session.commit()
    login(client, viewer)
    shown = to_zone(event.starts_at, ZONE)
    north_id, south_id = north.id, south.id

    def in_district(district_id: int) -> bool:
        page = client.get(f"/events/month?month={shown:%Y-%m}&district={district_id}").get_data(as_text=True)
        return "Открытый урок в школе № 7" in page

    assert in_district(north_id) and not in_district(south_id)
    save_institution(school, name=school.name, district_id=south_id, actor=None)
    assert in_district(south_id) and not in_district(north_id)


@pytest.mark.parametrize("filtered", ["", "&kind=webinar"])
def test_statements_do_not_grow_with_the_events_cached_or_not(
    client: Any, count_queries: Any, filtered: str
) -> None:
    viewer = teacher(timezone=ZONE)
    db.session.commit()
    login(client, viewer)
    path = f"/events/month?month={_soon():%Y-%m}{filtered}"
    built, kept = [], []
    for size in (3, 40):
        for n in range(size):
            starts = utcnow() + timedelta(days=1 + n % 20, hours=n % 5)
            EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=1))
        db.session.commit()
        with count_queries(cold=True) as counter:
            assert client.get(path).status_code == 200
        built.append(counter.count)
        with count_queries(cold=True) as counter:
            assert client.get(path).status_code == 200
        kept.append(counter.count)
    # Built (the filter bar's lists and the grid's two queries) or kept, whatever the events.
    assert built[0] == built[1] and kept[0] == kept[1] and kept[0] <= built[0] - 2, (built, kept)


def test_the_kept_filter_bar_follows_new_and_renamed_districts(client: Any) -> None:
    viewer = teacher(timezone=ZONE)
    first = district("Северный район")
    db.session.commit()
    login(client, viewer)
    for path in ("/events/month", "/events/week", "/events"):
        assert "Северный район" in client.get(path).get_data(as_text=True)
    district("Южный район")  # a new row, no version moved: the lists' fingerprint changes
    db.session.commit()
    rename_district(first, name="Заречный район", region="", actor=None)
    for path in ("/events/month", "/events/week", "/events"):
        page = client.get(path).get_data(as_text=True)
        assert "Южный район" in page and "Заречный район" in page and "Северный район" not in page
