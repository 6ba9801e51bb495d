"""Jury mail: invitations with a set-password link, reminders.

The letters go to the outbox and are committed here, right after the jury service's own commit
(the links need the web layer's url_for); delivery, with retries, is the outbox's job."""

from __future__ import annotations

from typing import Any

from flask import url_for

from app.extensions import db
from app.i18n import _, force_locale
from app.mail import send_mail
from contest_engine.jury.services import Invitation, JurorProgress


def send_invitation(invitation: Invitation, stage: Any, contest: Any) -> None:
    with force_locale(invitation.user.locale or "ru"):
        lines = [_("You are invited to the jury of “%(contest)s”, stage “%(stage)s”.", contest=contest.title,
                   stage=stage.title)]
        if invitation.reset_token:
            lines.append(_("An account was created for you. Set your password here:"))
            lines.append(url_for("auth.reset", token=invitation.reset_token, _external=True))
        lines.append(_("Your queue of entries to score: %(url)s", url=url_for("jury.queue", _external=True)))
        send_mail(invitation.user.email, _("Invitation to the jury"), "\n\n".join(lines))
    db.session.commit()


def send_reminders(late: list[JurorProgress], stage: Any) -> None:
    for progress in late:
        send_mail(progress.email, _("Reminder: scores are waiting"),
                  _("%(n)d entries of “%(stage)s” are waiting for your scores: %(url)s",
                    n=progress.assigned - progress.submitted, stage=stage.title,
                    url=url_for("jury.queue", _external=True)))
    db.session.commit()
