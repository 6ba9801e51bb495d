"""Feedback after an event: each attendee answers once — a score from 1 to 5 and a comment — and
the host sees the summary: the average («4,67 из 5»), how many answered, the comments.

Comments are shown to the host without names, so colleagues answer frankly; the unique
(event, person) row makes a second answer (or two at once) a 409.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, Forbidden
from app.extensions import added, db
from app.pagination import Page, paginate
from community.events import attendance_rules as rules
from community.events.messages import refusal, text
from community.events.models import Event, EventFeedback, EventRegistration, RegistrationStatus
from community.rules import RuleError


@dataclass(frozen=True)
class Summary:
    count: int
    average: Decimal | None
    # How many gave each score, 5 first: the shape of the answers, not only their mean.
    by_score: list[tuple[int, int]]
    comments: Page[EventFeedback]


def has_attended(event: Event, user: User) -> bool:
    query = select(EventRegistration.id).where(
        EventRegistration.event_id == event.id,
        EventRegistration.user_id == user.id,
        EventRegistration.status == RegistrationStatus.REGISTERED,
        EventRegistration.attended_at.is_not(None),
    )
    return db.session.scalar(query) is not None


def own_feedback(event: Event, user: User) -> EventFeedback | None:
    return db.session.scalar(
        select(EventFeedback).where(EventFeedback.event_id == event.id, EventFeedback.user_id == user.id)
    )


def leave_feedback(
    event: Event, user: User, *, score: object, comment: object, now: datetime
) -> EventFeedback:
    """Refused (403) to someone who did not attend, (422) for a score outside 1–5 or a comment too
    long, (409) for a second answer."""
    if not has_attended(event, user):
        raise Forbidden(text(RuleError("feedback_not_attended")))
    try:
        row = EventFeedback(
            event_id=event.id,
            user_id=user.id,
            score=rules.clean_score(score),
            comment=rules.clean_comment(comment),
            created_at=now,
        )
    except RuleError as error:
        raise refusal(error) from error
    if not added(row):
        db.session.rollback()
        raise Conflict(text(RuleError("feedback_twice")))
    audit.record(
        "events.feedback_left",
        actor=user,
        scope_type="event",
        scope_id=event.id,
        object_type="feedback",
        object_id=row.id,
        details={"score": row.score},
    )
    db.session.commit()
    return row


def summary(event: Event, page: int = 1, per_page: int = 20) -> Summary:
    """Four queries at any size: the counts by score, and a page of comments with its count."""
    rows = db.session.execute(
        select(EventFeedback.score, func.count())
        .where(EventFeedback.event_id == event.id)
        .group_by(EventFeedback.score)
    ).all()
    counts = {int(score): int(number) for score, number in rows}
    count = sum(counts.values())
    total = sum(score * number for score, number in counts.items())
    comments = paginate(
        select(EventFeedback)
        .where(EventFeedback.event_id == event.id, EventFeedback.comment != "")
        .order_by(EventFeedback.created_at.desc(), EventFeedback.id.desc()),
        page,
        per_page,
    )
    return Summary(
        count=count,
        average=rules.average(total, count),
        by_score=[(score, counts.get(score, 0)) for score in reversed(rules.SCORES)],
        comments=comments,
    )
