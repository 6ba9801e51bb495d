"""The administrator's page of what a school coordinator or a district methodist sees in monitoring
(linked from the user's edit page)."""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, ValidationError

from app import user_scopes
from app.accounts import Role, User
from app.admin import bp
from app.districts import district_choices
from app.extensions import db
from app.forms_common import form_status, institution_choices
from app.i18n import _
from app.i18n import lazy_ as _l
from app.permissions import can_manage_users, require
from app.view_actions import submit


def _listed(form: FlaskForm, field: SelectMultipleField) -> None:
    """Every chosen id must be one of the choices (WTForms' own message has no Russian)."""
    offered = {value for value, _label in field.choices or []}
    if any(value not in offered for value in field.data or []):
        raise ValidationError(_("Choose from the list."))


class ScopeForm(FlaskForm):
    institution_ids = SelectMultipleField(
        _l("Institutions"), coerce=int, validate_choice=False, validators=[_listed]
    )
    district_ids = SelectMultipleField(
        _l("Districts"), coerce=int, validate_choice=False, validators=[_listed]
    )


@bp.route("/users/<int:user_id>/scopes", methods=["GET", "POST"])
@login_required
def user_scopes_page(user_id: int) -> Any:
    require(can_manage_users(current_user))
    user = db.get_or_404(User, user_id)
    takes = user_scopes.SCOPED_ROLES.get(Role(user.role))
    form = ScopeForm()
    form.institution_ids.choices = institution_choices(blank=False) if takes == "institution_ids" else []
    form.district_ids.choices = district_choices() if takes == "district_ids" else []
    if takes is None:  # nothing to choose: the page explains why
        del form.institution_ids, form.district_ids
    elif takes == "institution_ids":
        del form.district_ids
    else:
        del form.institution_ids
    if takes and form.validate_on_submit():
        done = submit(
            form,
            lambda: user_scopes.set_scopes(
                user,
                institution_ids=form.data.get("institution_ids") or [],
                district_ids=form.data.get("district_ids") or [],
                actor=current_user,
            ),
            done=_("Monitoring scope saved."),
            then=url_for("admin.user_scopes_page", user_id=user.id),
        )
        if done:
            return done
    current = user_scopes.scopes_of(user)
    if takes and not form.is_submitted():
        getattr(form, takes).data = getattr(current, takes)
    return render_template(
        "admin/user_scopes.html", form=form, user=user, takes=takes, current=current
    ), form_status(form)
