"""Direct messages: the recipient reports a message to the moderators (once per message), and the
administrators and methodists see the open reports and resolve them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import aliased

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, Forbidden
from app.extensions import added, db, rows_changed
from app.i18n import _
from app.pagination import Page, paginate
from community.messaging import rules
from community.messaging.models import Conversation, DirectMessage, MessageReport
from community.messaging.refusals import refusal


@dataclass(frozen=True)
class OpenReport:
    report: MessageReport
    message: DirectMessage
    sender: User
    reporter: User


def report_message(message: DirectMessage, actor: User, reason: Any, *, now: datetime) -> MessageReport:
    """Only the message's recipient reports it; a second report of the same message is a 409."""
    conversation = db.session.get_one(Conversation, message.conversation_id)
    if message.sender_id == actor.id or actor.id not in (conversation.low_user_id, conversation.high_user_id):
        raise Forbidden(_("Only the person who received a message can report it."))
    try:
        cleaned = rules.report_reason(reason)
    except rules.RuleError as error:
        raise refusal(error) from None
    report = MessageReport(message_id=message.id, reporter_id=actor.id, reason=cleaned, created_at=now)
    if not added(report):
        db.session.rollback()
        raise Conflict(_("You have already reported this message.")) from None
    audit.record(
        "messaging.message_reported",
        actor=actor,
        scope_type="conversation",
        scope_id=conversation.id,
        object_type="direct_message",
        object_id=message.id,
        reason=cleaned,
    )
    db.session.commit()
    return report


def resolve_report(report: MessageReport, actor: User, *, now: datetime) -> MessageReport:
    """A moderator has dealt with the report (the caller checked they may); twice is a 409."""
    done = rows_changed(
        update(MessageReport)
        .where(MessageReport.id == report.id, MessageReport.resolved_at.is_(None))
        .values(resolved_at=now)
        .execution_options(synchronize_session=False)
    )
    if not done:
        db.session.rollback()
        raise Conflict(_("This report has already been dealt with."))
    audit.record(
        "messaging.report_resolved",
        actor=actor,
        scope_type="direct_message",
        scope_id=report.message_id,
        object_type="direct_message_report",
        object_id=report.id,
    )
    db.session.commit()
    db.session.refresh(report)
    return report


def open_reports(*, page: int, per_page: int) -> Page[OpenReport]:
    """Unresolved reports, oldest first, each with its message, sender and reporter (two queries)."""
    sender, reporter = aliased(User), aliased(User)
    query: Any = (
        select(MessageReport, DirectMessage, sender, reporter)
        .join(DirectMessage, DirectMessage.id == MessageReport.message_id)
        .join(sender, sender.id == DirectMessage.sender_id)
        .join(reporter, reporter.id == MessageReport.reporter_id)
        .where(MessageReport.resolved_at.is_(None))
        .order_by(MessageReport.created_at, MessageReport.id)
    )
    found = paginate(query, page, per_page, scalars=False)
    items = [OpenReport(*row) for row in found.items]
    return Page(items=items, page=found.page, per_page=found.per_page, total=found.total)
