"""Notifications: the one door every service tells a person through — a row for the bell (or for the
digest to pick up later) and a letter, each only where the person's setting for the kind says so.

The caller words the text in the recipient's language (inside `force_locale(recipient.locale)`);
the letter's subject and body default to that text and its link.
"""

from __future__ import annotations

from datetime import datetime

from app.accounts import User
from app.i18n import _, force_locale
from app.mail import send_mail
from app.notifications import Notification, notify, site_link
from app.timeutil import utcnow
from community.notices.kinds import Choice, Kind
from community.notices.preferences import choice_for


def tell(
    recipient: User,
    kind: Kind,
    text: str,
    link: str = "",
    *,
    subject: str = "",
    body: str = "",
    now: datetime | None = None,
    choice: Choice | None = None,
) -> Notification | None:
    """Add the notification and the letter to the current transaction (the caller commits); `choice`
    is the recipient's setting when the caller has read it already (for many recipients at once)."""
    if not recipient.active:
        return None
    wanted = choice if choice is not None else choice_for(recipient.id, kind)
    note = None
    if wanted.keeps_row:
        note = notify(recipient.id, text, link, kind=kind.value)
        note.created_at = now or utcnow()
        if not wanted.in_app:
            # Kept for the digest only: the bell does not ring for it.
            note.read_at = note.created_at
    if wanted.by_email and recipient.email:
        with force_locale(recipient.locale or "ru"):
            letter = body or "\n\n".join(part for part in (text, _letter_link(link)) if part)
            send_mail(recipient.email, subject or _("Vmeste: %(what)s", what=_short(text)), letter)
    return note


def _letter_link(link: str) -> str:
    if not link:
        return ""
    return _("Open: %(url)s", url=site_link(link))


def _short(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
