"""The clock's monitoring job: the summary tables recomputed every MONITORING_EVERY_MINUTES (the
interval comes from the app's config, which the monitoring room does not read itself)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from monitoring.recompute import recompute_if_due


def monitoring_job(now: datetime) -> list[str]:
    return recompute_if_due(now, int(current_app.config["MONITORING_EVERY_MINUTES"]))
