"""The event page and registering on it: who may open it (anonymous to the login, pupils 403), the
link only for the registered and the hosts, the questions on the form, the waiting position, the
refusals (a missing answer 422, closed 409, outside the audience 403), cancelling with the next
person promoted, and a fixed number of queries whatever the number of registrations."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.timeutil import utcnow
from community.events.models import EventAudience, EventRegistration, RegistrationStatus
from tests.conftest import login
from tests.factories.accounts import methodist, student, teacher
from tests.factories.community import AssociationFactory, add_member
from tests.factories.events import EventFactory, host, registration

LINK = "https://meet.example.org/webinar"


def login_as(client, user) -> None:  # type: ignore[no-untyped-def]
    client.post("/auth/logout")
    login(client, user)


def page_of(client, event_id: int) -> str:  # type: ignore[no-untyped-def]
    response = client.get(f"/events/{event_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_anonymous_goes_to_the_login_and_a_pupil_is_refused(client, app) -> None:
    event = EventFactory()
    db.session.commit()
    assert client.get(f"/events/{event.id}").status_code == 302
    assert client.post(f"/events/{event.id}/register").status_code == 302
    login_as(client, student())
    assert client.get(f"/events/{event.id}").status_code == 403
    assert client.post(f"/events/{event.id}/register").status_code == 403
    assert client.post(f"/events/{event.id}/cancel").status_code == 403
    assert client.get(f"/events/{event.id}.ics").status_code == 403
    assert db.session.scalar(select(EventRegistration.id)) is None


def test_unknown_event_is_404(client, app) -> None:
    login_as(client, teacher())
    assert client.get("/events/999999").status_code == 404


def test_the_link_only_for_the_registered_and_the_hosts(client, app) -> None:
    event = EventFactory(capacity=1, timezone="Asia/Novosibirsk")
    holder, waiting, stranger, leader = teacher(), teacher(), teacher(), teacher()
    registration(event, holder)
    registration(event, waiting, status=RegistrationStatus.WAITING)
    host(event, leader)
    db.session.commit()
    for person, sees in (
        (holder, True),
        (waiting, False),
        (stranger, False),
        (leader, True),
        (methodist(), True),
    ):
        db.session.commit()
        login_as(client, person)
        page = page_of(client, event.id)
        assert (LINK in page) is sees, person.email
        ics = client.get(f"/events/{event.id}.ics").get_data(as_text=True)
        assert ("meet.example.org" in ics) is sees
        assert "TZID=Asia/Novosibirsk" in ics
    login_as(client, waiting)
    assert "Вы номер 1 в листе ожидания" in page_of(client, event.id)


def test_times_are_shown_in_the_viewers_zone_and_the_hosts(client, app) -> None:
    start = (utcnow() + timedelta(days=5)).replace(hour=7, minute=0, second=0, microsecond=0)
    event = EventFactory(starts_at=start, ends_at=start + timedelta(minutes=90), timezone="Europe/Moscow")
    db.session.commit()
    login_as(client, teacher(timezone="Asia/Vladivostok"))
    page = page_of(client, event.id)
    assert "17:00" in page  # 07:00 UTC in Vladivostok
    assert "10:00" in page and "(Москва)" in page  # by the host's clock, named by its city


def test_register_with_the_questions(client, app, outbox) -> None:
    event = EventFactory(questions=[{"id": "q1", "text": "Какой класс вы ведёте?", "required": True}])
    person = teacher()
    db.session.commit()
    login_as(client, person)
    assert "Какой класс вы ведёте?" in page_of(client, event.id)
    refused = client.post(f"/events/{event.id}/register", data={"answer_q1": "  "})
    assert refused.status_code == 422
    assert "Ответьте, пожалуйста, на этот вопрос." in refused.get_data(as_text=True)
    assert db.session.scalar(select(EventRegistration.id)) is None
    done = client.post(f"/events/{event.id}/register", data={"answer_q1": "7 «Б»"})
    assert done.status_code == 302
    row = db.session.scalar(select(EventRegistration))
    assert row is not None and row.answers == {"q1": "7 «Б»"} and row.status == RegistrationStatus.REGISTERED
    page = page_of(client, event.id)
    assert "Вы зарегистрированы." in page and LINK in page
    assert len(outbox()) == 1
    twice = client.post(f"/events/{event.id}/register", data={"answer_q1": "7 «Б»"})
    assert twice.status_code == 409 and "Вы уже зарегистрированы" in twice.get_data(as_text=True)


def test_closed_registration_is_409_and_outside_the_audience_403_or_404(client, app) -> None:
    closed = EventFactory(registration_closes_at=utcnow() - timedelta(hours=1))
    association = AssociationFactory()
    db.session.flush()
    members_only = EventFactory(audience=EventAudience.ASSOCIATION, association_id=association.id)
    invited_only = EventFactory(audience=EventAudience.INVITED)
    member = teacher()
    add_member(association, member)
    db.session.commit()
    login_as(client, teacher())
    assert "Регистрация закрыта." in page_of(client, closed.id)
    response = client.post(f"/events/{closed.id}/register")
    assert response.status_code == 409 and "Регистрация на это событие закрыта." in response.get_data(
        as_text=True
    )
    assert client.post(f"/events/{members_only.id}/register").status_code == 403
    assert client.post(f"/events/{invited_only.id}/register").status_code == 404  # unknown to the uninvited
    assert "для членов объединения" in page_of(client, members_only.id)
    login_as(client, member)
    assert client.post(f"/events/{members_only.id}/register").status_code == 302
    assert db.session.scalar(select(EventRegistration.user_id)) == member.id


def test_full_event_puts_on_the_waiting_list_and_cancel_promotes(client, app) -> None:
    event = EventFactory(capacity=1)
    holder, next_one = teacher(), teacher()
    db.session.commit()
    login_as(client, holder)
    client.post(f"/events/{event.id}/register")
    login_as(client, next_one)
    assert "Встать в лист ожидания" in page_of(client, event.id)
    response = client.post(f"/events/{event.id}/register", follow_redirects=True)
    assert "Все места заняты" in response.get_data(as_text=True)
    login_as(client, holder)
    response = client.post(f"/events/{event.id}/cancel", follow_redirects=True)
    assert "Ваша регистрация отменена." in response.get_data(as_text=True)
    promoted = db.session.scalar(select(EventRegistration).where(EventRegistration.user_id == next_one.id))
    assert promoted is not None
    db.session.refresh(promoted)
    assert promoted.status == RegistrationStatus.REGISTERED
    again = client.post(f"/events/{event.id}/cancel", follow_redirects=True)
    assert "Вы не зарегистрированы на это событие." in again.get_data(as_text=True)


def test_the_page_takes_a_fixed_number_of_queries(client, app, count_queries) -> None:
    event = EventFactory(capacity=500)
    host(event, teacher())
    viewer = teacher()
    event_id = event.id
    db.session.commit()
    login_as(client, viewer)

    def measure() -> int:
        with count_queries(cold=True) as counter:
            assert client.get(f"/events/{event_id}").status_code == 200
        return counter.count

    few = measure()
    from_db = db.session.get(type(event), event_id)
    for _ in range(40):
        registration(from_db, teacher())  # type: ignore[arg-type]
    db.session.commit()
    assert measure() == few
