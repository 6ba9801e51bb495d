"""The web's answers to the subscriptions room (community.subscriptions.access, registered in
app/wiring.py): who may read a forum and who belongs to its place (app.permissions.forums), the
news forums of a person's courses, places' names, and the absolute links letters carry.

Unsubscribe links are signed (itsdangerous, the app's SECRET_KEY with a salt of their own) and name
one subscription — person, target, id — or all of a person's digests: whoever holds the letter may
turn that one thing off, without signing in, for UNSUBSCRIBE_MAX_AGE. Outside a request (the tick's
digest) links start with the configured SERVER_NAME (https in production).
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from typing import Any

from flask import current_app, has_request_context, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Select, and_, or_, select

from app.accounts import User
from app.extensions import db
from app.forums.place_lookup import place_titles
from app.forums.topics import POSTS_PER_PAGE
from app.permissions.forums import can_read_forum, place_member_ids
from community.associations.models import AssociationMember, MemberStatus
from community.forums import topic_view
from community.forums.models import Forum, ForumKind, ForumScope
from community.subscriptions.access import DIGEST_SCOPE, Scope
from community.subscriptions.rules import TARGETS
from courses.models import CourseMember

SALT = "forums.unsubscribe"
UNSUBSCRIBE_MAX_AGE = 400 * 24 * 3600  # a letter may be read a year later
CHUNK = 2000


def sign(scope: Scope) -> str:
    return _serializer().dumps([scope.user_id, scope.target, scope.target_id])


def verify(token: str) -> Scope | None:
    """The scope a token names, or None for a forged, damaged or expired one."""
    try:
        user_id, target, target_id = _serializer().loads(token, max_age=UNSUBSCRIBE_MAX_AGE)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(target_id, int):
        return None
    if target not in (*TARGETS, DIGEST_SCOPE):
        return None
    return Scope(user_id, target, target_id)


def _serializer() -> URLSafeTimedSerializer:
    return _serializer_for(current_app.config["SECRET_KEY"])


@functools.lru_cache(maxsize=4)
def _serializer_for(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=SALT)


class WebPlaceAccess:
    """community.subscriptions.access.PlaceAccess, answered by the permissions and the routes."""

    def __init__(self) -> None:
        self._bases: dict[str | None, str] = {}

    def readers_among(self, forum: Forum, user_ids: Collection[int]) -> set[int]:
        """Members of the place in a query per CHUNK people; the few others (administrators,
        methodists, colleagues reading an open association) asked one by one."""
        ids = sorted(set(user_ids))
        members = place_member_ids(forum)
        found: set[int] = set()
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            found.update(db.session.scalars(select(User.id).where(User.id.in_(chunk), User.id.in_(members))))
        rest = [user_id for user_id in ids if user_id not in found]
        for start in range(0, len(rest), CHUNK):
            people = db.session.scalars(select(User).where(User.id.in_(rest[start : start + CHUNK])))
            found.update(person.id for person in people if can_read_forum(person, forum))
        return found

    def members(self, forum: Forum) -> Select[Any]:
        return place_member_ids(forum)

    def news_forums(self, user_id: int) -> Select[Any]:
        courses = select(CourseMember.course_id).where(CourseMember.user_id == user_id)
        associations = select(AssociationMember.association_id).where(
            AssociationMember.user_id == user_id, AssociationMember.status == MemberStatus.ACTIVE
        )
        return select(Forum).where(
            Forum.kind == ForumKind.NEWS,
            or_(
                and_(Forum.scope == ForumScope.COURSE, Forum.scope_id.in_(courses)),
                and_(Forum.scope == ForumScope.ASSOCIATION, Forum.scope_id.in_(associations)),
            ),
        )

    def place_titles(self, forums: Collection[Forum]) -> dict[tuple[str, int], str]:
        return place_titles(list(forums))

    def post_url(self, topic_id: int, post_id: int, number: int) -> str:
        page = topic_view.page_of(number, POSTS_PER_PAGE)
        values: dict[str, Any] = {"topic_id": topic_id} | ({"page": page} if page > 1 else {})
        return absolute("forums.topic", values, anchor=f"post-{number}")

    def unsubscribe_url(self, scope: Scope) -> str:
        """The page's address built once per host (a digest batch signs thousands of links)."""
        host = request.host_url if has_request_context() else current_app.config.get("SERVER_NAME")
        base = self._bases.get(host)
        if base is None:
            base = self._bases[host] = absolute("forums.unsubscribe", {"token": "0"})[:-1]
        return base + sign(scope)

    def subscriptions_url(self) -> str:
        return absolute("forums.subscriptions", {})

    def site_url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return absolute("main.index", {}).rstrip("/") + "/" + path.lstrip("/")


def absolute(endpoint: str, values: dict[str, Any], anchor: str = "") -> str:
    """An absolute address: the request's host in a request, else SERVER_NAME (or localhost)."""
    if has_request_context():
        url = url_for(endpoint, _external=True, **values)
    else:
        config = current_app.config
        host = config.get("SERVER_NAME") or "localhost"
        adapter = current_app.url_map.bind(
            host, script_name=config.get("APPLICATION_ROOT") or "/", url_scheme=config["PREFERRED_URL_SCHEME"]
        )
        url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url
