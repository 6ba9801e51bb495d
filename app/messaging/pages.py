"""Direct message pages: the inbox, a conversation (its messages, the reply form, read marks), and
writing to a person for the first time (from their page, a forum post or a mention)."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app import header_facts
from app.accounts import User
from app.extensions import db
from app.forms_common import form_status
from app.i18n import _
from app.messaging import bp
from app.messaging.forms import MessageForm, ReportForm
from app.messaging.loading import conversation_or_404, person_or_404
from app.pagination import page_args
from app.permissions import require
from app.permissions.messaging import can_use_messages, can_write_to
from app.timeutil import utcnow
from app.view_actions import submit
from community.messaging import blocks as blocking
from community.messaging import conversations
from community.messaging.refusals import CANNOT_WRITE
from community.messaging.rules import other_member

CONVERSATIONS_PER_PAGE = 30
MESSAGES_PER_PAGE = 50


@bp.route("/")
@login_required
def inbox():  # type: ignore[no-untyped-def]
    require(can_use_messages(current_user))
    page_number, per_page = page_args(request.args, default_per_page=CONVERSATIONS_PER_PAGE)
    page = conversations.inbox(current_user.id, page=page_number, per_page=per_page)
    return render_template(
        "messaging/inbox.html", page=page, blocked=blocking.blocked_people(current_user.id)
    )


@bp.route("/<int:conversation_id>", methods=["GET", "POST"])
@login_required
def conversation(conversation_id: int):  # type: ignore[no-untyped-def]
    require(can_use_messages(current_user))
    found = conversation_or_404(conversation_id, current_user)
    other = db.session.get_one(User, other_member(found.low_user_id, found.high_user_id, current_user.id))
    form = MessageForm()
    if form.validate_on_submit():
        _refuse_unless_may_write(other)
        sent = submit(
            form,
            lambda: conversations.send_message(current_user, other, form.text.data, now=utcnow()),
            done=_("Message sent."),
            then=url_for("messaging.conversation", conversation_id=found.id),
        )
        if sent is not None:
            return sent
    page_number, per_page = page_args(request.args, default_per_page=MESSAGES_PER_PAGE)
    page = conversations.messages_page(found, page=page_number, per_page=per_page)
    header_facts.discount(messages=conversations.unread_from_other(found, current_user, page))
    conversations.mark_read_after_response(found, current_user, now=utcnow())
    return render_template(
        "messaging/conversation.html",
        conversation=found,
        other=other,
        page=page,
        form=form,
        report_form=ReportForm(),
        **_writing(other),
    ), form_status(form)


@bp.route("/with/<int:user_id>", methods=["GET", "POST"])
@login_required
def write_to(user_id: int):  # type: ignore[no-untyped-def]
    """The conversation with the person if there is one; otherwise the form of a first message."""
    require(can_use_messages(current_user))
    other = person_or_404(user_id)
    if other.id == current_user.id:
        return redirect(url_for("messaging.inbox"))
    existing = conversations.conversation_between(current_user.id, other.id)
    if existing is not None:
        return redirect(url_for("messaging.conversation", conversation_id=existing.id))
    _refuse_unless_may_write(other)
    form = MessageForm()
    if form.validate_on_submit():
        sent = submit(
            form,
            lambda: conversations.send_message(current_user, other, form.text.data, now=utcnow()),
            done=_("Message sent."),
            then=lambda message: url_for("messaging.conversation", conversation_id=message.conversation_id),
        )
        if sent is not None:
            return sent
    return render_template("messaging/write.html", other=other, form=form), form_status(form)


def _refuse_unless_may_write(other: User) -> None:
    """403 with the same words whether the rules keep them apart or the person blocked the sender."""
    if not can_write_to(current_user, other) or conversations.blocks(other.id, current_user.id):
        abort(403, description=str(CANNOT_WRITE))


def _writing(other: User) -> dict[str, Any]:
    """What the conversation page offers: the reply form, or why not."""
    i_blocked = conversations.blocks(current_user.id, other.id)
    may_write = (
        not i_blocked
        and can_write_to(current_user, other)
        and not conversations.blocks(other.id, current_user.id)
    )
    return {"may_write": may_write, "i_blocked": i_blocked}
