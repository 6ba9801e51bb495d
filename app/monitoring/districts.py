"""The administrator's districts page: the list with institution counts, adding a district, renaming
one (every institution's copy follows) and deleting an empty one."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

from app import districts
from app.accounts import District
from app.extensions import db
from app.forms_common import form_status, strip_whitespace
from app.i18n import _
from app.i18n import lazy_ as _l
from app.monitoring import bp
from app.pagination import page_args
from app.permissions import require
from app.permissions.monitoring import can_manage_districts
from app.view_actions import act, submit


class DistrictForm(FlaskForm):
    name = StringField(
        _l("District"),
        filters=[strip_whitespace],
        validators=[DataRequired(), Length(max=districts.MAX_NAME)],
    )
    region = StringField(
        _l("Region"), filters=[strip_whitespace], validators=[Optional(), Length(max=districts.MAX_NAME)]
    )


@bp.route("/districts", methods=["GET", "POST"])
@login_required
def districts_page():  # type: ignore[no-untyped-def]
    require(can_manage_districts(current_user))
    form = DistrictForm()
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: districts.create_district(
                name=form.name.data or "", region=form.region.data or "", actor=current_user
            ),
            done=_("District added."),
            then=url_for("monitoring.districts_page"),
        )
        if done:
            return done
    page, per_page = page_args(request.args)
    search = request.args.get("q", "").strip()
    found = districts.district_page(page, per_page, search)
    return render_template("monitoring/districts.html", form=form, page=found, q=search), form_status(form)


@bp.route("/districts/<int:district_id>", methods=["GET", "POST"])
@login_required
def district_edit(district_id: int):  # type: ignore[no-untyped-def]
    require(can_manage_districts(current_user))
    district = db.get_or_404(District, district_id)
    form = DistrictForm(obj=district)
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: districts.rename_district(
                district, name=form.name.data or "", region=form.region.data or "", actor=current_user
            ),
            done=_("District renamed in every institution."),
            then=url_for("monitoring.districts_page"),
        )
        if done:
            return done
    row = districts.district_row(district)
    return render_template("monitoring/district_edit.html", form=form, row=row), form_status(form)


@bp.route("/districts/<int:district_id>/delete", methods=["POST"])
@login_required
def district_delete(district_id: int):  # type: ignore[no-untyped-def]
    require(can_manage_districts(current_user))
    district = db.get_or_404(District, district_id)
    return act(
        lambda: districts.delete_district(district, actor=current_user),
        done=_("District deleted."),
        then=url_for("monitoring.districts_page"),
        refused=url_for("monitoring.district_edit", district_id=district_id),
    )
