"""Jury pages: appeals — the participant files one on their entry during the window and reads the
decision; the organiser or a jury chair lists a stage's and resolves one with changed points."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user, login_required

from app.accounts import User
from app.extensions import db
from app.forms_common import form_status
from app.i18n import _
from app.jury import bp
from app.jury.forms import AppealForm, ResolveForm, resolve_form
from app.jury.loading import stage_and_contest
from app.permissions import jury as can
from app.permissions import require
from app.timeutil import utcnow
from app.view_actions import submit
from contest_engine.jury import appeals as appeal_rules
from contest_engine.jury.models import Appeal, JuryCriterion
from contest_engine.jury.overview import JurorMark, entry_scores
from contest_engine.models import Entry, Participation


@bp.route("/entries/<int:entry_id>/appeal", methods=["GET", "POST"])
@login_required
def appeal_entry(entry_id: int):  # type: ignore[no-untyped-def]
    """The participant's side: file an appeal during the window, then read the decision."""
    entry_row = db.get_or_404(Entry, entry_id)
    participation = db.session.get(Participation, entry_row.participation_id)
    require(participation is not None and participation.user_id == current_user.id)
    stage, contest = stage_and_contest(entry_row.stage_id)
    existing = appeal_rules.entry_appeal(entry_row.id)
    form = AppealForm()
    if existing is None and form.validate_on_submit():
        done = submit(
            form,
            lambda: appeal_rules.file_appeal(entry_row, current_user, form.text.data or "", now=utcnow()),
            done=_("Your appeal has been filed."),
            then=url_for("jury.appeal_entry", entry_id=entry_row.id),
            field="text",
        )
        if done:
            return done
    return render_template(
        "jury/appeal_file.html",
        entry=entry_row,
        stage=stage,
        contest=contest,
        appeal=existing,
        form=form,
        window_open=appeal_rules.appeal_window_open(stage, utcnow()),
    ), form_status(form)


@bp.route("/stages/<int:stage_id>/appeals")
@login_required
def appeals(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = stage_and_contest(stage_id)
    require(can.can_resolve_appeal(current_user, stage))
    return render_template(
        "jury/appeals.html",
        stage=stage,
        contest=contest,
        items=appeal_rules.stage_appeals(stage.id),
        show_names=can.can_see_names(current_user, stage),
        active="appeals",
    )


@bp.route("/appeals/<int:appeal_id>", methods=["GET", "POST"])
@login_required
def appeal(appeal_id: int):  # type: ignore[no-untyped-def]
    appeal_row = db.get_or_404(Appeal, appeal_id)
    stage, contest = stage_and_contest(appeal_row.stage_id)
    participation = db.session.get(Participation, appeal_row.participation_id)
    assert participation is not None
    require(can.can_see_appeal(current_user, appeal_row, participation.user_id, stage))
    resolver = can.can_resolve_appeal(current_user, stage)
    overview_row, criteria = entry_scores(stage, appeal_row.entry_id)
    marks = [m for m in (overview_row.marks if overview_row else []) if m.state == "submitted"]
    form = resolve_form(
        [m.juror_id for m in marks],
        criteria,
        {f"j{m.juror_id}_c{c.id}": str(m.points.get(c.name, "")) for m in marks for c in criteria},
    )
    if request.method == "POST":
        require(resolver)
        if form.validate_on_submit():
            done = submit(
                form,
                lambda: appeal_rules.resolve_appeal(
                    appeal_row,
                    decision=form.decision.data or "",
                    score_changes=_changes(form, marks, criteria),
                    reason=form.reason.data or "",
                    actor=current_user,
                    now=utcnow(),
                ),
                done=_("The appeal is resolved."),
                then=url_for("jury.appeal", appeal_id=appeal_row.id),
                field="reason",
            )
            if done:
                return done
    return render_template(
        "jury/appeal.html",
        appeal=appeal_row,
        stage=stage,
        contest=contest,
        form=form,
        resolver=resolver,
        marks=marks,
        criteria=criteria,
        row=overview_row,
        participant=db.session.get(User, participation.user_id),
        active="appeals",
        show_names=participation.user_id == current_user.id or can.can_see_names(current_user, stage),
    ), form_status(form)


def _changes(
    form: ResolveForm, marks: list[JurorMark], criteria: list[JuryCriterion]
) -> dict[str, dict[str, str]]:
    """The points the resolver changed, by juror id and criterion name (unchanged fields left out)."""
    changes: dict[str, dict[str, str]] = {}
    for mark in marks:
        for criterion in criteria:
            raw = (form[f"j{mark.juror_id}_c{criterion.id}"].data or "").strip()
            if raw and raw != str(mark.points.get(criterion.name, "")):
                changes.setdefault(str(mark.juror_id), {})[criterion.name] = raw
    return changes
