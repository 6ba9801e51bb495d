"""The contests panel on the dashboard: a participant's contests (current stage, status,
diplomas) and the contests an organiser runs."""

from __future__ import annotations

from typing import Any

from app import header_facts
from app.main.dashboard import Panel
from app.permissions import contests as can
from app.timeutil import utcnow
from contest_engine.participant import participant_overview
from contest_engine.queries import organised_contests
from contest_engine.rules.stages import StageState


def contests_panel(user: Any) -> Panel | None:
    """The participant's contests: current stage, deadline, status, diplomas; the overview's queries
    only for someone who takes part in a contest (the header's facts know it)."""
    overview = []
    if header_facts.facts_for(user.id).takes_part:
        overview = participant_overview(user, utcnow())
    organised = []
    if can.can_create_contest(user):
        organised = organised_contests(user.id)
    if not overview and not organised:
        return None
    return Panel(
        "contests/_panel.html",
        order=30,
        context={"overview": overview, "organised": organised, "StageState": StageState},
    )
