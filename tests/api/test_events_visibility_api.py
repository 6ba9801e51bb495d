"""One rule for who may know an invitation-only event (app.permissions.events.can_see_event): the API's
show and cancel follow it as the event's page and registrations do, and the calendar's list shows
the event to the people registered for it."""

from __future__ import annotations

from typing import Any

from app.extensions import db
from community.associations.models import Association
from community.events.models import EventAudience, EventInvite
from tests.factories.accounts import teacher
from tests.factories.community import AssociationFactory, add_member
from tests.factories.events import EventFactory
from tests.factories.events import registration as registered


def _invited_event(association: Association | None = None) -> Any:
    return EventFactory(
        audience=EventAudience.INVITED, association_id=association.id if association else None
    )


def test_the_leader_of_the_events_association_sees_and_cancels_it(api: Any) -> None:
    association = AssociationFactory()
    leader, outsider = teacher(), teacher()
    add_member(association, leader, leader=True)
    event = _invited_event(association)
    db.session.commit()
    assert api(outsider).get(f"/events/{event.id}").status_code == 404
    assert api(outsider).post(f"/events/{event.id}/cancel").status_code == 404
    assert api(leader).get(f"/events/{event.id}").status_code == 200
    assert api(leader).post(f"/events/{event.id}/cancel").status_code == 200


def test_a_registered_person_still_sees_the_event_shown_and_listed(api: Any) -> None:
    person, guest = teacher(), teacher()
    event = _invited_event()
    registered(event, person)
    db.session.add(EventInvite(event_id=event.id, user_id=guest.id))
    db.session.commit()
    for who in (person, guest):
        assert api(who).get(f"/events/{event.id}").status_code == 200
        listed = api(who).get("/events").get_json()
        assert event.id in [item["id"] for item in listed["items"]]
    stranger = api(teacher()).get("/events").get_json()
    assert event.id not in [item["id"] for item in stranger["items"]]
