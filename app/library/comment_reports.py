"""Methodical library pages for moderators: the comments readers reported, in the moderator's scope
(every material for methodists and administrators, their associations' for leaders), each to be
hidden with a reason or its reports dismissed."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user, login_required

from app.extensions import db
from app.i18n import _
from app.library import bp
from app.library.discussion import material_page
from app.main.forms import EmptyForm
from app.pagination import page_args
from app.permissions import require
from app.permissions.library import can_moderate_any, can_moderate_material, moderation_scope
from app.timeutil import utcnow
from app.view_actions import act
from community.library import comment_moderation
from community.library.models import Material, MaterialComment


@bp.route("/comments/reported")
@login_required
def reported_comments():  # type: ignore[no-untyped-def]
    require(can_moderate_any(current_user))
    page, per_page = page_args(request.args, default_per_page=20, max_per_page=100)
    found = comment_moderation.reported_comments(moderation_scope(current_user), page, per_page)
    return render_template(
        "library/reported_comments.html", page=found, material_url=material_page, form=EmptyForm()
    )


@bp.route("/comments/<int:comment_id>/dismiss", methods=["POST"])
@login_required
def comment_dismiss(comment_id: int):  # type: ignore[no-untyped-def]
    comment = db.get_or_404(MaterialComment, comment_id)
    material = db.get_or_404(Material, comment.material_id)
    require(can_moderate_material(current_user, material))
    back = url_for("library.reported_comments")
    return act(
        lambda: comment_moderation.dismiss_reports(comment, current_user, now=utcnow()),
        done=_("The reports are dismissed; the comment stays."),
        then=back,
    )
