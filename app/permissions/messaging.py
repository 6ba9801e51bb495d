"""Who may write a direct message to whom, and who sees the conversations and the reports.

- Adults (every role but student) write to adults.
- A pupil (role student, a minor) writes only to their teachers: the authors and tutors of the
  courses they are enrolled in as a student, the organisers of the contests they take part in and
  the jurors of those contests' stages. Never to another pupil or a stranger.
- An adult writes to a pupil only where the pupil may write to them (the same relation, from the
  other side), so a pupil may always answer whoever wrote to them.
- The administrator may write to anyone (the site's support); a pupil may answer the administrator
  once the administrator has written to them.
Blocks are the messaging service's rule, answered with the same words as these refusals.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased

from app.accounts import Role, User
from app.extensions import db
from app.permissions import _signed_in, has_role, is_admin
from community.messaging.models import Conversation, DirectMessage
from contest_engine.jury.models import StageJuror
from contest_engine.models import ContestOrganiser, Participation, Stage
from courses.models import CourseMember, CourseRole


def can_use_messages(user: Any) -> bool:
    return _signed_in(user)


def can_write_to(user: Any, other: User | None) -> bool:
    if not _signed_in(user) or other is None or not other.active or other.id == user.id:
        return False
    if is_admin(user):
        return True
    if user.role == Role.STUDENT:
        if other.role == Role.STUDENT:
            return False
        if other.role == Role.ADMIN:
            return _has_written(other.id, user.id)
        return teaches(other.id, user.id)
    if other.role == Role.STUDENT:
        return teaches(user.id, other.id)
    return True


def can_view_conversation(user: Any, conversation: Conversation) -> bool:
    return _signed_in(user) and user.id in (conversation.low_user_id, conversation.high_user_id)


def can_see_message_reports(user: Any) -> bool:
    """The moderators of direct messages: administrators and methodists."""
    return has_role(user, Role.ADMIN, Role.METHODIST)


def teaches(adult_id: int, pupil_id: int) -> bool:
    """Whether the adult is the pupil's teacher (author or tutor of a course the pupil studies in),
    an organiser of a contest the pupil takes part in, or a juror of one of its stages (one query)."""
    staff, pupil = aliased(CourseMember), aliased(CourseMember)
    in_course = exists().where(
        staff.user_id == adult_id,
        staff.role.in_([CourseRole.AUTHOR, CourseRole.TUTOR]),
        pupil.course_id == staff.course_id,
        pupil.user_id == pupil_id,
        pupil.role == CourseRole.STUDENT,
    )
    contests = select(Participation.contest_id).where(Participation.user_id == pupil_id)
    organises = exists().where(
        ContestOrganiser.user_id == adult_id, ContestOrganiser.contest_id.in_(contests)
    )
    judges = exists().where(
        StageJuror.user_id == adult_id, StageJuror.stage_id == Stage.id, Stage.contest_id.in_(contests)
    )
    return bool(db.session.scalar(select(or_(in_course, organises, judges))))


def _has_written(sender_id: int, recipient_id: int) -> bool:
    low, high = sorted((sender_id, recipient_id))
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    and_(Conversation.low_user_id == low, Conversation.high_user_id == high),
                    DirectMessage.conversation_id == Conversation.id,
                    DirectMessage.sender_id == sender_id,
                )
            )
        )
    )
