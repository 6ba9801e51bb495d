"""Which forums a person moderates, as one query of forum ids, for the queue of reported posts.

It says in SQL what app.permissions.forums.place_standing says for one forum at a time: admins
moderate every forum (None: no filter); methodists the network's forum and every association's;
association leaders their associations' forums; course authors and tutors their courses'; contest
organisers their contests' (and those contests' stage and division forums).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, or_, select

from app.accounts import Role
from app.extensions import db
from app.permissions import _signed_in, has_role, is_admin
from community.associations.models import AssociationMember, MemberRole, MemberStatus
from community.forums.models import Forum, ForumScope
from contest_engine.models import ContestOrganiser, Division, Stage
from courses.models import CourseMember, CourseRole


def moderated_forum_ids(user: Any) -> Select[Any] | None:
    """The ids of the forums the person moderates (None: all of them, for an administrator)."""
    if is_admin(user):
        return None
    if not _signed_in(user):
        return select(Forum.id).where(Forum.id.is_(None))
    contests = select(ContestOrganiser.contest_id).where(ContestOrganiser.user_id == user.id)
    courses = select(CourseMember.course_id).where(
        CourseMember.user_id == user.id, CourseMember.role.in_((CourseRole.AUTHOR, CourseRole.TUTOR))
    )
    places = [
        and_(Forum.scope == ForumScope.COURSE, Forum.scope_id.in_(courses)),
        and_(Forum.scope == ForumScope.CONTEST, Forum.scope_id.in_(contests)),
        and_(
            Forum.scope == ForumScope.STAGE,
            Forum.scope_id.in_(select(Stage.id).where(Stage.contest_id.in_(contests))),
        ),
        and_(
            Forum.scope == ForumScope.DIVISION,
            Forum.scope_id.in_(select(Division.id).where(Division.contest_id.in_(contests))),
        ),
    ]
    if has_role(user, Role.METHODIST):
        places.append(Forum.scope.in_((ForumScope.NETWORK, ForumScope.ASSOCIATION)))
    else:
        led = select(AssociationMember.association_id).where(
            AssociationMember.user_id == user.id,
            AssociationMember.role == MemberRole.LEADER,
            AssociationMember.status == MemberStatus.ACTIVE,
        )
        places.append(and_(Forum.scope == ForumScope.ASSOCIATION, Forum.scope_id.in_(led)))
    return select(Forum.id).where(or_(*places))


def moderates_any_forum(user: Any) -> bool:
    """Whether the queue has anything to show this person (a link in the forum pages)."""
    query = moderated_forum_ids(user)
    if query is None:
        return True
    return db.session.scalar(query.limit(1)) is not None
