"""The calendar's pages: month, week and list in the viewer's zone, filters, invitation-only events
hidden from the uninvited, a fixed number of queries at any size, pupils and anonymous refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert

from app.accounts import Institution
from app.extensions import db
from app.timeutil import to_zone, utcnow
from community.events.models import EventSubject
from tests.conftest import login
from tests.factories.accounts import district, institution_in, methodist, student, teacher
from tests.factories.community import subjects
from tests.factories.events import EventFactory, host

PAGES = ("/events", "/events/month", "/events/week")


def at(days: float, hour: int = 13) -> dict[str, datetime]:
    moment = (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return {"starts_at": moment, "ends_at": moment + timedelta(minutes=90)}


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_is_sent_to_log_in(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("path", PAGES)
def test_pupils_are_refused(client: Any, path: str) -> None:
    pupil = student()
    db.session.commit()
    login(client, pupil)
    assert client.get(path).status_code == 403


def test_month_shows_the_event_on_its_local_day_with_the_viewer_time(client: Any) -> None:
    viewer = teacher(timezone="Asia/Vladivostok")
    event = EventFactory(title="Вебинар о диктантах", **at(1, hour=20))
    db.session.commit()
    login(client, viewer)
    local = to_zone(event.starts_at, "Asia/Vladivostok")
    page = client.get(f"/events/month?month={local:%Y-%m}").get_data(as_text=True)
    assert "Вебинар о диктантах" in page
    cell = page.split(f'data-day="{local.date().isoformat()}"', 1)[1].split("</td>", 1)[0]
    assert f"{local:%H:%M} Вебинар о диктантах" in cell
    assert "Владивосток (UTC+10)" in page  # the zone by its city, not «Asia/Vladivostok»
    assert "Asia/Vladivostok" not in page
    assert 'id="nav-calendar"' in page


def test_week_and_list_show_the_events_and_filters_narrow_them(client: Any) -> None:
    viewer = teacher()
    north = district("Северный район")
    school = institution_in(north, "Школа № 7")
    maths = subjects()["Математика"]
    lesson = EventFactory(kind="open_lesson", title="Открытый урок дробей", institution_id=school.id, **at(1))
    db.session.add(EventSubject(event_id=lesson.id, subject_id=maths.id))
    EventFactory(title="Семинар по чтению", kind="seminar", **at(1))
    db.session.commit()
    login(client, viewer)
    day = to_zone(lesson.starts_at, "Europe/Moscow").date().isoformat()
    week = client.get(f"/events/week?day={day}").get_data(as_text=True)
    assert "Открытый урок дробей" in week and "Семинар по чтению" in week
    for query in (
        "kind=open_lesson",
        f"subject={maths.id}",
        f"district={north.id}",
        f"institution_id={school.id}",
    ):
        page = client.get(f"/events?{query}").get_data(as_text=True)
        assert "Открытый урок дробей" in page and "Семинар по чтению" not in page, query
    assert "Математика" in client.get("/events").get_data(as_text=True)


def test_malformed_parameters_fall_back_instead_of_failing(client: Any) -> None:
    viewer = teacher()
    db.session.commit()
    login(client, viewer)
    for path in (
        "/events/month?month=0001-01",
        "/events/month?month=abc",
        "/events/week?day=9999-99-99",
        "/events?from=x&kind=party&district=abc&page=-1",
    ):
        assert client.get(path).status_code == 200, path


def test_an_invitation_only_event_is_hidden_from_the_uninvited(client: Any) -> None:
    EventFactory(title="Закрытое совещание", audience="invited", **at(1))
    viewer = teacher()
    db.session.commit()
    login(client, viewer)
    assert "Закрытое совещание" not in client.get("/events").get_data(as_text=True)
    runner, other = methodist(), client.application.test_client()
    db.session.commit()
    login(other, runner)
    assert "Закрытое совещание" in other.get("/events").get_data(as_text=True)


@pytest.mark.parametrize("path", PAGES)
def test_queries_do_not_grow_with_the_events(client: Any, count_queries: Any, path: str) -> None:
    viewer = teacher()
    maths_id = subjects()["Математика"].id
    db.session.commit()
    login(client, viewer)
    assert client.get(path).status_code == 200  # the filter bar is built once, then kept
    counts = []
    for size in (2, 12):
        for n in range(size):
            event = EventFactory(**at(1 + (n % 3) / 10))
            db.session.add(EventSubject(event_id=event.id, subject_id=maths_id))
        db.session.commit()
        with count_queries(cold=True) as counter:
            assert client.get(path).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_the_month_cell_shows_a_few_and_links_to_the_rest(client: Any) -> None:
    viewer = teacher()
    base = datetime.now(UTC) + timedelta(days=2)
    for n in range(6):
        EventFactory(
            title=f"Событие {n}", starts_at=base + timedelta(minutes=n), ends_at=base + timedelta(hours=1)
        )
    db.session.commit()
    login(client, viewer)
    local = to_zone(base, "Europe/Moscow")
    page = client.get(f"/events/month?month={local:%Y-%m}").get_data(as_text=True)
    assert "и ещё 2" in page or "and 2 more" in page


def test_a_large_network_picks_institutions_by_district(client: Any) -> None:
    viewer = teacher()
    north = district("Северный район")
    school = institution_in(north, "Школа № 101 Северная")
    db.session.execute(insert(Institution), [{"name": f"Школа № {n}"} for n in range(1, 101)])
    db.session.commit()
    login(client, viewer)
    everything = client.get("/events").get_data(as_text=True)
    assert "Школа № 101 Северная" not in everything and 'name="institution_id"' not in everything
    narrowed = client.get(f"/events?district={north.id}").get_data(as_text=True)
    assert f'<option value="{school.id}"' in narrowed and "Школа № 7<" not in narrowed


def test_a_host_finds_their_events_with_an_edit_link(client: Any) -> None:
    runner = teacher(hosts_events=True)
    mine, other = EventFactory(title="Мой вебинар", **at(1)), EventFactory(title="Чужой вебинар", **at(1))
    host(mine, runner)
    db.session.commit()
    login(client, runner)
    page = client.get("/events?mine=1").get_data(as_text=True)
    assert "Мой вебинар" in page and "Чужой вебинар" not in page
    assert f'data-edit="{mine.id}"' in page and 'id="filter-mine"' in page
    assert f'data-edit="{other.id}"' not in client.get("/events").get_data(as_text=True)
