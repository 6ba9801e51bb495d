"""The attendance links an event page includes: the host's page for those who manage it, the
attendee's page for the registered, nothing for anyone else."""

from __future__ import annotations

from flask import render_template

from app.extensions import db
from tests.factories.events import EventFactory


def test_links_by_role(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()
    db.session.commit()
    with app.test_request_context():
        host = render_template("events/attend_links.html", event=event, manages=True, registered=False)
        attendee = render_template("events/attend_links.html", event=event, manages=False, registered=True)
        other = render_template("events/attend_links.html", event=event, manages=False, registered=False)
    assert f"/events/{event.id}/attendance" in host and "check-in" not in host
    assert f"/events/{event.id}/check-in" in attendee and "/attendance" not in attendee
    assert "data-attend-links" not in other
