"""Contest pages for organisers running a contest: closing, reopening and extending a stage,
publishing its results, recalculating the ranking, advancing participants, the audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.contests import bp, forms
from app.contests.access import contest_or_404, flash_form_errors, require_organiser, stage_or_404
from app.contests.audit_log import audit_lines
from app.contests.audit_names import contest_audit_page, load_names
from app.domain_errors import DomainError
from app.i18n import _
from app.pagination import page_args
from app.timeutil import parse_local, utcnow
from app.view_actions import act
from contest_engine.advancing import confirm_advancement, preview_advancement
from contest_engine.clock import close_stage, extend_stage, reopen_stage
from contest_engine.models import Contest, Stage
from contest_engine.queries import OPEN_STATES, participant_names
from contest_engine.results import publish_results, refresh_results


@bp.route("/stages/<int:stage_id>/close", methods=["POST"])
@login_required
def stage_close(stage_id: int):  # type: ignore[no-untyped-def]
    return _stage_action(
        stage_id,
        forms.CloseForm,
        "close",
        lambda s, c, f: close_stage(s, actor=current_user, now=utcnow(), reason=f.reason.data or ""),
    )


@bp.route("/stages/<int:stage_id>/reopen", methods=["POST"])
@login_required
def stage_reopen(stage_id: int):  # type: ignore[no-untyped-def]
    return _stage_action(
        stage_id,
        forms.ReopenForm,
        "reopen",
        lambda s, c, f: reopen_stage(
            s,
            actor=current_user,
            now=utcnow(),
            reason=f.reason.data or "",
            new_closes_at=parse_local(f.closes_at.data, c.timezone),
        ),
    )


@bp.route("/stages/<int:stage_id>/extend", methods=["POST"])
@login_required
def stage_extend(stage_id: int):  # type: ignore[no-untyped-def]
    return _stage_action(
        stage_id,
        forms.ExtendForm,
        "extend",
        lambda s, c, f: extend_stage(
            s,
            actor=current_user,
            now=utcnow(),
            new_closes_at=parse_local(f.closes_at.data, c.timezone),
            reason=f.reason.data or "",
        ),
    )


@bp.route("/stages/<int:stage_id>/publish", methods=["POST"])
@login_required
def stage_publish(stage_id: int):  # type: ignore[no-untyped-def]
    return _stage_action(
        stage_id,
        forms.PublishForm,
        "publish",
        lambda s, c, f: publish_results(
            s, actor=current_user, now=utcnow(), appeal_hours=f.appeal_hours.data
        ),
    )


@bp.route("/stages/<int:stage_id>/results/refresh", methods=["POST"])
@login_required
def results_refresh(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = stage_or_404(stage_id)
    require_organiser(contest)
    if FlaskForm().validate_on_submit() and stage.state not in OPEN_STATES:
        refresh_results(stage, now=utcnow())
        flash(_("The ranking is recalculated."), "success")
    else:
        flash(_("The stage is still open."), "danger")
    return redirect(url_for("contests.results_view", stage_id=stage.id))


@bp.route("/stages/<int:stage_id>/advance", methods=["GET", "POST"])
@login_required
def advance(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = stage_or_404(stage_id)
    require_organiser(contest)
    now = utcnow()
    form = forms.AdvanceForm()
    form.chosen.choices = forms.options(participant_names(contest.id))
    try:
        if form.validate_on_submit():
            outcome = confirm_advancement(stage, actor=current_user, now=now, chosen=form.chosen.data or None)
            if outcome.confirmed:
                flash(_("Advancement confirmed: %(n)s advance.", n=len(outcome.advanced)), "success")
                return redirect(url_for("contests.results_view", stage_id=stage.id))
            flash(_("Some entries are still missing jury scores."), "danger")
        preview = preview_advancement(stage, now=now, chosen=form.chosen.data or None)
    except DomainError as error:  # the preview itself is refused: back to the stage with the reason
        flash(error.message, "danger")
        return redirect(url_for("contests.stage", stage_id=stage.id))
    return render_template("contests/advance.html", stage=stage, contest=contest, preview=preview, form=form)


@bp.route("/<int:contest_id>/audit")
@login_required
def audit(contest_id: int):  # type: ignore[no-untyped-def]
    contest = contest_or_404(contest_id)
    require_organiser(contest)
    page, per_page = page_args(request.args, 50)
    shown = contest_audit_page(contest.id, page=page, per_page=per_page)
    lines = audit_lines(shown.items, load_names(shown.items, contest.id))
    return render_template("contests/audit.html", contest=contest, page=shown, lines=lines)


def _stage_action(
    stage_id: int, form_class: type[FlaskForm], prefix: str, run: Callable[[Stage, Contest, Any], object]
):  # type: ignore[no-untyped-def]
    """A stage button with its small form: checked, then one service call, back to the stage."""
    stage, contest = stage_or_404(stage_id)
    require_organiser(contest)
    form = form_class(prefix=prefix)
    back = url_for("contests.stage", stage_id=stage.id)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(back)
    return act(lambda: run(stage, contest, form), done=_("Done."), then=back)
