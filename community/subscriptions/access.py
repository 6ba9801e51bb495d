"""What the subscriptions room asks of the web shell, registered in app/wiring.py: who may read a
forum and who belongs to its place (courses and contests are not the community domain's to import,
and permissions live in app.permissions), and the absolute links letters carry (signed with the
app's key, built where the routes are)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Select

from community.forums.models import Forum

DIGEST_SCOPE = "digest"  # an unsubscribe link for every digest subscription of the person


@dataclass(frozen=True)
class Scope:
    """What one unsubscribe link turns off: a person's subscription to a forum, topic or
    association, or (target "digest") all of that person's digest subscriptions."""

    user_id: int
    target: str
    target_id: int = 0


class PlaceAccess(Protocol):
    def readers_among(self, forum: Forum, user_ids: Collection[int]) -> set[int]:
        """Those of `user_ids` who may read the forum now (left the course: not any more)."""

    def members(self, forum: Forum) -> Select[Any]:
        """The ids of the place's active people (a query): a news forum's forced subscribers."""

    def news_forums(self, user_id: int) -> Select[Any]:
        """The news forums of the places the person belongs to (a query of Forum rows)."""

    def place_titles(self, forums: Collection[Forum]) -> dict[tuple[str, int], str]:
        """{(scope, scope id): the place's name} for the forums' places (a query per kind)."""

    def post_url(self, topic_id: int, post_id: int, number: int) -> str:
        """The absolute address of a post on its topic's page."""

    def unsubscribe_url(self, scope: Scope) -> str:
        """The absolute, signed one-click unsubscribe address for the scope."""

    def subscriptions_url(self) -> str:
        """The absolute address of the personal subscriptions page."""

    def site_url(self, path: str) -> str:
        """A path of the site (a notification's link) made absolute."""


_registered: list[PlaceAccess] = []


def register_place_access(access: PlaceAccess) -> None:
    """Called once by app.wiring; registering again replaces."""
    _registered[:] = [access]


def place_access() -> PlaceAccess:
    if not _registered:
        raise RuntimeError("community.subscriptions needs the web's PlaceAccess (app/wiring.py)")
    return _registered[0]
