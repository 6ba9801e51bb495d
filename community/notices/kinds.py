"""Notification kinds and where each goes when the person has not chosen (pure: no app, no database).

A person's choice for a kind is three switches: in the app (the bell), by e-mail, in the daily digest.
The defaults keep the platform quiet by e-mail except for decisions about one's own work (a material
published or rejected, a post or comment hidden), which used to be e-mailed always.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Kind(enum.StrEnum):
    REPLY = "reply"  # someone replied to my post or comment
    MENTION = "mention"  # someone wrote @me in a post I may read
    MATERIAL_PUBLISHED = "material_published"
    MATERIAL_REJECTED = "material_rejected"
    MATERIAL_COMMENTED = "material_commented"
    MODERATION = "moderation"  # my post or comment hidden, my certificate revoked
    EVENT_CANCELLED = "event_cancelled"  # an event I registered or waited for was cancelled
    EVENT_SEAT = "event_seat"  # a seat freed at an event I waited for is mine now
    EVENT_MOVED = "event_moved"  # an event I registered or waited for moved to another time


@dataclass(frozen=True)
class Choice:
    in_app: bool
    by_email: bool
    in_digest: bool

    @property
    def keeps_row(self) -> bool:
        """A notification row is written for the bell or for the digest to pick up later."""
        return self.in_app or self.in_digest


DEFAULTS: dict[Kind, Choice] = {
    Kind.REPLY: Choice(in_app=True, by_email=False, in_digest=False),
    Kind.MENTION: Choice(in_app=True, by_email=False, in_digest=False),
    Kind.MATERIAL_PUBLISHED: Choice(in_app=True, by_email=True, in_digest=False),
    Kind.MATERIAL_REJECTED: Choice(in_app=True, by_email=True, in_digest=False),
    Kind.MATERIAL_COMMENTED: Choice(in_app=True, by_email=False, in_digest=False),
    Kind.MODERATION: Choice(in_app=True, by_email=True, in_digest=False),
    Kind.EVENT_CANCELLED: Choice(in_app=True, by_email=True, in_digest=False),
    # The seat's letter with the .ics is sent anyway (community/events/registration_letters.py).
    Kind.EVENT_SEAT: Choice(in_app=True, by_email=False, in_digest=False),
    Kind.EVENT_MOVED: Choice(in_app=True, by_email=True, in_digest=False),
}


def default_choice(kind: str) -> Choice:
    """The kind's default; an unknown or empty kind (older callers) goes to the bell only."""
    try:
        return DEFAULTS[Kind(kind)]
    except ValueError:
        return Choice(in_app=True, by_email=False, in_digest=False)


def effective(kind: str, stored: Choice | None) -> Choice:
    """The person's stored choice, or the kind's default when they never chose."""
    return stored if stored is not None else default_choice(kind)
