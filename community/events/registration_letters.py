"""The letters a registration sends: the confirmation (with the event's .ics attached when the seat
is taken), the seat freed for someone on the waiting list, and the reminders a day and an hour
before. Each is worded in the reader's language with the time in the reader's zone; the video link
is written only into letters to registered people (they may see it), never to the waiting list.
The letters go through the outbox in the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlparse

from babel.dates import format_datetime

from app.accounts import User
from app.i18n import _, force_locale
from app.mail import Attachment, send_mail
from app.notifications import site_link
from app.timeutil import to_zone
from community.events import ics
from community.events.models import Event, EventFormat
from community.notices.delivery import tell
from community.notices.kinds import Kind

ICS_TYPE = "text/calendar"


def event_path(event_id: int) -> str:
    return f"/events/{event_id}"


def site_domain() -> str:
    """The host name that makes the calendar's UIDs unique to this site."""
    return urlparse(site_link("/")).hostname or "vmeste"


def event_file(event: Event, *, with_link: bool, now: datetime) -> bytes:
    """One event as an .ics; the video link inside only when the reader may see it."""
    entry = ics.event_entry(
        event,
        link=event.link if with_link else "",
        page_url=site_link(event_path(event.id)),
        domain=site_domain(),
    )
    return ics.build_calendar([entry], name=event.title, now=now)


def when(event: Event, reader: User) -> str:
    """The start in the reader's zone and language, with the zone named (a letter has no page)."""
    locale = reader.locale or "ru"
    moment = format_datetime(to_zone(event.starts_at, reader.timezone), "d MMMM y, HH:mm", locale=locale)
    return f"{moment} ({reader.timezone})"


def _details(event: Event, reader: User, *, with_link: bool) -> list[str]:
    lines = [_("When: %(when)s", when=when(event, reader))]
    lines.append(_("Duration: %(minutes)s min", minutes=event.duration_minutes))
    if event.format in (EventFormat.OFFLINE, EventFormat.HYBRID) and event.address:
        lines.append(_("Address: %(address)s", address=event.address))
    if event.format in (EventFormat.ONLINE, EventFormat.HYBRID):
        if with_link and event.link:
            lines.append(_("Video link: %(link)s", link=event.link))
        elif not with_link:
            lines.append(_("The video link is sent to registered participants."))
    lines.append(_("Event page: %(url)s", url=site_link(event_path(event.id))))
    return lines


def _attachment(event: Event, now: datetime) -> Attachment:
    text = event_file(event, with_link=True, now=now).decode("utf-8")
    return Attachment(filename=f"event-{event.id}.ics", mimetype=ICS_TYPE, text=text)


def send_confirmation(event: Event, reader: User, *, registered: bool, position: int, now: datetime) -> None:
    """Registered: the details, the link and the .ics. Waiting: the place in the queue, no link."""
    if not reader.email:
        return
    with force_locale(reader.locale or "ru"):
        if registered:
            subject = _("You are registered: %(title)s", title=event.title)
            opening = _(
                "You are registered for “%(title)s”. The event is attached for your calendar.",
                title=event.title,
            )
        else:
            subject = _("Waiting list: %(title)s", title=event.title)
            opening = _(
                "All seats at “%(title)s” are taken: you are number %(position)s on the waiting list. "
                "We will write when a seat frees for you.",
                title=event.title,
                position=position,
            )
        body = "\n\n".join([opening, "\n".join(_details(event, reader, with_link=registered))])
    send_mail(reader.email, subject, body, attachments=[_attachment(event, now)] if registered else ())


def send_seat(event: Event, reader: User, *, now: datetime) -> None:
    """A seat freed for the first on the waiting list: the bell (by their settings) and the letter
    with the link and the .ics, which is their confirmation."""
    with force_locale(reader.locale or "ru"):
        text = _("A seat freed at “%(title)s”: you are registered.", title=event.title)
        tell(reader, Kind.EVENT_SEAT, text, event_path(event.id), now=now)
        if not reader.email:
            return
        body = "\n\n".join([text, "\n".join(_details(event, reader, with_link=True))])
        subject = _("You are registered: %(title)s", title=event.title)
    send_mail(reader.email, subject, body, attachments=[_attachment(event, now)])


def send_reminder(event: Event, reader: User, *, hour: bool) -> None:
    """A day or an hour before: the time, the place and the link (the reader is registered)."""
    if not reader.email:
        return
    with force_locale(reader.locale or "ru"):
        if hour:
            subject = _("In an hour: %(title)s", title=event.title)
            opening = _("“%(title)s” begins in an hour.", title=event.title)
        else:
            subject = _("Tomorrow: %(title)s", title=event.title)
            opening = _("“%(title)s” is tomorrow.", title=event.title)
        body = "\n\n".join([opening, "\n".join(_details(event, reader, with_link=True))])
    send_mail(reader.email, subject, body)
