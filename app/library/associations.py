"""Methodical library: methodical associations' pages — the list (by subject and district; join at
once or ask to join), one association (its description, leaders, members by district and institution,
its forum's latest topics, its shelf of the library, requests for its leaders, adding people), and
opening a new one (methodists, administrators; editing is app/library/association_edit.py). Teachers
file their materials under the associations they belong to."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.account_services import find_user_by_email
from app.accounts import User
from app.email_address import EmailAddress
from app.extensions import db
from app.forms_common import form_status, select_options, strip_whitespace
from app.i18n import _
from app.i18n import lazy_ as _l
from app.library import bp
from app.pagination import page_args, paginate
from app.permissions import library as can
from app.permissions import require
from app.timeutil import utcnow
from app.view_actions import act, submit
from community.associations import directory, membership, overview
from community.associations.models import Association, MemberStatus
from community.subjects import all_subjects

POLICIES = [("open", _l("Anyone may join")), ("request", _l("On request, approved by a leader"))]
ROLES = [("member", _l("Member")), ("leader", _l("Leader"))]


class AssociationForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=255)])
    subject = SelectField(_l("Subject"), coerce=int)
    district = StringField(
        _l("District"),
        filters=[strip_whitespace],
        validators=[Optional(), Length(max=255)],
        description=_l("Leave empty for an association of the whole network."),
    )
    join_policy = SelectField(_l("Who may join"), choices=select_options(POLICIES))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])


class MemberForm(FlaskForm):
    email = EmailField(
        _l("E-mail"), filters=[strip_whitespace], validators=[DataRequired(), EmailAddress(), Length(max=255)]
    )
    role = SelectField(_l("Role"), choices=select_options(ROLES))


@bp.route("/associations")
@login_required
def associations():
    require(can.can_view_associations(current_user))
    page, per_page = page_args(request.args)
    subject_id, district = list_filters(request.args)
    query = overview.filtered(directory.associations_query(), subject_id=subject_id, district=district)
    locale = str(get_locale())
    present = overview.subject_ids()
    return render_template(
        "library/associations.html",
        page=paginate(query, page, per_page, scalars=False),
        mine=directory.memberships_of(current_user.id),
        locale=locale,
        subjects=[(s.id, s.label(locale)) for s in all_subjects() if s.id in present],
        districts=overview.districts(),
        subject_id=subject_id,
        district=district,
    )


@bp.route("/associations/new", methods=["GET", "POST"])
@login_required
def association_new():
    require(can.can_create_association(current_user))
    form = AssociationForm()
    locale = str(get_locale())
    form.subject.choices = [(0, _("— no subject —"))] + [(s.id, s.label(locale)) for s in all_subjects()]
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: membership.create_association(
                name=form.name.data or "",
                subject_id=form.subject.data or None,
                description=form.description.data or "",
                district=form.district.data or "",
                join_policy=form.join_policy.data or "open",
                actor=current_user,
                now=utcnow(),
            ),
            done=_("The association is open. Name its leaders now."),
            then=lambda association: url_for("library.association", association_id=association.id),
            field="name",
        )
        if done:
            return done
    return render_template("library/association_new.html", form=form), form_status(form)


@bp.route("/associations/<int:association_id>", methods=["GET", "POST"])
@login_required
def association(association_id: int):
    require(can.can_view_associations(current_user))
    row = db.get_or_404(Association, association_id)
    manager = can.can_manage_association(current_user, row.id)
    form = MemberForm()
    if not can.can_name_leaders(current_user):
        form.role.choices = select_options(ROLES[:1])
    if request.method == "POST":
        require(manager)
        if form.validate_on_submit():
            person = find_user_by_email(form.email.data or "")
            if person is None:
                form.email.errors = [_("No user with this e-mail.")]
            else:
                done = submit(
                    form,
                    lambda: membership.add_member(
                        row,
                        person,
                        form.role.data or "member",
                        actor=current_user,
                        now=utcnow(),
                        link=_link(row),
                    ),
                    done=_("%(name)s is in the association.", name=person.full_name),
                    then=_link(row, external=False),
                    field="email",
                )
                if done:
                    return done
    page, per_page = page_args(request.args)
    return render_template(
        "library/association.html",
        association=row,
        leaders=directory.leaders(row.id),
        members=overview.members_page(row.id, page, per_page),
        forum=overview.forum_preview(row.id),
        shelf=overview.shelf(row.id),
        requests=directory.pending_requests(row.id) if manager else [],
        mine=membership.membership(row.id, current_user.id),
        manager=manager,
        form=form,
        locale=str(get_locale()),
        pending=MemberStatus.PENDING,
    ), form_status(form)


@bp.route("/associations/<int:association_id>/join", methods=["POST"])
@login_required
def association_join(association_id: int):
    require(can.can_join_association(current_user))
    row = db.get_or_404(Association, association_id)
    return act(
        lambda: membership.join(row, current_user, now=utcnow(), link=_link(row)),
        done=lambda member: (
            _("You are a member now.")
            if member.status == MemberStatus.ACTIVE
            else _("Your request is sent to the leaders.")
        ),
        then=_link(row, external=False),
    )


@bp.route("/associations/<int:association_id>/leave", methods=["POST"])
@login_required
def association_leave(association_id: int):
    row = db.get_or_404(Association, association_id)
    return act(
        lambda: membership.leave(row, current_user, actor=current_user),
        done=_("You are no longer in the association."),
        then=_link(row, external=False),
    )


@bp.route("/associations/<int:association_id>/members/<int:user_id>/approve", methods=["POST"])
@login_required
def association_approve(association_id: int, user_id: int):
    row = db.get_or_404(Association, association_id)
    require(can.can_manage_association(current_user, row.id))
    person = db.get_or_404(User, user_id)
    return act(
        lambda: membership.approve(row, person, actor=current_user, link=_link(row)),
        done=_("%(name)s is a member now.", name=person.full_name),
        then=_link(row, external=False),
    )


@bp.route("/associations/<int:association_id>/members/<int:user_id>/remove", methods=["POST"])
@login_required
def association_remove(association_id: int, user_id: int):
    """A leader or methodist declines a request or removes a member."""
    row = db.get_or_404(Association, association_id)
    require(can.can_manage_association(current_user, row.id))
    person = db.get_or_404(User, user_id)
    target = membership.membership(row.id, person.id)
    require(target is None or target.role != "leader" or can.can_name_leaders(current_user))
    return act(
        lambda: membership.leave(row, person, actor=current_user),
        done=_("%(name)s is no longer in the association.", name=person.full_name),
        then=_link(row, external=False),
    )


def list_filters(args: Any) -> tuple[int | None, str | None]:
    """?subject= (an id) and ?district= ('-' is the network-wide associations); a bad value is left
    out, as a hand-edited link should still show a list."""
    raw = args.get("subject", "")
    subject_id = int(raw) if raw.isdigit() and 0 < int(raw) < 2**31 else None
    district = args.get("district", "")[:255] or None
    return subject_id, "" if district == "-" else district


def _link(row: Association, external: bool = True) -> str:
    return url_for("library.association", association_id=row.id, _external=external)
