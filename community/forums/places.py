"""Forums of a place: the default ones every place has, and the stage or division forums a contest's
organiser opens on request.

Each place's forum is one row per (scope, scope_id, slot) — the table's unique key — so creating it
is an insert that may lose a race: the loser's savepoint rolls back and it reads the winner's row.
A place gets its forums where it is made, in the transaction that creates it
(courses.catalogue.create_course, courses.moodle_restore, courses.backup_import,
contest_engine.setup.create_contest, community.associations.membership.create_association): a
teacher who opens a new course finds its news and forum there, as they expect. The network's forum
and the forums of places made before forums existed (or by a path that skipped them) are made by the
clock (app.forums.backfill, a batch a tick). Pages and the API only read: a place still waiting for
its forums says so and offers nothing to write. Titles are stored in Russian, the network's
language, as the places' own names are.

This module knows places only by scope and id (the community domain does not import courses or
contests): callers check that the place exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app import audit
from app.accounts import User
from app.domain_errors import Conflict
from app.extensions import added, db
from app.i18n import _, force_locale, lazy_
from community.forums.models import Forum, ForumKind, ForumScope

GENERAL, NEWS = "general", "news"
NETWORK_ID = 0  # the network is one place


@dataclass(frozen=True)
class Slot:
    slot: str
    kind: ForumKind
    title: Any  # a lazy msgid, stored in Russian
    description: Any
    position: int = 0


DEFAULT_SLOTS: dict[ForumScope, tuple[Slot, ...]] = {
    ForumScope.NETWORK: (
        Slot(
            GENERAL,
            ForumKind.DISCUSSION,
            lazy_("Network forum"),
            lazy_("Questions and news for everyone in the network."),
        ),
    ),
    ForumScope.ASSOCIATION: (
        Slot(
            GENERAL,
            ForumKind.DISCUSSION,
            lazy_("Association forum"),
            lazy_("Discussions of the association's members."),
        ),
    ),
    ForumScope.COURSE: (
        Slot(NEWS, ForumKind.NEWS, lazy_("Course news"), lazy_("Announcements of the course's teachers."), 0),
        Slot(
            GENERAL,
            ForumKind.DISCUSSION,
            lazy_("Course forum"),
            lazy_("Questions and discussions of the course."),
            1,
        ),
    ),
    ForumScope.CONTEST: (
        Slot(
            GENERAL,
            ForumKind.DISCUSSION,
            lazy_("Contest forum"),
            lazy_("Questions to the organisers and talk among participants."),
        ),
    ),
    # Stages and divisions have no default forum: the organiser opens one (`open_part_forum`).
    ForumScope.STAGE: (),
    ForumScope.DIVISION: (),
}


def place_forums(scope: ForumScope, scope_id: int) -> list[Forum]:
    """The place's forums in their order (one query)."""
    query = select(Forum).where(Forum.scope == scope, Forum.scope_id == scope_id)
    return list(db.session.scalars(query.order_by(Forum.position, Forum.id)))


def find_forum(scope: ForumScope, scope_id: int, slot: str = GENERAL) -> Forum | None:
    return db.session.scalar(
        select(Forum).where(Forum.scope == scope, Forum.scope_id == scope_id, Forum.slot == slot)
    )


def ensure_forum(
    scope: ForumScope,
    scope_id: int,
    slot: str,
    *,
    kind: ForumKind,
    title: str,
    description: str = "",
    position: int = 0,
    created_by_id: int | None = None,
) -> tuple[Forum, bool]:
    """The place's forum in `slot`, inserted when missing: (forum, whether this call created it).
    No commit: it runs inside the caller's transaction; two callers at once end with one row."""
    existing = find_forum(scope, scope_id, slot)
    if existing is not None:
        return existing, False
    forum = Forum(
        scope=scope,
        scope_id=scope_id,
        slot=slot,
        kind=kind,
        title=title[:255],
        description=description,
        position=position,
        created_by_id=created_by_id,
    )
    if not added(forum):
        winner = find_forum(scope, scope_id, slot)
        if winner is None:  # the other insert was rolled back after all: nothing to read, so retry
            raise Conflict(_("Someone is creating this forum at the same time; reload the page.")) from None
        return winner, False
    return forum, True


def add_default_forums(scope: ForumScope, scope_id: int, *, actor_id: int | None = None) -> list[Forum]:
    """The place's default forums, created where missing, inside the caller's transaction (the
    place's creation service calls this before its commit)."""
    forums = []
    with force_locale("ru"):
        for spec in DEFAULT_SLOTS[scope]:
            forum, _created = ensure_forum(
                scope,
                scope_id,
                spec.slot,
                kind=spec.kind,
                title=str(spec.title),
                description=str(spec.description),
                position=spec.position,
                created_by_id=actor_id,
            )
            forums.append(forum)
    return forums


def lacks_default_forums(scope: ForumScope, forums: list[Forum]) -> bool:
    """Whether some default forum of the place is not among `forums` yet (the clock will open it)."""
    present = {forum.slot for forum in forums if forum.scope == scope}
    return any(spec.slot not in present for spec in DEFAULT_SLOTS[scope])


def ensure_place_forums(scope: ForumScope, scope_id: int) -> list[Forum]:
    """Every forum of an existing place, its missing default ones made first; commits when it
    created something. For the clock's backfill and the demo loader — never a page."""
    forums = place_forums(scope, scope_id)
    if not lacks_default_forums(scope, forums):
        return forums
    add_default_forums(scope, scope_id)
    db.session.commit()
    return place_forums(scope, scope_id)


def network_forum() -> Forum:
    """The network's general forum, made when missing (the clock and the demo loader call this)."""
    forum = find_forum(ForumScope.NETWORK, NETWORK_ID)
    if forum is not None:
        return forum
    forum = add_default_forums(ForumScope.NETWORK, NETWORK_ID)[0]
    db.session.commit()
    return forum


def open_part_forum(
    scope: ForumScope, scope_id: int, *, contest_id: int, title: str, actor: User
) -> tuple[Forum, bool]:
    """A stage's or a division's forum, opened by the contest's organiser (the caller checked the
    stage or division belongs to `contest_id`). Asking twice opens one forum."""
    if scope not in (ForumScope.STAGE, ForumScope.DIVISION):
        raise ValueError(scope)
    forum, created = ensure_forum(
        scope, scope_id, GENERAL, kind=ForumKind.DISCUSSION, title=title, created_by_id=actor.id
    )
    if created:
        audit.record(
            "forum.opened",
            actor=actor,
            scope_type="contest",
            scope_id=contest_id,
            object_type="forum",
            object_id=forum.id,
            details={"scope": str(scope), "scope_id": scope_id, "title": forum.title},
        )
    db.session.commit()
    return forum, created
