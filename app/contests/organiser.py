"""Contest pages for organisers setting a contest up: a new contest and its edit (texts, divisions
and awards in rows editors), its participants (added from CSV), the question bank and an olympiad
stage's round. Stages: `stage_setup`."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.contests import bp, forms, row_forms
from app.contests.access import (
    contest_or_404,
    renamed,
    require_organiser,
    round_form,
    stage_or_404,
)
from app.contests.participant import stage_page
from app.extensions import db
from app.forms_common import form_status
from app.i18n import _
from app.pagination import page_args, paginate
from app.permissions import contests as can
from app.permissions import require
from app.tabular_http import file_bytes
from app.tabular_views import ImportShown, run_import
from app.timeutil import DEFAULT_TIMEZONE as DEFAULT_ZONE
from app.timeutil import parse_local, to_form_time, utcnow
from app.view_actions import act, submit
from contest_engine.clock import run_clock
from contest_engine.editing import ContestEdit, DivisionEdit, update_contest
from contest_engine.models import Contest
from contest_engine.olympiad import create_round, find_contest_bank, import_questions
from contest_engine.participant_import import import_participants
from contest_engine.queries import contest_divisions, find_participation, participants_query
from contest_engine.setup import create_contest
from contest_engine.spec import ContestSpec, StageSpec


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():  # type: ignore[no-untyped-def]
    require(can.can_create_contest(current_user))
    form = forms.ContestForm() if request.method == "POST" else forms.ContestForm(data=_new_contest_data())
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: renamed(
                lambda: create_contest(_contest_spec(form), actor=current_user, now=utcnow()), _contest_field
            ),
            done=_("The contest is created. Add its stages."),
            then=lambda contest: url_for("contests.stage_new", contest_id=contest.id),
        )
        if done:
            return done
    return _contest_form(form, None, _("New contest"))


@bp.route("/<int:contest_id>/edit", methods=["GET", "POST"])
@login_required
def edit(contest_id: int):  # type: ignore[no-untyped-def]
    contest = contest_or_404(contest_id)
    require_organiser(contest)
    form = (
        forms.ContestEditForm() if request.method == "POST" else forms.ContestEditForm(data=_stored(contest))
    )
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: renamed(
                lambda: update_contest(contest, _contest_edit(form), actor=current_user), _contest_field
            ),
            done=_("Saved."),
            then=url_for("contests.view", contest_id=contest.id),
        )
        if done:
            return done
    return _contest_form(form, contest, _("Edit contest"))


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


@bp.route("/stages/<int:stage_id>/round", methods=["GET", "POST"])
@login_required
def stage_round(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = stage_or_404(stage_id)
    require_organiser(contest)
    back = url_for("contests.stage", stage_id=stage.id)
    if request.method == "GET":  # a refused form's page reloaded: the stage page, where the form lives
        return redirect(back)
    form = round_form(contest)
    if not form.validate_on_submit():  # the stage page again, the messages by the fields
        now = utcnow()
        run_clock(now, contest_id=contest.id)
        db.session.refresh(stage)
        participation = find_participation(contest.id, current_user.id)
        entry_form = forms.EntryForm(formdata=None)
        return stage_page(stage, contest, participation, form=entry_form, now=now, refused_round=form)
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


def _contest_form(form: forms.ContestForm | forms.ContestEditForm, contest: Contest | None, title: str):  # type: ignore[no-untyped-def]
    row_forms.add_spare_rows(form.divisions)
    row_forms.add_spare_rows(form.awards)
    return render_template("contests/form.html", form=form, contest=contest, title=title), form_status(form)


def _new_contest_data() -> dict[str, Any]:
    """What a new contest proposes: registration from tomorrow morning for two weeks, the usual awards."""
    tomorrow = (to_form_time(utcnow(), DEFAULT_ZONE) or datetime.min).date() + timedelta(days=1)
    opens = datetime.combine(tomorrow, time(9, 0))
    return {
        "registration_opens_at": opens,
        "registration_closes_at": opens + timedelta(days=14),
        "awards": [
            {"title": _("Winner"), "rank_from": 1, "rank_to": 1},
            {"title": _("Prize-winner"), "rank_from": 2, "rank_to": 3},
            {"title": _("Laureate"), "rank_from": 4, "rank_to": 10},
            {"title": _("Participant")},
        ],
    }


def _stored(contest: Contest) -> dict[str, Any]:
    """A contest's stored settings as the edit form's data, awards and divisions as rows."""
    names = ("title", "timezone", "description", "rules", "award_quota_percent")
    asks = ("asks_institution", "asks_grade", "asks_subject", "requires_consent")
    return {
        **{name: getattr(contest, name) for name in names + asks},
        "divisions": [{"key": str(d.id), "name": d.name} for d in contest_divisions(contest.id)],
        "awards": row_forms.award_rows(contest.award_rules or []),
    }


def _contest_spec(form: forms.ContestForm) -> ContestSpec:
    timezone = form.timezone.data or DEFAULT_ZONE
    return ContestSpec(
        title=form.title.data or "",
        kind=form.kind.data or "teacher",
        timezone=timezone,
        description=form.description.data or "",
        rules=form.rules.data or "",
        divisions=row_forms.division_names(form.divisions),
        stages=[
            StageSpec(
                title=str(_("Registration")),
                kind="registration",
                opens_at=parse_local(form.registration_opens_at.data, timezone),  # type: ignore[arg-type]
                closes_at=parse_local(form.registration_closes_at.data, timezone),  # type: ignore[arg-type]
            )
        ],
        awards=[row.rule() for row in row_forms.filled(form.awards)],
        award_quota_percent=form.award_quota_percent.data,
        asks_institution=form.asks_institution.data,
        asks_grade=form.asks_grade.data,
        asks_subject=form.asks_subject.data,
        requires_consent=form.requires_consent.data,
    )


def _contest_edit(form: forms.ContestEditForm) -> ContestEdit:
    return ContestEdit(
        title=form.title.data or "",
        description=form.description.data or "",
        rules=form.rules.data or "",
        timezone=form.timezone.data or DEFAULT_ZONE,
        asks_institution=bool(form.asks_institution.data),
        asks_grade=bool(form.asks_grade.data),
        asks_subject=bool(form.asks_subject.data),
        requires_consent=bool(form.requires_consent.data),
        divisions=[
            DivisionEdit(int(row.key.data) if (row.key.data or "").isdigit() else None, row.name.data or "")
            for row in row_forms.filled(form.divisions)
        ],
        awards=[row.rule() for row in row_forms.filled(form.awards)],
        award_quota_percent=form.award_quota_percent.data,
    )


def _contest_field(key: str) -> str:
    """The form field for a contest description's path (the registration stage has its own fields)."""
    fields = {"stages.0.opens_at": "registration_opens_at", "stages.0.closes_at": "registration_closes_at"}
    return fields.get(key, key.split(".")[0])
