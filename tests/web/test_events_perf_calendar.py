"""The calendar's grid after its speed-up: a busy day's cell shows its first four events in start
order (times in the viewer's zone, a cancelled one struck through) and links to the day's list and
week with the filters kept; the week prints start–end in the viewer's zone; the list prints the host
institution and the seats; the month view runs the same queries for an empty month and a full one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.extensions import db
from app.timeutil import to_zone, utcnow
from community.events.models import EventKind, EventStatus
from tests.conftest import login
from tests.factories.accounts import district, institution_in, teacher
from tests.factories.events import EventFactory

ZONE = "Asia/Vladivostok"


def cell_of(page: str, day: str) -> str:
    return page.split(f'data-day="{day}"', 1)[1].split("</td>", 1)[0]


def test_a_busy_day_shows_its_first_four_and_links_keep_the_filters(client: Any) -> None:
    viewer = teacher(timezone=ZONE)
    base = (utcnow() + timedelta(days=3)).replace(hour=1, minute=0, second=0, microsecond=0)
    for n in range(7):
        EventFactory(
            title=f"Вебинар {n}",
            starts_at=base + timedelta(minutes=10 * (6 - n)),  # made in reverse: the grid sorts them
            ends_at=base + timedelta(hours=2),
            status=EventStatus.CANCELLED if n == 6 else EventStatus.SCHEDULED,
        )
    EventFactory(title="Семинар того же дня", kind=EventKind.SEMINAR, starts_at=base, ends_at=base)
    db.session.commit()
    login(client, viewer)
    local = to_zone(base, ZONE)
    day = local.date().isoformat()
    page = client.get(f"/events/month?month={local:%Y-%m}&kind=webinar").get_data(as_text=True)
    cell = cell_of(page, day)
    shown = [f"Вебинар {n}" for n in (6, 5, 4, 3)]
    assert all(title in cell for title in shown) and "Вебинар 2" not in cell
    assert [cell.index(title) for title in shown] == sorted(cell.index(title) for title in shown)
    assert f"{local:%H:%M} Вебинар 6" in cell and "Семинар того же дня" not in cell
    struck = cell.split("Вебинар 6", 1)[0].rsplit("<div", 1)[1]
    assert "text-decoration-line-through" in struck
    assert "и ещё 3" in cell
    assert f'href="/events?from={day}&amp;to={day}&amp;kind=webinar"' in cell
    assert f'href="/events/week?day={day}&amp;kind=webinar"' in cell
    quiet = (local + timedelta(days=1)).date().isoformat()
    assert "data-event" not in cell_of(page, quiet) and "ещё" not in cell_of(page, quiet)
    assert f'href="/events/week?day={quiet}&amp;kind=webinar"' in cell_of(page, quiet)


def test_the_week_prints_start_and_end_in_the_viewers_zone(client: Any) -> None:
    viewer = teacher(timezone=ZONE)
    event = EventFactory(title="Вебинар недели")
    db.session.commit()
    login(client, viewer)
    start, end = to_zone(event.starts_at, ZONE), to_zone(event.ends_at, ZONE)
    page = client.get(f"/events/week?day={start.date().isoformat()}").get_data(as_text=True)
    assert f"{start:%H:%M}–{end:%H:%M}" in page and "Вебинар недели" in page


def test_the_list_prints_the_institution_and_the_seats(client: Any) -> None:
    viewer = teacher()
    school = institution_in(district("Южный район"), "Гимназия № 3")
    EventFactory(title="С местами", institution_id=school.id, capacity=30, registered_count=12)
    EventFactory(title="Без мест", registered_count=4)
    db.session.commit()
    login(client, viewer)
    page = client.get("/events").get_data(as_text=True)
    row = page.split("С местами", 1)[1].split("</tr>", 1)[0]
    assert (
        "Гимназия № 3" in row
        and "12 / 30" in row
        and "<td>Вебинар</td>" in row
        and "<td>Дистанционно</td>" in row
    )
    other = page.split("Без мест", 1)[1].split("</tr>", 1)[0]
    assert "<td>4</td>" in other


def test_the_month_runs_the_same_queries_empty_or_full(client: Any, count_queries: Any) -> None:
    viewer = teacher()
    db.session.commit()
    login(client, viewer)
    month = to_zone(utcnow() + timedelta(days=40), "Europe/Moscow").strftime("%Y-%m")

    def measure() -> int:
        with count_queries(cold=True) as counter:
            assert client.get(f"/events/month?month={month}").status_code == 200
        return int(counter.count)

    empty = measure()
    start = utcnow() + timedelta(days=40)
    for n in range(40):
        EventFactory(starts_at=start + timedelta(hours=n), ends_at=start + timedelta(hours=n, minutes=45))
    db.session.commit()
    assert measure() == empty
