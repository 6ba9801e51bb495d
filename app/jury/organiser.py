"""Jury pages for the organiser: the stage's jury settings and criteria, its jurors and conflicts
of interest, allocation and moving an assignment."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.accounts import User
from app.extensions import db
from app.forms_common import form_status
from app.i18n import _
from app.jury import bp
from app.jury.forms import ConflictForm, CriterionForm, InviteForm, MoveForm, SettingsForm, choices
from app.jury.loading import managed
from app.pagination import page_args, paginate
from app.timeutil import parse_local, to_form_time
from app.view_actions import act, submit
from contest_engine.jury.assignment import allocate_stage, move_assignment
from contest_engine.jury.conflicts import contest_conflicts, declare_conflict
from contest_engine.jury.jurors import invite_juror, remove_stage_juror, stage_jurors
from contest_engine.jury.models import ConflictSource, JuryAssignment, JuryCriterion, StageJuror
from contest_engine.jury.setup import add_criterion as add_stage_criterion
from contest_engine.jury.setup import delete_criterion as delete_stage_criterion
from contest_engine.jury.setup import jury_config, save_jury_settings, stage_criteria
from contest_engine.models import Contest, Participation, Stage
from contest_engine.queries import contest_divisions


@bp.route("/stages/<int:stage_id>", methods=["GET", "POST"])
@login_required
def setup(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = managed(stage_id)
    form = SettingsForm(data=_settings_data(stage, contest))
    if form.validate_on_submit():
        threshold = _threshold(form)
        if not form.disagreement_threshold.errors:
            done = submit(
                form,
                lambda: save_jury_settings(
                    stage,
                    aggregation=form.aggregation.data or "mean",
                    jurors_per_entry=form.jurors_per_entry.data,
                    blind=bool(form.blind.data),
                    disagreement_threshold=threshold,
                    scoring_due_at=parse_local(form.scoring_due_at.data, contest.timezone),
                    slot_pick_deadline=parse_local(form.slot_pick_deadline.data, contest.timezone),
                    actor=current_user,
                ),
                done=_("Jury settings saved."),
                then=url_for("jury.setup", stage_id=stage.id),
            )
            if done:
                return done
    criterion_form = CriterionForm(formdata=None)
    criterion_form.offer_spare_rows()
    return _setup_page(stage, contest, form, criterion_form, form_status(form))


@bp.route("/stages/<int:stage_id>/criteria", methods=["POST"])
@login_required
def add_criterion(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = managed(stage_id)
    criterion_form = CriterionForm()
    if criterion_form.validate_on_submit():
        done = submit(
            criterion_form,
            lambda: add_stage_criterion(stage, **criterion_form.values(), actor=current_user),
            done=_("Criterion added."),
            then=url_for("jury.setup", stage_id=stage.id),
        )
        if done:
            return done
    form = SettingsForm(formdata=None, data=_settings_data(stage, contest))
    criterion_form.offer_spare_rows()
    return _setup_page(stage, contest, form, criterion_form, 422)


@bp.route("/criteria/<int:criterion_id>/delete", methods=["POST"])
@login_required
def delete_criterion(criterion_id: int):  # type: ignore[no-untyped-def]
    criterion = db.get_or_404(JuryCriterion, criterion_id)
    stage, _contest = managed(criterion.stage_id)
    return act(
        lambda: delete_stage_criterion(criterion, actor=current_user),
        done=_("Criterion deleted."),
        then=url_for("jury.setup", stage_id=stage.id),
    )


@bp.route("/stages/<int:stage_id>/jurors", methods=["GET", "POST"])
@login_required
def jurors(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = managed(stage_id)
    invite, conflict = _invite_form(contest), _conflict_form(stage, contest)
    if request.method == "POST" and invite.validate_on_submit():
        done = submit(
            invite,
            lambda: invite_juror(
                stage,
                email=invite.email.data or "",
                full_name=invite.full_name.data or "",
                division_id=invite.division_id.data or None,
                is_chair=bool(invite.is_chair.data),
                actor=current_user,
                queue_url=url_for("jury.queue", _external=True),
                set_password_url=lambda token: url_for("auth.reset", token=token, _external=True),
            ),
            done=lambda invitation: _("%(name)s is invited to the jury.", name=invitation.user.full_name),
            then=url_for("jury.jurors", stage_id=stage.id),
            field="email",
        )
        if done:
            return done
    return _jurors_page(stage, contest, invite, conflict, form_status(invite))


@bp.route("/stages/<int:stage_id>/conflicts", methods=["POST"])
@login_required
def add_conflict(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = managed(stage_id)
    invite, conflict = _invite_form(contest), _conflict_form(stage, contest)
    if conflict.validate_on_submit():
        done = submit(
            conflict,
            lambda: declare_conflict(
                contest.id,
                conflict.juror_id.data,
                conflict.participation_id.data,
                source=ConflictSource.DECLARED_BY_ORGANISER,
                actor=current_user,
            ),
            done=_("Conflict of interest recorded."),
            then=url_for("jury.jurors", stage_id=stage.id),
            field="participation_id",
        )
        if done:
            return done
    return _jurors_page(stage, contest, invite, conflict, 422)


@bp.route("/stage-jurors/<int:juror_id>/remove", methods=["POST"])
@login_required
def remove_juror(juror_id: int):  # type: ignore[no-untyped-def]
    juror = db.get_or_404(StageJuror, juror_id)
    stage, _contest = managed(juror.stage_id)
    return act(
        lambda: remove_stage_juror(juror, actor=current_user),
        done=_("Juror removed."),
        then=url_for("jury.jurors", stage_id=stage.id),
    )


@bp.route("/stages/<int:stage_id>/allocate", methods=["POST"])
@login_required
def allocate(stage_id: int):  # type: ignore[no-untyped-def]
    stage, _contest = managed(stage_id)
    return act(
        lambda: allocate_stage(stage, actor=current_user),
        done=lambda assignments: _("Allocation done: %(n)d assignments.", n=len(assignments)),
        then=url_for("jury.jurors", stage_id=stage.id),
    )


@bp.route("/assignments/<int:assignment_id>/move", methods=["POST"])
@login_required
def move(assignment_id: int):  # type: ignore[no-untyped-def]
    assignment = db.get_or_404(JuryAssignment, assignment_id)
    stage, _contest = managed(assignment.stage_id)
    back = url_for("jury.jurors", stage_id=stage.id)
    form = MoveForm()
    form.juror_id.choices = choices([(u.id, u.full_name) for _j, u in stage_jurors(stage.id)])
    if not form.validate_on_submit():
        flash(_("Choose a juror of this stage."), "danger")
        return redirect(back)
    return act(
        lambda: move_assignment(assignment, form.juror_id.data, actor=current_user),
        done=_("Assignment moved."),
        then=back,
    )


def _settings_data(stage: Stage, contest: Contest) -> dict[str, Any]:
    """The settings form's values from the stage's stored jury config (times in the contest's zone)."""
    config = jury_config(stage)
    return {
        "aggregation": config.aggregation.value if config.aggregation else "mean",
        "jurors_per_entry": config.jurors_per_entry,
        "blind": bool(config.blind),
        "disagreement_threshold": str(config.disagreement_threshold)
        if config.disagreement_threshold is not None
        else "",
        "scoring_due_at": to_form_time(config.scoring_due_at, contest.timezone),
        "slot_pick_deadline": to_form_time(config.slot_pick_deadline, contest.timezone),
    }


def _threshold(form: SettingsForm) -> Decimal | None:
    """The typed threshold (a decimal comma accepted); a form error when it is not a number."""
    raw = (form.disagreement_threshold.data or "").strip().replace(",", ".")
    try:
        return Decimal(raw) if raw else None
    except InvalidOperation:
        form.disagreement_threshold.errors = [_("Must be a number.")]
        return None


def _setup_page(
    stage: Stage, contest: Contest, form: SettingsForm, criterion_form: CriterionForm, status: int
):  # type: ignore[no-untyped-def]
    return render_template(
        "jury/setup.html",
        stage=stage,
        contest=contest,
        form=form,
        criteria=stage_criteria(stage.id),
        criterion_form=criterion_form,
        active="setup",
    ), status


def _jurors_page(
    stage: Stage, contest: Contest, invite: InviteForm, conflict: ConflictForm, status: int = 200
):  # type: ignore[no-untyped-def]
    jurors = stage_jurors(stage.id)
    divisions = {d.id: d.name for d in contest_divisions(contest.id)}
    page, per_page = page_args(request.args)
    assignments = paginate(
        select(JuryAssignment)
        .where(JuryAssignment.stage_id == stage.id)
        .order_by(JuryAssignment.entry_id, JuryAssignment.juror_id),
        page,
        per_page,
    )
    return render_template(
        "jury/jurors.html",
        stage=stage,
        contest=contest,
        jurors=jurors,
        divisions=divisions,
        invite=invite,
        conflict=conflict,
        conflicts=contest_conflicts(contest.id),
        assignments=assignments,
        names={u.id: u.full_name for _j, u in jurors},
        move=MoveForm(),
        active="jurors",
    ), status


def _invite_form(contest: Contest) -> InviteForm:
    form = InviteForm()
    form.division_id.choices = choices(
        [(0, _("— all divisions —"))] + [(d.id, d.name) for d in contest_divisions(contest.id)]
    )
    return form


def _conflict_form(stage: Stage, contest: Contest) -> ConflictForm:
    form = ConflictForm()
    form.juror_id.choices = choices([(u.id, u.full_name) for _j, u in stage_jurors(stage.id)])
    rows = db.session.execute(
        select(Participation.id, User.full_name)
        .join(User, User.id == Participation.user_id)
        .where(Participation.contest_id == contest.id)
        .order_by(User.full_name)
    ).all()
    form.participation_id.choices = choices([(row[0], row[1]) for row in rows])
    return form
