"""Jury cards on the dashboard: the juror's waiting entries, a participant's schedules and appeals.

Plain providers: create_app registers them (app/wiring.py), importing this module registers nothing."""

from __future__ import annotations

from typing import Any

from app import header_facts
from app.main.dashboard import Panel
from app.pagination import paginate
from app.timeutil import utcnow
from contest_engine.jury.work import juror_queue_query, participant_jury_links, queue_item


def queue_panel(user: Any) -> Panel | None:
    """The juror's dashboard card: how many entries wait for their scores. Assignments come only with
    a seat on a stage's jury, which the header already knows: nobody else pays the queue's queries."""
    if not getattr(user, "is_authenticated", False) or not header_facts.facts_for(user.id).jury_seat:
        return None
    result = paginate(juror_queue_query(user.id), 1, 5, scalars=False)
    if not result.total:
        return None
    return Panel(
        "jury/_panel.html",
        order=30,
        context={"items": [queue_item(row) for row in result.items], "total": result.total},
    )


def participant_panel(user: Any) -> Panel | None:
    """A participant's jury-related actions: demo-lesson schedules and open appeal windows; none
    (and no query) for someone who takes part in no contest, as the header already knows."""
    if not getattr(user, "is_authenticated", False) or not header_facts.facts_for(user.id).takes_part:
        return None
    items = participant_jury_links(user.id, utcnow())
    if not items:
        return None
    return Panel("jury/_participant_panel.html", order=35, context={"items": items})
