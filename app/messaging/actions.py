"""Direct message buttons: block and unblock a person, report a message to the moderators."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user, login_required

from app.i18n import _
from app.messaging import bp
from app.messaging.forms import ReportForm
from app.messaging.loading import message_or_404, person_or_404
from app.permissions import require
from app.permissions.messaging import can_use_messages
from app.timeutil import utcnow
from app.view_actions import act
from community.messaging import blocks, reports


@bp.route("/people/<int:user_id>/block", methods=["POST"])
@login_required
def block(user_id: int):  # type: ignore[no-untyped-def]
    require(can_use_messages(current_user))
    other = person_or_404(user_id)
    return act(
        lambda: blocks.block(current_user, other, now=utcnow()),
        done=_("%(name)s can no longer write to you.", name=other.full_name),
        then=url_for("messaging.inbox"),
    )


@bp.route("/people/<int:user_id>/unblock", methods=["POST"])
@login_required
def unblock(user_id: int):  # type: ignore[no-untyped-def]
    require(can_use_messages(current_user))
    other = person_or_404(user_id)
    return act(
        lambda: blocks.unblock(current_user, other),
        done=_("%(name)s can write to you again.", name=other.full_name),
        then=url_for("messaging.inbox"),
    )


@bp.route("/report/<int:message_id>", methods=["POST"])
@login_required
def report(message_id: int):  # type: ignore[no-untyped-def]
    require(can_use_messages(current_user))
    message, conversation = message_or_404(message_id, current_user)
    form = ReportForm()  # the CSRF check is app-wide; the reason is optional
    back = url_for("messaging.conversation", conversation_id=conversation.id)
    return act(
        lambda: reports.report_message(message, current_user, form.reason.data, now=utcnow()),
        done=_("Thank you: the moderators will look at this message."),
        then=back,
    )
