"""A person's calendar feed: the secret address (/calendar/<token>.ics) Google, Yandex or Outlook
subscribe to, and what it holds — the events they are registered for or host (with the video link:
the feed is theirs alone), and every registered provider's items (course deadlines, contest stages,
jury demo slots). Resetting the token replaces the secret, so the old address stops answering.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update

from app import audit
from app.accounts import User
from app.extensions import added, db, rows_changed
from app.i18n import _, force_locale
from app.notifications import site_link
from community.events import ics
from community.events.feed_items import feed_providers
from community.events.models import (
    CalendarToken,
    Event,
    EventHost,
    EventRegistration,
    RegistrationStatus,
)
from community.events.registration_letters import event_path, site_domain

# How far back the feed reaches (a calendar keeps what it read before) and how many events it holds.
HISTORY = timedelta(days=90)
EVENT_LIMIT = 1000


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def token_of(user_id: int) -> CalendarToken | None:
    return db.session.get(CalendarToken, user_id)


def ensure_token(user: User, *, now: datetime) -> CalendarToken:
    """The person's token, made on first use (two first visits at once make one)."""
    found = token_of(user.id)
    if found is not None:
        return found
    if added(CalendarToken(user_id=user.id, token=new_secret(), created_at=now)):
        audit.record("calendar.token_created", actor=user, scope_type="user", scope_id=user.id)
    db.session.commit()
    made = token_of(user.id)
    assert made is not None
    return made


def reset_token(user: User, *, now: datetime) -> CalendarToken:
    """A new secret: every calendar subscribed to the old address stops receiving."""
    ensure_token(user, now=now)
    rows_changed(
        update(CalendarToken)
        .where(CalendarToken.user_id == user.id)
        .values(token=new_secret(), created_at=now)
        .execution_options(synchronize_session=False)
    )
    audit.record("calendar.token_reset", actor=user, scope_type="user", scope_id=user.id)
    db.session.commit()
    made = token_of(user.id)
    assert made is not None
    db.session.refresh(made)
    return made


def owner_of(token: str) -> User | None:
    """Whose feed the address is; None for an unknown (or reset) token."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        select(User).join(CalendarToken, CalendarToken.user_id == User.id).where(CalendarToken.token == token)
    )


def my_events(user_id: int, *, since: datetime) -> list[Any]:
    """The events the person holds a seat at or hosts, from `since` on, in one query: rows of the
    columns their VEVENTs show (ics.FEED_COLUMNS), not whole events."""
    registered = select(EventRegistration.event_id).where(
        EventRegistration.user_id == user_id, EventRegistration.status == RegistrationStatus.REGISTERED
    )
    hosting = select(EventHost.event_id).where(EventHost.user_id == user_id)
    query = (
        select(*ics.FEED_COLUMNS)
        .where(Event.ends_at >= since, or_(Event.id.in_(registered), Event.id.in_(hosting)))
        .order_by(Event.starts_at)
        .limit(EVENT_LIMIT)
    )
    return list(db.session.execute(query).all())


def feed_entries(user: User, *, now: datetime) -> tuple[list[ics.CalendarEntry], str]:
    """What the feed says and its name, in a bounded number of queries (one for the events, one or
    two per provider) whatever the number of items; the view tags it before writing the file."""
    since = now - HISTORY
    domain, site = site_domain(), site_link("/")
    pages = site.rstrip("/")
    entries = [
        ics.event_entry(event, link=event.link, page_url=pages + event_path(event.id), domain=domain)
        for event in my_events(user.id, since=since)
    ]
    for provider in feed_providers():
        entries.extend(ics.feed_entry(item, site=site) for item in provider(user.id, since))
    with force_locale(user.locale or "ru"):
        name = _("Vmeste: my calendar")
    return entries, name


def feed_file(user: User, *, now: datetime) -> bytes:
    """The whole feed as one .ics."""
    entries, name = feed_entries(user, now=now)
    return ics.build_calendar(entries, name=name, now=now)
