"""The moderators' page of reported direct messages (administrators and methodists): the open reports
with the message, its sender and the reporter, and resolving one."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user, login_required

from app.i18n import _
from app.messaging import bp
from app.messaging.loading import report_or_404
from app.pagination import page_args
from app.permissions import require
from app.permissions.messaging import can_see_message_reports
from app.timeutil import utcnow
from app.view_actions import act
from community.messaging import reports


@bp.route("/reports")
@login_required
def reported():  # type: ignore[no-untyped-def]
    require(can_see_message_reports(current_user))
    page_number, per_page = page_args(request.args, default_per_page=30)
    page = reports.open_reports(page=page_number, per_page=per_page)
    return render_template("messaging/reports.html", page=page)


@bp.route("/reports/<int:report_id>/resolve", methods=["POST"])
@login_required
def resolve(report_id: int):  # type: ignore[no-untyped-def]
    require(can_see_message_reports(current_user))
    found = report_or_404(report_id)
    return act(
        lambda: reports.resolve_report(found, current_user, now=utcnow()),
        done=_("The report is dealt with."),
        then=url_for("messaging.reported"),
    )
