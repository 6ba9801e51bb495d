"""Contest pages for organisers adding and editing a stage: one form in sections, of which the
browser shows those the chosen kind uses (the server reads only those), with the next stage's
dates proposed from tomorrow morning or the last one's close."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import render_template, request, url_for
from flask_login import current_user, login_required

from app.contests import bp, forms, row_forms
from app.contests.access import contest_or_404, renamed, require_organiser, stage_or_404
from app.forms_common import form_status
from app.i18n import _
from app.timeutil import parse_local, to_form_time, utcnow
from app.view_actions import submit
from contest_engine.messages import kind_label, state_label
from contest_engine.models import Contest, Stage
from contest_engine.queries import contest_stages
from contest_engine.rules.stages import proposed_window
from contest_engine.setup import add_stage, update_stage
from contest_engine.spec import StageSpec


@bp.route("/<int:contest_id>/stages/new", methods=["GET", "POST"])
@login_required
def stage_new(contest_id: int):  # type: ignore[no-untyped-def]
    contest = contest_or_404(contest_id)
    require_organiser(contest)
    stages = contest_stages(contest.id)
    form = forms.StageForm() if request.method == "POST" else forms.StageForm(data=_proposed(contest, stages))
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: renamed(
                lambda: add_stage(contest, _stage_spec(form, contest), actor=current_user, now=utcnow()),
                _stage_field(form),
            ),
            done=_("The stage is added."),
            then=url_for(
                "contests.stage_new" if request.form.get("then") == "next" else "contests.view",
                contest_id=contest.id,
            ),
        )
        if done:
            return done
    return _stage_form(form, contest, stages, _("New stage"))


@bp.route("/stages/<int:stage_id>/edit", methods=["GET", "POST"])
@login_required
def stage_edit(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = stage_or_404(stage_id)
    require_organiser(contest)
    form = forms.StageForm(obj=stage) if request.method == "GET" else forms.StageForm()
    del (
        form.jury_criteria,
        form.jury_aggregation,
        form.jurors_per_entry,
        form.jury_blind,
    )  # the jury room's settings, edited on the jury's own page
    if request.method == "GET":
        form.opens_at.data = to_form_time(stage.opens_at, contest.timezone)
        form.closes_at.data = to_form_time(stage.closes_at, contest.timezone)
        form.advancement_value.data = stage.advancement_value
    form.kind.data = stage.kind.value
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: renamed(
                lambda: update_stage(
                    stage, _stage_spec(form, contest, stored=stage), actor=current_user, now=utcnow()
                ),
                _stage_field(form),
            ),
            done=_("Saved."),
            then=url_for("contests.stage", stage_id=stage.id),
        )
        if done:
            return done
    return _stage_form(form, contest, contest_stages(contest.id), _("Edit stage"), stage=stage)


def _proposed(contest: Contest, stages: list[Any]) -> dict[str, Any]:
    """A new stage is a submission for two weeks from tomorrow morning or the last stage's close,
    whichever is later (see `proposed_window`)."""
    window = proposed_window(stages[-1].closes_at if stages else None, utcnow(), ZoneInfo(contest.timezone))
    return {
        "kind": "submission",
        "opens_at": to_form_time(window.opens_at, contest.timezone),
        "closes_at": to_form_time(window.closes_at, contest.timezone),
    }


def _stage_form(form: forms.StageForm, contest: Contest, stages: list[Any], title: str, stage: Any = None):  # type: ignore[no-untyped-def]
    if "jury_criteria" in form:
        row_forms.add_spare_rows(form.jury_criteria, spare=3 if not len(form.jury_criteria) else 2)
    return render_template(
        "contests/stage_form.html",
        form=form,
        contest=contest,
        stage=stage,
        title=title,
        stages=stages,
        sections=forms.SECTION_KINDS,
        state_label=state_label,
        kind_label=kind_label,
    ), form_status(form)


def _stage_spec(form: forms.StageForm, contest: Contest, stored: Stage | None = None) -> StageSpec:
    """The stage as the form describes it, reading only the parts its kind uses; on an edit the
    parts it does not use keep their stored values."""
    kind = form.kind.data or "submission"
    spec = StageSpec(
        title=form.title.data or "",
        kind=kind,
        description=form.description.data or "",
        opens_at=parse_local(form.opens_at.data, contest.timezone),  # type: ignore[arg-type]
        closes_at=parse_local(form.closes_at.data, contest.timezone),  # type: ignore[arg-type]
    )
    if stored is not None:
        kept = stored.advancement_value
        spec.advancement = {
            "rule": stored.advancement_rule,
            "ties": stored.advancement_ties,
            "value": int(kept) if stored.advancement_rule == "top_n" and kept is not None else kept,
        }
        spec.tiebreak_by_time = stored.tiebreak_by_time
        spec.accepts_text, spec.accepts_link = stored.accepts_text, stored.accepts_link
        spec.accepts_files, spec.file_types = stored.accepts_files, stored.file_types
        spec.max_file_mb, spec.max_files = stored.max_file_mb, stored.max_files
    if forms.uses(kind, "advancement"):
        rule = form.advancement_rule.data or "all"
        value = form.advancement_value.data
        if rule == "top_n" and value is not None and value == int(value):
            value = int(value)
        spec.advancement = {
            "rule": rule,
            "ties": form.advancement_ties.data,
            "value": None if rule in ("all", "manual") else value,
        }
    if forms.uses(kind, "timing"):
        spec.tiebreak_by_time = bool(form.tiebreak_by_time.data)
    if forms.uses(kind, "entries"):
        spec.accepts_text = bool(form.accepts_text.data)
        spec.accepts_link = bool(form.accepts_link.data)
        spec.accepts_files = bool(form.accepts_files.data)
        spec.file_types = form.file_types.data or ""
        spec.max_file_mb = form.max_file_mb.data or 10
        spec.max_files = form.max_files.data if form.max_files.data is not None else 3
    if "jury_criteria" in form and forms.uses(kind, "jury"):
        criteria = [row.criterion() for row in row_forms.filled(form.jury_criteria)]
        if criteria or kind == "jury":
            spec.jury = {
                "criteria": criteria,
                "aggregation": form.jury_aggregation.data,
                "jurors_per_entry": form.jurors_per_entry.data,
                "blind": form.jury_blind.data,
            }
    return spec


def _stage_field(form: forms.StageForm) -> Any:
    """The form field for a stage description's path (the jury's problems go by its criteria)."""

    def field(key: str) -> str:
        name = key.replace("advancement.", "advancement_").split(".")[0]
        if name in ("jury", "criteria"):
            return "jury_criteria" if "jury_criteria" in form else "title"
        return name

    return field
