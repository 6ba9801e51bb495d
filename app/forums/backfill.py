"""The clock's forum job: the network's forum and the default forums of places that have none yet —
places made before forums existed, or by a path that skipped them. New places get theirs where they
are made (community.forums.places), so after the first ticks this job only reads: one query for the
network's forum and one per kind of place.

It lives in the web layer because a place is a course, a contest or an association, and the
community domain does not import courses or contests.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import exists, or_, select

from app.extensions import db
from community.associations.models import Association
from community.forums import places
from community.forums.models import Forum, ForumScope
from contest_engine.models import Contest
from courses.models import Course

# Places a tick opens forums for: a city's backlog cleared in minutes, the tick kept short on contest day.
BATCH = 200

PLACE_IDS: tuple[tuple[ForumScope, Any], ...] = (
    (ForumScope.COURSE, Course.id),
    (ForumScope.CONTEST, Contest.id),
    (ForumScope.ASSOCIATION, Association.id),
)


def places_without_forums(scope: ForumScope, id_column: Any) -> list[int]:
    """Ids of up to BATCH places of this kind lacking one of their default forums, oldest first
    (one query)."""
    lacking = [
        ~exists().where(Forum.scope == scope, Forum.scope_id == id_column, Forum.slot == spec.slot)
        for spec in places.DEFAULT_SLOTS[scope]
    ]
    return list(db.session.scalars(select(id_column).where(or_(*lacking)).order_by(id_column).limit(BATCH)))


def open_missing_forums(now: datetime) -> list[str]:
    """Tick job: open what is missing, a batch a tick, in one transaction (idempotent; two clocks at
    once end with one row per forum, the unique key and `ensure_forum`'s savepoint settle it)."""
    lines: list[str] = []
    if places.find_forum(ForumScope.NETWORK, places.NETWORK_ID) is None:
        places.add_default_forums(ForumScope.NETWORK, places.NETWORK_ID)
        lines.append("opened the network's forum")
    for scope, id_column in PLACE_IDS:
        missing = places_without_forums(scope, id_column)
        for place_id in missing:
            places.add_default_forums(scope, place_id)
        if missing:
            lines.append(f"opened the forums of {len(missing)} {scope}(s)")
    if lines:
        db.session.commit()
    return lines
