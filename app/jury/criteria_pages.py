"""Jury pages for the organiser: editing one criterion of a stage (name, maximum, weight,
description, levels), refused by the field when it would break scores already given."""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user, login_required

from app.extensions import db
from app.forms_common import form_status
from app.i18n import _
from app.jury import bp
from app.jury.forms import CriterionForm, typed_number
from app.jury.loading import managed
from app.view_actions import submit
from contest_engine.jury.criteria import highest_given, update_criterion
from contest_engine.jury.models import JuryCriterion


@bp.route("/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
@login_required
def edit_criterion(criterion_id: int):  # type: ignore[no-untyped-def]
    criterion = db.get_or_404(JuryCriterion, criterion_id)
    stage, contest = managed(criterion.stage_id)
    form = CriterionForm(data=_stored(criterion))
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: update_criterion(criterion, **form.values(), actor=current_user),
            done=_("Criterion saved."),
            then=url_for("jury.setup", stage_id=stage.id),
        )
        if done:
            return done
    form.offer_spare_rows()
    return render_template(
        "jury/criterion_edit.html",
        stage=stage,
        contest=contest,
        criterion=criterion,
        form=form,
        highest=highest_given(criterion.id),
        active="setup",
    ), form_status(form)


def _stored(criterion: JuryCriterion) -> dict[str, object]:
    """The form's values from the stored criterion (points written as typed: «2,5»)."""
    return {
        "name": criterion.name,
        "max_points": typed_number(criterion.max_points),
        "weight": typed_number(criterion.weight),
        "description": criterion.description,
        "levels": [
            {"points": str(level.get("points", "")), "text": str(level.get("text", ""))}
            for level in criterion.levels or []
        ],
    }
