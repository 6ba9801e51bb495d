"""API endpoints of the events calendar (see shared/API.md, «Events»), one module per use case:
events (create, list, show), registrations, attendance (and the certificate), calendars (.ics)."""

from app.api.events import attendance, calendars, events, registrations  # noqa: F401
