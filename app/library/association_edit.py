"""Methodical library: a methodist or administrator corrects an association's settings (name,
subject, description, district, who may join); its leaders are named on its page."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from app.extensions import db
from app.forms_common import form_status
from app.i18n import _
from app.library import bp
from app.library.associations import AssociationForm
from app.permissions import library as can
from app.permissions import require
from app.view_actions import submit
from community.associations import management
from community.associations.models import Association
from community.subjects import all_subjects


@bp.route("/associations/<int:association_id>/edit", methods=["GET", "POST"])
@login_required
def association_edit(association_id: int):
    require(can.can_edit_association(current_user))
    row = db.get_or_404(Association, association_id)
    # Keywords win over the row's attributes (its `subject` is a row, the field wants its id);
    # a posted form wins over both.
    form = AssociationForm(obj=row, subject=row.subject_id or 0, join_policy=str(row.join_policy))
    locale = str(get_locale())
    form.subject.choices = [(0, _("— no subject —"))] + [(s.id, s.label(locale)) for s in all_subjects()]
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: management.edit_association(
                row,
                name=form.name.data or "",
                subject_id=form.subject.data or None,
                description=form.description.data or "",
                district=form.district.data or "",
                join_policy=form.join_policy.data or "open",
                actor=current_user,
            ),
            done=_("The association's settings are saved."),
            then=url_for("library.association", association_id=row.id),
            field="name",
        )
        if done:
            return done
    return render_template("library/association_edit.html", form=form, association=row), form_status(form)
