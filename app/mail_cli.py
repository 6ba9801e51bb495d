"""`flask mail deliver`: send the outbox's due letters now (the tick job does the same each minute)."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from app.mail_delivery import deliver_due_mail
from app.timeutil import utcnow

mail_group = AppGroup("mail", help="The mail outbox.")


@mail_group.command("deliver")
@click.option("--now", "now_text", default=None, help="ISO 8601 time to deliver at (default: now, UTC).")
def deliver(now_text: str | None) -> None:
    """Send every due letter, retrying failed ones whose pause is over. Safe to run twice."""
    now = datetime.fromisoformat(now_text) if now_text else utcnow()
    if now.tzinfo is None:
        raise click.BadParameter("--now needs an offset, e.g. 2027-01-10T09:00:00+03:00")
    for line in deliver_due_mail(now) or ["nothing to do"]:
        click.echo(line)
