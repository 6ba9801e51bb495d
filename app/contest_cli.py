"""`flask contests …`: the stage clock for cron (`* * * * * flask --app app contests tick`)."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from app.ticks import run_tick
from app.timeutil import utcnow

contests_group = AppGroup("contests", help="Contest engine commands.")


@contests_group.command("tick")
@click.option(
    "--now", "now_text", default=None, help="ISO 8601 time to run the clock at (default: now, UTC)."
)
def tick(now_text: str | None) -> None:
    """Open and close stages by their times and finish overdue attempts. Safe to run twice."""
    now = datetime.fromisoformat(now_text) if now_text else utcnow()
    if now.tzinfo is None:
        raise click.BadParameter("--now needs an offset, e.g. 2027-01-10T09:00:00+03:00")
    for line in run_tick(now):
        click.echo(line)
