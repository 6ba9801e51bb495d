"""The demo calendar: a term's events through the calendar's services, loaded twice → once; held
webinars have attendance, certificates and feedback."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from app.certificates import Certificate, CertificateKind
from app.demo import load_accounts
from app.extensions import db
from app.timeutil import utcnow
from community.events.demo import SERIES_TITLE, load_events
from community.events.models import Event, EventFeedback, EventKind, EventRegistration
from community.library.demo import load_library


def test_the_demo_calendar_loads_once_with_a_term_of_events(app: Flask) -> None:
    load_accounts()
    load_library()
    load_events()
    assert load_events() == ["Calendar: already loaded"]
    series = db.session.scalars(select(Event).where(Event.title == SERIES_TITLE)).all()
    assert len(series) == 14 and len({event.series_id for event in series}) == 1
    kinds = set(db.session.scalars(select(Event.kind)))
    assert kinds == set(EventKind)
    attended = (
        select(func.count()).select_from(EventRegistration).where(EventRegistration.attended_at.is_not(None))
    )
    held = [event for event in series if event.ends_at < utcnow()]
    assert 3 <= len(held) <= 4  # from three weeks back: this week's too once Thursday's is over
    assert db.session.scalar(attended) == 3 * len(held)  # three of the four registered came
    assert db.session.scalar(select(func.count()).select_from(EventFeedback)) == 3 * len(held)
    certificates = (
        select(func.count())
        .select_from(Certificate)
        .where(Certificate.kind == CertificateKind.EVENT_ATTENDANCE)
    )
    assert db.session.scalar(certificates) == 3 * len(held)
