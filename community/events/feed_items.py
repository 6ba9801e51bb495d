"""What a personal calendar feed holds, whichever room it comes from.

The calendar (community) cannot import courses or the contest engine, so each room that has dated
things for a person — course deadlines, contest stages, jury demo slots — provides a function
`provider(user_id, since) -> list[FeedItem]`, registered by the app (app/wiring.py) with
`register_feed_provider`. The feed asks each provider once per request, so providers answer in a
bounded number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class FeedItem:
    """One dated thing in a person's calendar. `uid` is stable across feed reads (calendars update
    the entry instead of adding a copy); `ends_at` None means a moment (a deadline)."""

    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime | None = None
    url: str = ""  # a path inside the app, e.g. /courses/3/assignments/7
    location: str = ""
    description: str = ""


FeedProvider = Callable[[int, datetime], list[FeedItem]]
_providers: dict[str, FeedProvider] = {}


def register_feed_provider(name: str, provider: FeedProvider) -> None:
    """Registering a name again replaces its provider (the tests build the app many times)."""
    _providers[name] = provider


def feed_providers() -> list[FeedProvider]:
    return list(_providers.values())
