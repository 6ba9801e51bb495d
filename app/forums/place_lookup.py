"""The places forums live in, as the forum pages and the API need them: whether a place exists, its
name and page, the forums of it a person may read, and the forums of the places a person belongs to.

This lives in the web layer because a place is a course, a contest or an association, and the
community domain (community.forums) does not import courses or contests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for
from sqlalchemy import Select, and_, or_, select

from app.extensions import db
from app.i18n import _, force_locale
from app.permissions import forums as can
from community.associations.models import Association, AssociationMember, MemberStatus
from community.forums import places
from community.forums.models import Forum, ForumScope
from contest_engine.jury.models import StageJuror
from contest_engine.models import Contest, ContestOrganiser, Division, Participation, Stage
from courses.models import Course, CourseMember

# The places a forum list may be asked for (stages and divisions are parts of a contest).
PLACE_SCOPES = (ForumScope.NETWORK, ForumScope.ASSOCIATION, ForumScope.COURSE, ForumScope.CONTEST)


@dataclass(frozen=True)
class Place:
    scope: ForumScope
    id: int
    title: str
    url: str  # the place's own page (the network's is the forum index)
    row: Any = None  # the course, contest or association itself


def find_place(scope: ForumScope, scope_id: int) -> Place | None:
    """The place, or None when there is no such place (one query; none for the network)."""
    if scope == ForumScope.NETWORK:
        return Place(scope, places.NETWORK_ID, _("Network"), url_for("forums.index"))
    if scope == ForumScope.COURSE:
        course = db.session.get(Course, scope_id)
        return course and Place(
            scope, course.id, course.title, url_for("courses.view", course_id=course.id), course
        )
    if scope == ForumScope.CONTEST:
        contest = db.session.get(Contest, scope_id)
        return contest and Place(
            scope, contest.id, contest.title, url_for("contests.view", contest_id=contest.id), contest
        )
    if scope == ForumScope.ASSOCIATION:
        association = db.session.get(Association, scope_id)
        return association and Place(
            scope,
            association.id,
            association.name,
            url_for("library.association", association_id=association.id),
            association,
        )
    return None


def readable_forums(user: Any, place: Place) -> list[Forum]:
    """The place's forums the person may read (reads only: a place still waiting for its default
    forums lists what it has); a contest's list goes on with the forums of its stages and divisions
    the person may read."""
    forums = places.place_forums(place.scope, place.id)
    if place.scope == ForumScope.CONTEST:
        forums += [forum for forum in contest_part_forums(place.id) if can.can_read_forum(user, forum)]
    return forums


def contest_part_forums(contest_id: int) -> list[Forum]:
    """The forums the organiser opened for the contest's stages and divisions, stages first (one query)."""
    stage_ids = select(Stage.id).where(Stage.contest_id == contest_id)
    division_ids = select(Division.id).where(Division.contest_id == contest_id)
    query = select(Forum).where(
        or_(
            and_(Forum.scope == ForumScope.STAGE, Forum.scope_id.in_(stage_ids)),
            and_(Forum.scope == ForumScope.DIVISION, Forum.scope_id.in_(division_ids)),
        )
    )
    return list(db.session.scalars(query.order_by(Forum.scope.desc(), Forum.id)))


def part_forum_title(scope: ForumScope, name: str) -> str:
    """The stored (Russian) title of a stage's or a division's forum."""
    with force_locale("ru"):
        if scope == ForumScope.STAGE:
            return _("Forum of the stage “%(name)s”", name=name)
        return _("Forum of the division “%(name)s”", name=name)


def my_forums_query(user_id: int) -> Select[Any]:
    """The network's forums and those of the associations, courses and contests the person belongs
    to, the most recently active first: one query, for pagination."""
    courses = select(CourseMember.course_id).where(CourseMember.user_id == user_id)
    associations = select(AssociationMember.association_id).where(
        AssociationMember.user_id == user_id, AssociationMember.status == MemberStatus.ACTIVE
    )
    contests = (
        select(Participation.contest_id)
        .where(Participation.user_id == user_id)
        .union(
            select(ContestOrganiser.contest_id).where(ContestOrganiser.user_id == user_id),
            select(Stage.contest_id)
            .join(StageJuror, StageJuror.stage_id == Stage.id)
            .where(StageJuror.user_id == user_id),
        )
    )
    return (
        select(Forum)
        .where(
            or_(
                Forum.scope == ForumScope.NETWORK,
                and_(Forum.scope == ForumScope.COURSE, Forum.scope_id.in_(courses)),
                and_(Forum.scope == ForumScope.ASSOCIATION, Forum.scope_id.in_(associations)),
                and_(Forum.scope == ForumScope.CONTEST, Forum.scope_id.in_(contests)),
            )
        )
        .order_by(
            Forum.last_post_at.is_(None), Forum.last_post_at.desc(), Forum.scope, Forum.position, Forum.id
        )
    )


def place_titles(forums: list[Forum]) -> dict[tuple[str, int], str]:
    """{(scope, id): the place's name} for a page of forums: one query per kind of place on it."""
    wanted: dict[ForumScope, set[int]] = {}
    for forum in forums:
        wanted.setdefault(ForumScope(forum.scope), set()).add(forum.scope_id)
    names: dict[tuple[str, int], str] = {}
    tables: list[tuple[ForumScope, Any, Any]] = [
        (ForumScope.COURSE, Course.id, Course.title),
        (ForumScope.CONTEST, Contest.id, Contest.title),
        (ForumScope.ASSOCIATION, Association.id, Association.name),
    ]
    for scope, id_column, name_column in tables:
        if wanted.get(scope):
            rows = db.session.execute(select(id_column, name_column).where(id_column.in_(wanted[scope])))
            names.update({(str(scope), place_id): name for place_id, name in rows})
    if ForumScope.NETWORK in wanted:
        names[(str(ForumScope.NETWORK), places.NETWORK_ID)] = _("Network")
    return names
