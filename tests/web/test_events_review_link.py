"""The video link across every surface (the event page, the calendar's views, the JSON, both .ics
files, the personal feed, letters and notices): never to a colleague who is not registered or only
waits, nothing at all to a pupil; and an invitation-only event is unknown (404) to the uninvited."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from app.extensions import db
from app.notifications import Notification
from app.timeutil import to_zone, utcnow
from community.events import feed, registration
from community.events.models import EventAudience, EventInvite, HostRole, RegistrationStatus
from tests.conftest import login
from tests.factories.accounts import methodist, student, teacher
from tests.factories.events import EventFactory, host
from tests.factories.events import registration as registered

LINK = "https://meet.example.org/secret-room-7731"


def _pages(event_id: int, starts: Any) -> list[str]:
    local = to_zone(starts, "Europe/Moscow")
    return [
        f"/events/{event_id}",
        f"/events/{event_id}.ics",
        f"/events?from={local.date().isoformat()}",
        f"/events/month?month={local.strftime('%Y-%m')}",
        f"/events/week?day={local.date().isoformat()}",
    ]


def _bodies(client: Any, api: Any, user: Any, event: Any) -> dict[str, str]:
    """Every answer a person can get about the event, by where it came from."""
    found: dict[str, str] = {}
    login(client, user)
    for path in _pages(event.id, event.starts_at):
        response = client.get(path)
        assert response.status_code == 200, path
        found[path] = response.get_data(as_text=True)
    client.post("/auth/logout")
    caller = api(user)
    for path in (
        f"/events/{event.id}",
        f"/events/{event.id}.ics",
        "/events",
        f"/events/{event.id}/registration",
    ):
        response = caller.get(path)
        assert response.status_code == 200, path
        found["api " + path] = response.get_data(as_text=True)
    token = feed.ensure_token(user, now=utcnow()).token
    found["feed"] = client.get(f"/calendar/{token}.ics").get_data(as_text=True)
    return found


def _mail_to(outbox: Any, address: str) -> list[str]:
    letters: list[EmailMessage] = [m for m in outbox() if address in str(m["To"])]
    texts = []
    for letter in letters:
        texts.extend(part.get_content() for part in letter.walk() if not part.is_multipart())
    return [text if isinstance(text, str) else text.decode() for text in texts]


def test_the_link_reaches_no_one_who_only_waits_or_is_not_registered(
    client: Any, api: Any, outbox: Any
) -> None:
    event = EventFactory(link=LINK, capacity=1)
    seated, waiting, outsider = teacher(), teacher(), teacher()
    db.session.commit()
    registration.register(event, seated, {}, now=utcnow())
    row = registration.register(event, waiting, {}, now=utcnow())
    assert row.status == RegistrationStatus.WAITING
    for person in (waiting, outsider):
        for where, body in _bodies(client, api, person, event).items():
            assert LINK not in body, (person.email, where)
        assert all(LINK not in text for text in _mail_to(outbox, person.email))
        notices = db.session.query(Notification).filter_by(user_id=person.id).all()
        assert all(LINK not in (notice.text or "") for notice in notices)
    seen = _bodies(client, api, seated, event)
    assert (
        LINK in seen[f"/events/{event.id}"]
        and LINK in seen["feed"]
        and LINK in seen["api " + f"/events/{event.id}"]
    )
    assert any(LINK in text for text in _mail_to(outbox, seated.email))


def test_a_pupil_gets_nothing_of_the_event(client: Any, api: Any) -> None:
    event = EventFactory(link=LINK)
    pupil = student()
    db.session.commit()
    login(client, pupil)
    for path in _pages(event.id, event.starts_at):
        response = client.get(path)
        assert response.status_code == 403 and LINK not in response.get_data(as_text=True), path
    for path in (f"/events/{event.id}", f"/events/{event.id}.ics", "/events", "/calendar"):
        response = api(pupil).get(path)
        assert response.status_code == 403 and LINK not in response.get_data(as_text=True), path


def test_a_speaker_sees_the_link_where_their_feed_already_holds_it(client: Any, api: Any) -> None:
    event = EventFactory(link=LINK)
    speaker = teacher()
    host(event, speaker, role=HostRole.SPEAKER)
    db.session.commit()
    seen = _bodies(client, api, speaker, event)
    assert (
        LINK in seen["feed"]
        and LINK in seen[f"/events/{event.id}"]
        and LINK in seen[f"/events/{event.id}.ics"]
    )


def test_an_invitation_only_event_is_unknown_to_the_uninvited(client: Any, api: Any) -> None:
    event = EventFactory(audience=EventAudience.INVITED, link=LINK, address="Кабинет 12")
    guest, outsider, runner = teacher(), teacher(), methodist()
    db.session.add(EventInvite(event_id=event.id, user_id=guest.id))
    db.session.commit()
    login(client, outsider)
    assert client.get(f"/events/{event.id}").status_code == 404
    assert client.post(f"/events/{event.id}/register").status_code == 404
    assert client.get(f"/events/{event.id}.ics").status_code == 404  # the page's .ics download too
    client.post("/auth/logout")
    caller = api(outsider)
    for method, path in (
        ("GET", f"/events/{event.id}"),
        ("GET", f"/events/{event.id}.ics"),
        ("GET", f"/events/{event.id}/registration"),
        ("POST", f"/events/{event.id}/registrations"),
        ("DELETE", f"/events/{event.id}/registrations"),
    ):
        response = caller.request(method, path)
        assert response.status_code == 404 and event.title not in response.get_data(as_text=True), path
    for person in (guest, runner):
        login(client, person)
        assert client.get(f"/events/{event.id}").status_code == 200
        client.post("/auth/logout")
    assert api(guest).post(f"/events/{event.id}/registrations").status_code == 201


def test_a_registration_made_before_the_event_turned_invitation_only_keeps_the_page(client: Any) -> None:
    event = EventFactory(starts_at=(utcnow() + timedelta(days=2)).replace(microsecond=0))
    person = teacher()
    registered(event, person)
    event.audience = EventAudience.INVITED
    db.session.commit()
    login(client, person)
    assert client.get(f"/events/{event.id}").status_code == 200
