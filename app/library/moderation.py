"""Methodical library: the moderators' pages — the queue (oldest first, flagged when late), the review
of one pending version (its content, files, and the publish / reject form), the trusted authors
(administrators), and the moderator's dashboard card."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.account_services import find_user_by_email
from app.accounts import User
from app.email_address import EmailAddress
from app.extensions import db
from app.forms_common import form_status, strip_whitespace
from app.i18n import _
from app.i18n import lazy_ as _l
from app.library import bp
from app.main.dashboard import Panel
from app.pagination import page_args, paginate
from app.permissions import library as can
from app.permissions import require
from app.timeutil import utcnow
from app.uploads import send_stored
from app.view_actions import act, submit
from community.associations.models import Association
from community.library import moderation
from community.library.labels import KIND_LABELS, STATE_COLOURS, VERSION_STATE_LABELS
from community.library.models import Material, MaterialFile, MaterialVersion
from community.library.review_rules import queue_is_late, waiting_days


class ReviewForm(FlaskForm):
    decision = StringField(_l("Decision"), validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=5000)])


class TrustedAuthorForm(FlaskForm):
    email = EmailField(
        _l("Author's e-mail"),
        filters=[strip_whitespace],
        validators=[DataRequired(), EmailAddress(), Length(max=255)],
    )


def material_link(material_id: int, version_id: int, *, external: bool = True) -> str:
    """The material's page for its author (the version's review page, which the author may read too,
    if the material page is not there)."""
    if "library.material" in current_app.view_functions:
        return url_for("library.material", material_id=material_id, _external=external)
    return url_for("library.review", version_id=version_id, _external=external)


@bp.route("/queue")
@login_required
def queue():
    require(can.can_moderate_any(current_user))
    scope = can.moderation_scope(current_user)
    now = utcnow()
    page, per_page = page_args(request.args)
    result = paginate(moderation.queue_query(scope, current_user.id), page, per_page, scalars=False)
    total, oldest = moderation.queue_summary(scope, current_user.id)
    days = current_app.config["LIBRARY_QUEUE_DAYS"]
    return render_template(
        "library/queue.html",
        page=result,
        items=[moderation.queue_item(row, now) for row in result.items],
        late=queue_is_late(oldest, now, days),
        oldest_days=waiting_days(oldest, now),
        days=days,
        total=total,
    )


@bp.route("/versions/<int:version_id>/review", methods=["GET", "POST"])
@login_required
def review(version_id: int):
    version, material = _version_and_material(version_id)
    form = ReviewForm()
    if request.method == "POST":
        require(can.can_moderate_material(current_user, material))
        if form.validate_on_submit():
            decision = form.decision.data or ""
            done = submit(
                form,
                lambda: moderation.review(
                    version,
                    decision,
                    form.reason.data or "",
                    actor=current_user,
                    now=utcnow(),
                    link=material_link(material.id, version.id),
                ),
                done=_("The material is published.")
                if decision == "publish"
                else _("The material is rejected."),
                then=url_for("library.queue"),
                field="decision",
            )
            if done:
                return done
    return render_template(
        "library/review.html",
        version=version,
        material=material,
        review_version=version,
        review_form=form,
        files=_files(version.id),
        author=db.session.get(User, material.author_id),
        association=db.session.get(Association, material.association_id) if material.association_id else None,
        moderator=can.can_moderate_material(current_user, material) and material.author_id != current_user.id,
        material_url=material_link(material.id, version.id, external=False),
        kind_label=KIND_LABELS.get(material.kind, material.kind),
        state_label=VERSION_STATE_LABELS.get(version.state, version.state),
        state_colour=STATE_COLOURS.get(str(version.state), "secondary"),
        days=waiting_days(version.submitted_at, utcnow()),
    ), form_status(form)


@bp.route("/versions/<int:version_id>/files/<int:file_id>")
@login_required
def version_file(version_id: int, file_id: int):
    """A file of a version under review, for its author and its moderators."""
    _version, _material = _version_and_material(version_id)
    row = db.first_or_404(
        select(MaterialFile).where(MaterialFile.id == file_id, MaterialFile.version_id == version_id)
    )
    return send_stored(row.stored)


@bp.route("/trusted-authors", methods=["GET", "POST"])
@login_required
def trusted_authors():
    require(can.can_set_trusted_author(current_user))
    form = TrustedAuthorForm()
    if form.validate_on_submit():
        author = find_user_by_email(form.email.data or "")
        if author is None:
            form.email.errors = [_("No user with this e-mail.")]
        else:
            done = submit(
                form,
                lambda: moderation.set_trusted_author(author, True, actor=current_user),
                done=_("%(name)s is a trusted author now.", name=author.full_name),
                then=url_for("library.trusted_authors"),
                field="email",
            )
            if done:
                return done
    page, per_page = page_args(request.args)
    result = paginate(moderation.trusted_authors_query(), page, per_page)
    return render_template("library/trusted_authors.html", form=form, page=result), form_status(form)


@bp.route("/trusted-authors/<int:user_id>/remove", methods=["POST"])
@login_required
def untrust_author(user_id: int):
    require(can.can_set_trusted_author(current_user))
    author = db.get_or_404(User, user_id)
    return act(
        lambda: moderation.set_trusted_author(author, False, actor=current_user),
        done=_("%(name)s is no longer a trusted author.", name=author.full_name),
        then=url_for("library.trusted_authors"),
    )


def library_queue_panel(user: Any) -> Panel | None:
    """The moderator's dashboard card: how many versions wait, flagged when the oldest is late."""
    if not getattr(user, "is_authenticated", False):
        return None
    scope = can.moderation_scope(user)
    if scope == []:
        return None
    total, oldest = moderation.queue_summary(scope, user.id)
    if not total:
        return None
    now = utcnow()
    days = current_app.config["LIBRARY_QUEUE_DAYS"]
    return Panel(
        "library/_queue_panel.html",
        order=25,
        context={
            "total": total,
            "late": queue_is_late(oldest, now, days),
            "oldest_days": waiting_days(oldest, now),
            "days": days,
        },
    )


def _version_and_material(version_id: int) -> tuple[MaterialVersion, Material]:
    """The version and its material for its author and its moderators; a 404 for anyone else."""
    version = db.get_or_404(MaterialVersion, version_id)
    material = db.session.get_one(Material, version.material_id)
    if not (can.is_author(current_user, material) or can.can_moderate_material(current_user, material)):
        abort(404)
    return version, material


def _files(version_id: int) -> list[MaterialFile]:
    query = select(MaterialFile).where(MaterialFile.version_id == version_id).order_by(MaterialFile.position)
    return list(db.session.scalars(query))
