"""POST /api/v1/events (one event, a weekly series), GET /api/v1/events (filters, pagination) and
GET /api/v1/events/{id}: shapes, every refusal with the error shape and nothing written, the link only
for the registered and the hosts, a denial per role."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.timeutil import utcnow
from community.events.models import Event, EventHost, EventSeries, EventSubject, HostRole
from tests.factories.accounts import district, institution_in, methodist, organiser, student, teacher
from tests.factories.community import AssociationFactory, subjects
from tests.factories.events import EventFactory, host, registration


def start(days: int = 10) -> str:
    moment = (utcnow() + timedelta(days=days)).replace(hour=13, minute=0, second=0, microsecond=0)
    return moment.isoformat()


def body(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "webinar",
        "title": "Формирующее оценивание на уроках математики",
        "description": "Разбор приёмов **обратной связи**.",
        "starts_at": start(),
        "duration_minutes": 90,
        "timezone": "Europe/Moscow",
        "format": "online",
        "link": "https://meet.example.org/room",
        "capacity": 30,
        "audience": "network",
    }
    data.update(changes)
    return data


def events_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Event)) or 0


def test_create_one_event_answers_201_with_its_fields(api: Any) -> None:
    creator = methodist()
    maths = subjects()["Математика"]
    db.session.commit()
    response = api(creator).post("/events", body(subjects=[maths.id], grades=[5, 6]))
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["kind"] == "webinar"
    assert data["hours"] == 2
    assert data["link"] == "https://meet.example.org/room"  # the creator hosts it
    assert data["description_html"].count("<strong>") == 1
    event = db.session.get(Event, data["id"])
    assert event is not None and event.ends_at - event.starts_at == timedelta(minutes=90)
    assert len(event.checkin_code) == 6
    hosts = db.session.scalars(select(EventHost.user_id).where(EventHost.event_id == event.id)).all()
    assert list(hosts) == [creator.id]
    assert (
        db.session.scalar(select(EventSubject.subject_id).where(EventSubject.event_id == event.id))
        == maths.id
    )


def test_a_weekly_series_answers_the_ids(api: Any) -> None:
    creator = methodist()
    db.session.commit()
    first = utcnow() + timedelta(days=3)
    until = (first + timedelta(weeks=5)).date()
    response = api(creator).post(
        "/events", body(starts_at=first.isoformat(), repeat={"weekly_until": str(until)})
    )
    assert response.status_code == 201, response.get_json()
    ids = response.get_json()["ids"]
    assert len(ids) == 6
    rows = db.session.scalars(select(Event).where(Event.id.in_(ids)).order_by(Event.starts_at)).all()
    assert len({row.series_id for row in rows}) == 1
    assert db.session.get(EventSeries, rows[0].series_id) is not None
    assert [(b.starts_at - a.starts_at).days for a, b in zip(rows, rows[1:], strict=False)] == [7] * 5


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_at": (utcnow() - timedelta(hours=1)).isoformat()}, "starts_at"),
        ({"duration_minutes": -30}, "duration_minutes"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 13 * 60}, "duration_minutes"),
        ({"capacity": 0}, "capacity"),
        ({"link": "javascript:alert(1)"}, "link"),
        ({"format": "offline", "address": ""}, "address"),
        ({"audience": "association"}, "association_id"),
        ({"registration_closes_at": start(11)}, "registration_closes_at"),
        ({"repeat": {"weekly_until": "2000-01-01"}}, "repeat.weekly_until"),
        ({"timezone": "Mars/Base"}, "timezone"),
        ({"kind": "party"}, "kind"),
        ({"institution_id": 999_999}, "institution_id"),
        ({"subjects": [999_999]}, "subjects"),
        ({"invitees": ["nobody@example.org"], "audience": "invited"}, "invitees"),
        ({"title": ""}, "title"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_create_refusals_are_422_by_the_field_and_write_nothing(
    api: Any, changes: dict[str, Any], field: str
) -> None:
    creator = methodist()
    db.session.commit()
    response = api(creator).post("/events", body(**changes))
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "validation"
    assert field in error["fields"], error
    assert events_count() == 0


@pytest.mark.parametrize("make", [teacher, student])
def test_create_is_refused_to_those_who_may_not_host(api: Any, make: Any) -> None:
    user = make()
    db.session.commit()
    response = api(user).post("/events", body())
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert events_count() == 0


def test_create_without_a_token_is_401(api: Any) -> None:
    assert api().post("/events", body()).status_code == 401


def test_a_trusted_teacher_creates_but_not_in_an_association_they_do_not_lead(api: Any) -> None:
    trusted = teacher(hosts_events=True)
    association = AssociationFactory()
    db.session.commit()
    assert api(trusted).post("/events", body()).status_code == 201
    response = api(trusted).post("/events", body(association_id=association.id, audience="association"))
    assert response.status_code == 403


def test_list_filters_by_kind_subject_district_and_association(api: Any) -> None:
    reader = teacher()
    north = district("Северный район")
    school = institution_in(north, "Школа № 5")
    maths = subjects()["Математика"]
    association = AssociationFactory()
    lesson = EventFactory(kind="open_lesson", institution_id=school.id)
    db.session.add(EventSubject(event_id=lesson.id, subject_id=maths.id))
    webinar = EventFactory(association_id=association.id)
    db.session.commit()
    client = api(reader)

    def ids(query: str) -> list[int]:
        response = client.get(f"/events?{query}")
        assert response.status_code == 200, response.get_json()
        return [item["id"] for item in response.get_json()["items"]]

    assert ids("") == sorted([lesson.id, webinar.id])
    assert ids("kind=open_lesson") == [lesson.id]
    assert ids(f"subject={maths.id}") == [lesson.id]
    assert ids(f"district={north.id}") == [lesson.id]
    assert ids(f"association_id={association.id}") == [webinar.id]
    later = (utcnow() + timedelta(days=30)).isoformat()
    assert ids(f"from={later.replace('+', '%2B')}") == []


def test_list_is_paginated_and_never_has_the_link(api: Any) -> None:
    reader = teacher()
    base = utcnow() + timedelta(days=2)
    for n in range(5):
        event = EventFactory(
            starts_at=base + timedelta(hours=n), ends_at=base + timedelta(hours=n, minutes=90)
        )
        registration(event, reader)
    db.session.commit()
    data = api(reader).get("/events?per_page=2&page=2").get_json()
    assert (data["page"], data["per_page"], data["total"], len(data["items"])) == (2, 2, 5, 2)
    assert all("link" not in item for item in data["items"])


@pytest.mark.parametrize("query", ["kind=party", "district=abc", "from=yesterday", "per_page=0"])
def test_list_refuses_malformed_filters(api: Any, query: str) -> None:
    reader = teacher()
    db.session.commit()
    response = api(reader).get(f"/events?{query}")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]


def test_list_is_refused_to_pupils(api: Any) -> None:
    pupil = student()
    db.session.commit()
    assert api(pupil).get("/events").status_code == 403


def test_show_gives_the_link_only_to_the_registered_and_the_hosts(api: Any) -> None:
    event = EventFactory()
    stranger, registered, waiting, runner = teacher(), teacher(), teacher(), teacher()
    registration(event, registered)
    registration(event, waiting, status="waiting")
    host(event, runner)
    db.session.commit()
    path = f"/events/{event.id}"
    assert "link" not in api(stranger).get(path).get_json()
    assert "link" not in api(waiting).get(path).get_json()
    assert api(registered).get(path).get_json()["link"] == event.link
    assert api(runner).get(path).get_json()["link"] == event.link
    assert "link" not in api(organiser()).get(path).get_json()


def test_show_hides_an_invitation_only_event_from_the_uninvited(api: Any) -> None:
    event = EventFactory(audience="invited")
    db.session.commit()
    assert api(teacher()).get(f"/events/{event.id}").status_code == 404
    assert api(methodist()).get(f"/events/{event.id}").status_code == 200
    assert api(teacher()).get("/events/999999").status_code == 404
    assert api(student()).get(f"/events/{event.id}").status_code == 403


def test_create_reads_a_naive_start_in_the_given_zone(api: Any) -> None:
    creator = methodist()
    db.session.commit()
    local = (utcnow() + timedelta(days=5)).replace(hour=16, minute=0, second=0, microsecond=0, tzinfo=None)
    response = api(creator).post("/events", body(starts_at=local.isoformat(), timezone="Asia/Novosibirsk"))
    assert response.status_code == 201
    stored = datetime.fromisoformat(response.get_json()["starts_at"])
    assert stored.astimezone(UTC).hour == 9  # 16:00 in Novosibirsk is 09:00 UTC


def test_the_list_keeps_its_queries_at_any_size(api: Any, count_queries: Any) -> None:
    reader = teacher()
    maths_id = subjects()["Математика"].id
    db.session.commit()
    client = api(reader)
    counts = []
    for size in (2, 15):
        for _ in range(size):
            event = EventFactory()
            db.session.add(EventSubject(event_id=event.id, subject_id=maths_id))
        db.session.commit()
        with count_queries(cold=True) as counter:
            assert client.get("/events").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_cancel_by_a_host_tells_the_registered_and_others_are_refused(api: Any) -> None:
    runner, stranger, person = teacher(), teacher(), teacher()
    event = EventFactory()
    host(event, runner)
    registration(event, person)
    db.session.commit()
    path = f"/events/{event.id}/cancel"
    assert api(stranger).post(path, {}).status_code == 403
    assert api(student()).post(path, {}).status_code == 403
    assert api().post(path, {}).status_code == 401
    assert api(runner).post("/events/999999/cancel", {}).status_code == 404
    done = api(runner).post(path, {})
    assert done.status_code == 200 and done.get_json() == {"id": event.id, "status": "cancelled", "told": 1}
    again = api(runner).post(path, {})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "conflict"


def test_mine_lists_only_the_events_the_caller_hosts(api: Any) -> None:
    runner = teacher()
    hosted, spoken, other = EventFactory(), EventFactory(), EventFactory()
    host(hosted, runner)
    host(spoken, runner, role=HostRole.SPEAKER)
    db.session.commit()
    items = api(runner).get("/events?mine=1").get_json()["items"]
    assert [item["id"] for item in items] == [hosted.id]
    assert other.id in [item["id"] for item in api(runner).get("/events").get_json()["items"]]
