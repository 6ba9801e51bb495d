"""Monitoring's demo part: runs the summary job once the other rooms' demo parts (their history of
two academic years included) have loaded, so every report and chart has figures at once."""

from __future__ import annotations

from app.timeutil import utcnow
from monitoring.recompute import recompute_all


def load_monitoring() -> list[str]:
    computed_at = recompute_all(utcnow())
    return [f"Monitoring: summary tables computed at {computed_at:%Y-%m-%d %H:%M} UTC"]
