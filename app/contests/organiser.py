"""Contest pages for organisers setting a contest up: a new contest, its texts, its stages, its
participants (added from CSV), the question bank and an olympiad stage's round."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.contests import bp, forms
from app.contests.access import contest_or_404, flash_form_errors, require_organiser, round_form, stage_or_404
from app.domain_errors import DomainError
from app.forms_common import form_status
from app.i18n import _
from app.pagination import page_args, paginate
from app.permissions import contests as can
from app.permissions import require
from app.tabular_http import file_bytes
from app.tabular_views import ImportShown, run_import
from app.timeutil import parse_local, to_form_time, utcnow
from app.view_actions import act, submit
from contest_engine.messages import kind_label, state_label
from contest_engine.models import Contest
from contest_engine.olympiad import create_round, find_contest_bank, import_questions
from contest_engine.participant_import import import_participants
from contest_engine.queries import contest_divisions, contest_stages, participants_query
from contest_engine.setup import add_stage, create_contest, update_contest, update_stage
from contest_engine.spec import ContestSpec, StageSpec

T = TypeVar("T")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():  # type: ignore[no-untyped-def]
    require(can.can_create_contest(current_user))
    form = forms.ContestForm()
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: _renamed(
                lambda: create_contest(_contest_spec(form), actor=current_user, now=utcnow()), _contest_field
            ),
            done=_("The contest is created. Add its stages."),
            then=lambda contest: url_for("contests.stage_new", contest_id=contest.id),
        )
        if done:
            return done
    return render_template("contests/form.html", form=form, title=_("New contest")), form_status(form)


@bp.route("/<int:contest_id>/edit", methods=["GET", "POST"])
@login_required
def edit(contest_id: int):  # type: ignore[no-untyped-def]
    contest = contest_or_404(contest_id)
    require_organiser(contest)
    form = forms.ContestEditForm(obj=contest)
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: update_contest(
                contest,
                title=form.title.data or "",
                description=form.description.data or "",
                rules=form.rules.data or "",
                timezone=form.timezone.data or contest.timezone,
                asks_institution=form.asks_institution.data,
                asks_grade=form.asks_grade.data,
                asks_subject=form.asks_subject.data,
                requires_consent=form.requires_consent.data,
                actor=current_user,
            ),
            done=_("Saved."),
            then=url_for("contests.view", contest_id=contest.id),
        )
        if done:
            return done
    return render_template(
        "contests/form.html", form=form, contest=contest, title=_("Edit contest")
    ), form_status(form)


@bp.route("/<int:contest_id>/stages/new", methods=["GET", "POST"])
@login_required
def stage_new(contest_id: int):  # type: ignore[no-untyped-def]
    contest = contest_or_404(contest_id)
    require_organiser(contest)
    form = forms.StageForm()
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: _renamed(
                lambda: add_stage(contest, _stage_spec(form, contest), actor=current_user, now=utcnow()),
                _stage_field(form),
            ),
            done=_("The stage is added."),
            then=url_for("contests.view", contest_id=contest.id),
        )
        if done:
            return done
    return _stage_form(form, contest, _("New stage"))


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
    )  # the jury room's settings
    if request.method == "GET":
        form.opens_at.data = to_form_time(stage.opens_at, contest.timezone)
        form.closes_at.data = to_form_time(stage.closes_at, contest.timezone)
        form.advancement_value.data = stage.advancement_value
    form.kind.data = stage.kind.value
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: _renamed(
                lambda: update_stage(stage, _stage_spec(form, contest), actor=current_user, now=utcnow()),
                _stage_field(form),
            ),
            done=_("Saved."),
            then=url_for("contests.stage", stage_id=stage.id),
        )
        if done:
            return done
    return _stage_form(form, contest, _("Edit stage"))


@bp.route("/<int:contest_id>/participants", methods=["GET", "POST"])
@login_required
def participants(contest_id: int):  # type: ignore[no-untyped-def]
    contest = contest_or_404(contest_id)
    require_organiser(contest)
    form = forms.ImportForm()
    shown = ImportShown()
    if form.validate_on_submit():
        data = file_bytes(form.file.data) if form.file.data else (form.csv_text.data or "")
        outcome = run_import(
            form,
            lambda: import_participants(
                contest, data, actor=current_user, now=utcnow(), valid_only=bool(form.valid_only.data)
            ),
            written=lambda report: report.created,
            done=lambda report: _("Imported: %(n)s.", n=report.created),
            then=url_for("contests.participants", contest_id=contest.id),
        )
        if not isinstance(outcome, ImportShown):
            return outcome
        shown = outcome
    page, per_page = page_args(request.args, 50)
    search = request.args.get("q", "").strip()
    found = paginate(participants_query(contest.id, search=search), page, per_page, scalars=False)
    divisions = {d.id: d.name for d in contest_divisions(contest.id)}
    return render_template(
        "contests/participants.html",
        contest=contest,
        form=form,
        page=found,
        shown=shown,
        divisions=divisions,
        q=search,
    ), form_status(form)


@bp.route("/<int:contest_id>/questions", methods=["GET", "POST"])
@login_required
def questions(contest_id: int):  # type: ignore[no-untyped-def]
    contest = contest_or_404(contest_id)
    require_organiser(contest)
    form = forms.QuestionsForm()
    errors: list[tuple[int, str]] = []
    if form.validate_on_submit():
        report = import_questions(contest, form.gift.data or "", actor=current_user)
        if report.errors:
            errors = report.errors
            form.gift.errors = [_("Nothing was imported: fix the lines below.")]
        else:
            flash(_("Imported: %(n)s.", n=len(report.imported)), "success")
            return redirect(url_for("contests.questions", contest_id=contest.id))
    return render_template(
        "contests/questions.html", contest=contest, form=form, errors=errors, bank=find_contest_bank(contest)
    ), (422 if errors or form.errors else 200)


@bp.route("/stages/<int:stage_id>/round", methods=["POST"])
@login_required
def stage_round(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = stage_or_404(stage_id)
    require_organiser(contest)
    form = round_form(contest)
    back = url_for("contests.stage", stage_id=stage.id)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(back)
    return act(
        lambda: create_round(
            stage,
            contest,
            question_ids=form.question_ids.data or [],
            time_limit_minutes=form.time_limit_minutes.data,
            max_grade=form.max_grade.data,
            shuffle=form.shuffle.data,
            actor=current_user,
            now=utcnow(),
        ),
        done=_("The round is ready."),
        then=back,
    )


def _stage_form(form: forms.StageForm, contest: Contest, title: str):  # type: ignore[no-untyped-def]
    return render_template(
        "contests/stage_form.html",
        form=form,
        contest=contest,
        title=title,
        stages=contest_stages(contest.id),
        state_label=state_label,
        kind_label=kind_label,
    ), form_status(form)


def _contest_spec(form: forms.ContestForm) -> ContestSpec:
    timezone = form.timezone.data or "Europe/Moscow"
    return ContestSpec(
        title=form.title.data or "",
        kind=form.kind.data or "teacher",
        timezone=timezone,
        description=form.description.data or "",
        rules=form.rules.data or "",
        divisions=forms.parse_divisions(form.divisions.data or ""),
        stages=[
            StageSpec(
                title=str(_("Registration")),
                kind="registration",
                opens_at=parse_local(form.registration_opens_at.data, timezone),
                closes_at=parse_local(form.registration_closes_at.data, timezone),
            )
        ],
        awards=forms.parse_awards(form.awards.data or ""),
        award_quota_percent=form.award_quota_percent.data,
        asks_institution=form.asks_institution.data,
        asks_grade=form.asks_grade.data,
        asks_subject=form.asks_subject.data,
        requires_consent=form.requires_consent.data,
    )


def _stage_spec(form: forms.StageForm, contest: Contest) -> StageSpec:
    criteria = forms.parse_criteria(form.jury_criteria.data or "") if "jury_criteria" in form else []
    jury = (
        {
            "criteria": criteria,
            "aggregation": form.jury_aggregation.data,
            "jurors_per_entry": form.jurors_per_entry.data,
            "blind": form.jury_blind.data,
        }
        if "jury_criteria" in form and (criteria or form.kind.data == "jury")
        else None
    )
    value = form.advancement_value.data
    if form.advancement_rule.data == "top_n" and value is not None and value == int(value):
        value = int(value)
    return StageSpec(
        title=form.title.data or "",
        kind=form.kind.data or "submission",
        description=form.description.data or "",
        opens_at=parse_local(form.opens_at.data, contest.timezone),
        closes_at=parse_local(form.closes_at.data, contest.timezone),
        advancement={
            "rule": form.advancement_rule.data,
            "ties": form.advancement_ties.data,
            "value": None if form.advancement_rule.data in ("all", "manual") else value,
        },
        jury=jury,
        tiebreak_by_time=form.tiebreak_by_time.data,
        accepts_text=form.accepts_text.data,
        accepts_link=form.accepts_link.data,
        accepts_files=form.accepts_files.data,
        file_types=form.file_types.data or "",
        max_file_mb=form.max_file_mb.data or 10,
        max_files=form.max_files.data if form.max_files.data is not None else 3,
    )


def _contest_field(key: str) -> str:
    """The form field for a contest description's path (the registration stage has its own fields)."""
    renamed = {"stages.0.opens_at": "registration_opens_at", "stages.0.closes_at": "registration_closes_at"}
    return renamed.get(key, key.split(".")[0])


def _stage_field(form: forms.StageForm) -> Callable[[str], str]:
    """The form field for a stage description's path (the jury's problem goes by its criteria)."""

    def field(key: str) -> str:
        name = key.replace("advancement.", "advancement_").split(".")[0]
        if name == "jury":
            return "jury_criteria" if "jury_criteria" in form else "title"
        return name

    return field


def _renamed(call: Callable[[], T], field: Callable[[str], str]) -> T:
    """Run `call`; a refusal's field paths become the form's field names."""
    try:
        return call()
    except DomainError as error:
        raise type(error)(error.message, {field(k): v for k, v in error.fields.items()}) from None
