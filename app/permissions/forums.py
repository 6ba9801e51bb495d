"""Who may read, write and moderate a forum: the forum inherits it from its place.

- network: every signed-in, active member reads, writes and opens topics; methodists and admins
  moderate.
- association: its active members read and write; in a network-wide association open to everyone
  (no district, open join) any colleague (an adult of the network) may also read; its leaders, the
  methodists and the admins moderate.
- course: its members (author, tutor, student); authors and tutors moderate.
- contest: its participants, the jurors of any of its stages and its organisers (who moderate).
- stage: the participants admitted to it, its jurors and the contest's organisers.
- division: the participants registered in it, the jurors of the contest judging it (or the whole
  stage) and the organisers.

A news forum is the staff's: only moderators open topics and reply (questions go to the place's
general forum), everyone else reads. In a Q&A forum the staff ask and the others answer.

Blind review: a juror of a blind stage of a contest never sees its participants' names in the
contest's forums (the stage's own, and the contest's and divisions' ones where the same people
write); templates show «Участник №…» with the participation's number instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, false, or_, select

from app.accounts import Role, User
from app.extensions import db
from app.permissions import COLLEAGUE_ROLES, _signed_in, has_role, is_admin
from app.permissions.contests import can_organise_contest
from community.associations.models import (
    Association,
    AssociationMember,
    JoinPolicy,
    MemberRole,
    MemberStatus,
)
from community.forums.models import Forum, ForumKind, ForumScope
from contest_engine.jury.models import JuryConfig, StageJuror
from contest_engine.models import ContestOrganiser, Division, Participation, Stage, StageParticipant
from contest_engine.queries import contest_stages, is_first_competitive
from contest_engine.rules.stages import StageKind
from courses.models import CourseMember

STAFF, MEMBER, READER = "staff", "member", "reader"


@dataclass(frozen=True)
class ForumAccess:
    """Everything one person may do in one forum, computed once (a view asks for all of it)."""

    read: bool = False
    write: bool = False
    start_topic: bool = False
    moderate: bool = False
    names: bool = True


def forum_access(user: Any, forum: Forum) -> ForumAccess:
    standing = place_standing(user, forum)
    if standing is None:
        return ForumAccess()
    staff = standing == STAFF
    member = standing in (STAFF, MEMBER)
    staff_only = forum.kind in (ForumKind.NEWS, ForumKind.QA)
    return ForumAccess(
        read=True,
        write=staff if forum.kind == ForumKind.NEWS else member,
        start_topic=staff if staff_only else member,
        moderate=staff,
        names=staff or shows_names(user, forum),  # the staff see every name
    )


def can_read_forum(user: Any, forum: Forum) -> bool:
    return place_standing(user, forum) is not None


def can_write_forum(user: Any, forum: Forum) -> bool:
    """Reply in the forum's topics (a locked topic is the posting service's rule)."""
    return forum_access(user, forum).write


def can_start_topic(user: Any, forum: Forum) -> bool:
    return forum_access(user, forum).start_topic


def can_read_place(user: Any, scope: ForumScope, scope_id: int) -> bool:
    """Whether the person may read a place's forums (asked before its forums exist: a stranger's
    visit creates nothing)."""
    return can_read_forum(
        user, Forum(scope=scope, scope_id=scope_id, slot="general", kind=ForumKind.DISCUSSION)
    )


def can_moderate_forum(user: Any, forum: Forum) -> bool:
    """Hide posts, pin and lock topics, see the reports."""
    return place_standing(user, forum) == STAFF


def place_standing(user: Any, forum: Forum) -> str | None:
    """STAFF, MEMBER or READER of the forum's place, or None for someone who may not read it."""
    if not _signed_in(user):
        return None
    if is_admin(user):
        return STAFF
    scope = ForumScope(forum.scope)
    if scope == ForumScope.NETWORK:
        return STAFF if has_role(user, Role.METHODIST) else MEMBER
    if scope == ForumScope.ASSOCIATION:
        return _association_standing(user, forum.scope_id)
    if scope == ForumScope.COURSE:
        return _course_standing(user, forum.scope_id)
    contest_id = forum_contest_id(forum)
    if contest_id is None:
        return None
    if can_organise_contest(user, contest_id):
        return STAFF
    if db.session.scalar(select(exists(_contest_people(forum, contest_id).where(User.id == user.id)))):
        return MEMBER
    return None


def _association_standing(user: Any, association_id: int) -> str | None:
    row = db.session.execute(
        select(
            Association.district, Association.join_policy, AssociationMember.role, AssociationMember.status
        )
        .outerjoin(
            AssociationMember,
            (AssociationMember.association_id == Association.id) & (AssociationMember.user_id == user.id),
        )
        .where(Association.id == association_id)
    ).first()
    if row is None:
        return None
    district, policy, role, status = row
    if has_role(user, Role.METHODIST) or (role == MemberRole.LEADER and status == MemberStatus.ACTIVE):
        return STAFF
    if status == MemberStatus.ACTIVE:
        return MEMBER
    if not district and policy == JoinPolicy.OPEN and has_role(user, *COLLEAGUE_ROLES):
        return READER
    return None


def _course_standing(user: Any, course_id: int) -> str | None:
    role = db.session.scalar(
        select(CourseMember.role).where(CourseMember.course_id == course_id, CourseMember.user_id == user.id)
    )
    if role is None:
        return None
    return STAFF if str(role) in ("author", "tutor") else MEMBER


def forum_contest_id(forum: Forum) -> int | None:
    """The contest a contest, stage or division forum belongs to (None for other places)."""
    scope = ForumScope(forum.scope)
    if scope == ForumScope.CONTEST:
        return forum.scope_id
    if scope == ForumScope.STAGE:
        return db.session.scalar(select(Stage.contest_id).where(Stage.id == forum.scope_id))
    if scope == ForumScope.DIVISION:
        return db.session.scalar(select(Division.contest_id).where(Division.id == forum.scope_id))
    return None


def shows_names(user: Any, forum: Forum) -> bool:
    """False for a juror (not an organiser) of a blind stage, in that contest's forums: posts by
    participants then carry «Участник №…» instead of a name."""
    if not _signed_in(user) or is_admin(user):
        return True
    scope = ForumScope(forum.scope)
    if scope not in (ForumScope.CONTEST, ForumScope.STAGE, ForumScope.DIVISION):
        return True
    contest_id = forum_contest_id(forum)
    if contest_id is None or can_organise_contest(user, contest_id):
        return True
    blind_seat = exists().where(
        StageJuror.user_id == user.id,
        StageJuror.stage_id == JuryConfig.stage_id,
        JuryConfig.blind.is_(True),
        StageJuror.stage_id == Stage.id,
        Stage.contest_id == contest_id,
    )
    return not db.session.scalar(select(blind_seat))


def participant_numbers(forum: Forum, user_ids: list[int]) -> dict[int, int]:
    """{user id: participation id} of the given authors who take part in the forum's contest: the
    number a blind juror sees instead of their name (one query)."""
    contest_id = forum_contest_id(forum)
    if contest_id is None or not user_ids:
        return {}
    rows = db.session.execute(
        select(Participation.user_id, Participation.id).where(
            Participation.contest_id == contest_id, Participation.user_id.in_(user_ids)
        )
    )
    return {user_id: participation_id for user_id, participation_id in rows}


def place_member_ids(forum: Forum) -> Select[Any]:
    """The ids of the active people of the forum's place (for forced news subscriptions): a query,
    so a caller may insert from it or page through it."""
    scope = ForumScope(forum.scope)
    active = select(User.id).where(User.active.is_(True))
    if scope == ForumScope.NETWORK:
        return active
    if scope == ForumScope.ASSOCIATION:
        members = select(AssociationMember.user_id).where(
            AssociationMember.association_id == forum.scope_id,
            AssociationMember.status == MemberStatus.ACTIVE,
        )
        return active.where(User.id.in_(members))
    if scope == ForumScope.COURSE:
        return active.where(
            User.id.in_(select(CourseMember.user_id).where(CourseMember.course_id == forum.scope_id))
        )
    contest_id = forum_contest_id(forum)
    if contest_id is None:
        return active.where(false())
    organisers = select(ContestOrganiser.user_id).where(ContestOrganiser.contest_id == contest_id)
    people = _contest_people(forum, contest_id)
    return active.where(or_(User.id.in_(people), User.id.in_(organisers)))


def _contest_people(forum: Forum, contest_id: int) -> Select[Any]:
    """Participants and jurors of the forum's contest place (organisers aside), as user ids."""
    scope = ForumScope(forum.scope)
    participants = select(Participation.user_id).where(Participation.contest_id == contest_id)
    jurors = select(StageJuror.user_id).join(Stage, Stage.id == StageJuror.stage_id)
    jurors = jurors.where(Stage.contest_id == contest_id)
    if scope == ForumScope.STAGE:
        jurors = jurors.where(StageJuror.stage_id == forum.scope_id)
        if not _admits_everyone(forum.scope_id):
            admitted = select(StageParticipant.participation_id).where(
                StageParticipant.stage_id == forum.scope_id
            )
            participants = participants.where(Participation.id.in_(admitted))
    elif scope == ForumScope.DIVISION:
        participants = participants.where(Participation.division_id == forum.scope_id)
        jurors = jurors.where(or_(StageJuror.division_id.is_(None), StageJuror.division_id == forum.scope_id))
    return select(User.id).where(or_(User.id.in_(participants), User.id.in_(jurors)))


def _admits_everyone(stage_id: int) -> bool:
    """A registration stage or the first competitive one admits every registered participant."""
    stage = db.session.get(Stage, stage_id)
    if stage is None:
        return False
    if stage.kind == StageKind.REGISTRATION:
        return True
    return is_first_competitive(stage, contest_stages(stage.contest_id))
