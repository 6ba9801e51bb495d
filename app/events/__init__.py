"""The network's calendar, one module per audience and use case: calendar_views (month, week and list
for every colleague), scheduling (hosts create and edit events and series), term_plan (the ИМЦ's plan
as XLSX and PDF), event_page (an event, registering, cancelling), feed (the personal iCal feed and an
event's .ics), attendance (marking, check-in, certificates, feedback, recording and materials)."""

from flask import Blueprint

bp = Blueprint("events", __name__)

# Each module adds its routes to `bp` when imported (Flask's blueprint pattern).
from app.events import (  # noqa: E402,F401
    attendance,
    calendar_views,
    event_page,
    feed,
    scheduling,
    term_plan,
)
