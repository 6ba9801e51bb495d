"""Thin views of the contests room: load, check permission, call one service, render or redirect."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.contests import bp, forms
from app.domain_errors import DomainError
from app.extensions import db
from app.forms_common import apply_domain_error, form_status
from app.i18n import _
from app.main.dashboard import Panel, panel
from app.pagination import page_args, paginate
from app.permissions import contests as can
from app.permissions import require
from app.permissions.jury import can_see_entry_author
from app.timeutil import parse_local, to_form_time, utcnow
from app.uploads import StoredFile, send_stored
from contest_engine import (
    advancing,
    clock,
    diplomas,
    entries,
    messages,
    olympiad,
    participant,
    queries,
    registration,
    results,
    setup,
)
from contest_engine.awards import compute_awards, contest_awards
from contest_engine.entries import Upload
from contest_engine.jury import blind
from contest_engine.models import Award, Contest, ContestOrganiser, Entry, EntryFile, Participation, Stage
from contest_engine.rules.stages import StageKind, StageState
from contest_engine.spec import ContestSpec, StageSpec


def _contest(contest_id: int) -> Contest:
    contest = db.session.get(Contest, contest_id)
    if contest is None or not can.can_view_contest(current_user, contest):
        abort(404)
    return contest


def _stage(stage_id: int) -> tuple[Stage, Contest]:
    stage = db.session.get(Stage, stage_id)
    if stage is None:
        abort(404)
    return stage, _contest(stage.contest_id)


def _organised(contest: Contest) -> None:
    require(can.can_organise_contest(current_user, contest.id))


# --------------------------------------------------------------------------- contests


@bp.route("/")
def index():  # type: ignore[no-untyped-def]
    page, per_page = page_args(request.args, 20)
    query = can.visible_contests(current_user).order_by(Contest.created_at.desc(), Contest.id.desc())
    found = paginate(query, page, per_page)
    return render_template("contests/index.html", page=found)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():  # type: ignore[no-untyped-def]
    require(can.can_create_contest(current_user))
    form = forms.ContestForm()
    if form.validate_on_submit():
        timezone = form.timezone.data or "Europe/Moscow"
        spec = ContestSpec(
            title=form.title.data or "", kind=form.kind.data or "teacher", timezone=timezone,
            description=form.description.data or "", rules=form.rules.data or "",
            divisions=forms.parse_divisions(form.divisions.data or ""),
            stages=[StageSpec(
                title=str(_("Registration")), kind="registration",
                opens_at=parse_local(form.registration_opens_at.data, timezone),
                closes_at=parse_local(form.registration_closes_at.data, timezone))],
            awards=forms.parse_awards(form.awards.data or ""),
            award_quota_percent=form.award_quota_percent.data,
            asks_institution=form.asks_institution.data, asks_grade=form.asks_grade.data,
            asks_subject=form.asks_subject.data, requires_consent=form.requires_consent.data,
        )
        try:
            contest = setup.create_contest(spec, actor=current_user, now=utcnow())
        except DomainError as error:
            _place_contest_errors(form, error)
        else:
            flash(_("The contest is created. Add its stages."), "success")
            return redirect(url_for("contests.stage_new", contest_id=contest.id))
    return render_template("contests/form.html", form=form, title=_("New contest")), form_status(form)


def _place_contest_errors(form: forms.ContestForm, error: DomainError) -> None:
    renamed = {"stages.0.opens_at": "registration_opens_at", "stages.0.closes_at": "registration_closes_at"}
    fields = {renamed.get(k, k.split(".")[0]): v for k, v in error.fields.items()}
    apply_domain_error(form, type(error)(error.message, fields))


@bp.route("/<int:contest_id>")
def view(contest_id: int):  # type: ignore[no-untyped-def]
    contest = _contest(contest_id)
    now = utcnow()
    clock.run_clock(now, contest_id=contest.id)  # the lazy clock: a page never shows a stale state
    stages = queries.contest_stages(contest.id)
    divisions = queries.contest_divisions(contest.id)
    participation = (queries.find_participation(contest.id, current_user.id)
                     if current_user.is_authenticated else None)
    statuses: dict[int, str] = {}
    if participation is not None:
        statuses = participant.stage_statuses(stages, participation)
    organiser = can.can_organise_contest(current_user, contest.id)
    return render_template(
        "contests/view.html", contest=contest, stages=stages, divisions=divisions, participation=participation,
        current=queries.current_stage(stages, now), statuses=statuses, organiser=organiser,
        registration_open=registration.registration_open(stages, now), now=now,
        kind_label=messages.kind_label, state_label=messages.state_label,
    )


@bp.route("/<int:contest_id>/edit", methods=["GET", "POST"])
@login_required
def edit(contest_id: int):  # type: ignore[no-untyped-def]
    contest = _contest(contest_id)
    _organised(contest)
    form = forms.ContestEditForm(obj=contest)
    if form.validate_on_submit():
        try:
            setup.update_contest(
                contest, title=form.title.data or "", description=form.description.data or "",
                rules=form.rules.data or "", timezone=form.timezone.data or contest.timezone,
                asks_institution=form.asks_institution.data, asks_grade=form.asks_grade.data,
                asks_subject=form.asks_subject.data, requires_consent=form.requires_consent.data, actor=current_user)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("contests.view", contest_id=contest.id))
    return render_template("contests/form.html", form=form, contest=contest, title=_("Edit contest")), form_status(form)


@bp.route("/<int:contest_id>/stages/new", methods=["GET", "POST"])
@login_required
def stage_new(contest_id: int):  # type: ignore[no-untyped-def]
    contest = _contest(contest_id)
    _organised(contest)
    form = forms.StageForm()
    if form.validate_on_submit():
        try:
            setup.add_stage(contest, _stage_spec(form, contest), actor=current_user, now=utcnow())
        except DomainError as error:
            _place_stage_errors(form, error)
        else:
            flash(_("The stage is added."), "success")
            return redirect(url_for("contests.view", contest_id=contest.id))
    return render_template("contests/stage_form.html", form=form, contest=contest, title=_("New stage"),
                           stages=queries.contest_stages(contest.id), state_label=messages.state_label,
                           kind_label=messages.kind_label), form_status(form)


@bp.route("/stages/<int:stage_id>/edit", methods=["GET", "POST"])
@login_required
def stage_edit(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = _stage(stage_id)
    _organised(contest)
    form = forms.StageForm(obj=stage) if request.method == "GET" else forms.StageForm()
    del form.jury_criteria, form.jury_aggregation, form.jurors_per_entry, form.jury_blind  # the jury room's settings
    if request.method == "GET":
        form.opens_at.data = to_form_time(stage.opens_at, contest.timezone)
        form.closes_at.data = to_form_time(stage.closes_at, contest.timezone)
        form.advancement_value.data = stage.advancement_value
    form.kind.data = stage.kind.value
    if form.validate_on_submit():
        try:
            setup.update_stage(stage, _stage_spec(form, contest), actor=current_user, now=utcnow())
        except DomainError as error:
            _place_stage_errors(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("contests.stage", stage_id=stage.id))
    return render_template("contests/stage_form.html", form=form, contest=contest, title=_("Edit stage"),
                           stages=queries.contest_stages(contest.id), state_label=messages.state_label,
                           kind_label=messages.kind_label), form_status(form)


def _stage_spec(form: forms.StageForm, contest: Contest) -> StageSpec:
    criteria = forms.parse_criteria(form.jury_criteria.data or "") if "jury_criteria" in form else []
    jury = ({"criteria": criteria, "aggregation": form.jury_aggregation.data,
             "jurors_per_entry": form.jurors_per_entry.data, "blind": form.jury_blind.data}
            if "jury_criteria" in form and (criteria or form.kind.data == "jury") else None)
    value = form.advancement_value.data
    if form.advancement_rule.data == "top_n" and value is not None and value == int(value):
        value = int(value)
    return StageSpec(
        title=form.title.data or "", kind=form.kind.data or "submission", description=form.description.data or "",
        opens_at=parse_local(form.opens_at.data, contest.timezone),
        closes_at=parse_local(form.closes_at.data, contest.timezone),
        advancement={"rule": form.advancement_rule.data, "ties": form.advancement_ties.data,
                     "value": None if form.advancement_rule.data in ("all", "manual") else value},
        jury=jury, tiebreak_by_time=form.tiebreak_by_time.data, accepts_text=form.accepts_text.data,
        accepts_link=form.accepts_link.data, accepts_files=form.accepts_files.data,
        file_types=form.file_types.data or "", max_file_mb=form.max_file_mb.data or 10,
        max_files=form.max_files.data if form.max_files.data is not None else 3,
    )


def _place_stage_errors(form: forms.StageForm, error: DomainError) -> None:
    fields = {k.replace("advancement.", "advancement_").split(".")[0]: v for k, v in error.fields.items()}
    if "jury" in fields:
        fields["jury_criteria" if "jury_criteria" in form else "title"] = fields.pop("jury")
    apply_domain_error(form, type(error)(error.message, fields))


# --------------------------------------------------------------------------- registration


@bp.route("/<int:contest_id>/register", methods=["GET", "POST"])
@login_required
def register(contest_id: int):  # type: ignore[no-untyped-def]
    contest = _contest(contest_id)
    require(can.can_register(current_user))
    if queries.find_participation(contest.id, current_user.id) is not None:
        flash(_("You are already registered."), "info")
        return redirect(url_for("contests.view", contest_id=contest.id))
    form = forms.RegistrationForm()
    form.division.choices = forms.options((d.id, d.name) for d in queries.contest_divisions(contest.id))
    if request.method == "GET" and current_user.institution is not None:
        form.institution.data = current_user.institution.name
    if form.validate_on_submit():
        try:
            registration.register(contest, current_user, division=form.division.data, institution=form.institution.data or "",
                              grade=form.grade.data or "", subject=form.subject.data or "",
                              consent=form.consent.data, now=utcnow())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("You are registered."), "success")
            return redirect(url_for("contests.view", contest_id=contest.id))
    return render_template("contests/register.html", form=form, contest=contest), form_status(form)


@bp.route("/<int:contest_id>/participants", methods=["GET", "POST"])
@login_required
def participants(contest_id: int):  # type: ignore[no-untyped-def]
    contest = _contest(contest_id)
    _organised(contest)
    form = forms.ImportForm()
    report = None
    if form.validate_on_submit():
        report = registration.import_participants(contest, form.csv_text.data or "", actor=current_user, now=utcnow())
        if not report.errors:
            flash(_("Imported: %(n)s.", n=report.created), "success")
            return redirect(url_for("contests.participants", contest_id=contest.id))
    from app.accounts import User

    page, per_page = page_args(request.args, 50)
    query = (select(Participation, User).join(User, User.id == Participation.user_id)
             .where(Participation.contest_id == contest.id).order_by(Participation.id))
    search = request.args.get("q", "").strip()
    if search:
        query = query.where(User.full_name.ilike(f"%{search}%") | Participation.institution_name.ilike(f"%{search}%"))
    found = paginate(query, page, per_page, scalars=False)
    divisions = {d.id: d.name for d in queries.contest_divisions(contest.id)}
    status = 422 if report is not None and report.errors else form_status(form)
    return render_template("contests/participants.html", contest=contest, form=form, page=found, report=report,
                           divisions=divisions, q=search), status


# --------------------------------------------------------------------------- stages and entries


@bp.route("/stages/<int:stage_id>", methods=["GET", "POST"])
def stage(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = _stage(stage_id)
    now = utcnow()
    clock.run_clock(now, contest_id=contest.id)
    db.session.refresh(stage)
    participation = (queries.find_participation(contest.id, current_user.id)
                     if current_user.is_authenticated else None)
    form = forms.EntryForm()
    if request.method == "POST":
        if participation is None:
            abort(403)
        if form.validate_on_submit():
            try:
                entries.submit_entry(stage, participation, text=form.text.data or "", link=form.link.data or "",
                                     files=Upload.all_of(request.files.getlist(form.files.name)),
                                     actor=current_user, now=now)
            except DomainError as error:
                if error.status == 409:
                    form.form_errors.append(error.message)
                else:
                    apply_domain_error(form, error)
            else:
                flash(_("Your entry is saved."), "success")
                return redirect(url_for("contests.stage", stage_id=stage.id))
    versions = entries.entry_versions(stage.id, participation.id) if participation else []
    admitted = participation is not None and queries.is_admitted(stage, participation)
    files = _files_by_entry([v.id for v in versions])
    organiser = can.can_organise_contest(current_user, contest.id)
    return render_template(
        "contests/stage.html", stage=stage, contest=contest, form=form, participation=participation,
        versions=versions, files=files, admitted=admitted, organiser=organiser, now=now,
        kind_label=messages.kind_label, state_label=messages.state_label,
        close_form=forms.CloseForm(prefix="close"), reopen_form=forms.ReopenForm(prefix="reopen"),
        extend_form=forms.ExtendForm(prefix="extend"), publish_form=forms.PublishForm(prefix="publish"),
        round_form=_round_form(stage, contest) if organiser and stage.kind == StageKind.OLYMPIAD else None,
        entry_count=queries.count_stage_entries([stage.id]).get(stage.id, 0),
    ), form_status(form)


def _files_by_entry(entry_ids: list[int]) -> dict[int, list[StoredFile]]:
    grouped: dict[int, list[StoredFile]] = {}
    if not entry_ids:
        return grouped
    for entry_id, stored in db.session.execute(
            select(EntryFile.entry_id, StoredFile).join(StoredFile, StoredFile.id == EntryFile.file_id)
            .where(EntryFile.entry_id.in_(entry_ids)).order_by(EntryFile.position)).all():
        grouped.setdefault(entry_id, []).append(stored)
    return grouped


@bp.route("/entries/<int:entry_id>/files/<int:file_id>")
@login_required
def entry_file(entry_id: int, file_id: int):  # type: ignore[no-untyped-def]
    from sqlalchemy.orm import joinedload

    entry = db.session.get(Entry, entry_id, options=[joinedload(Entry.participation)])
    if entry is None or not can.can_read_entry(current_user, entry):
        abort(404)
    files = entries.entry_files(entry.id)
    number = next((n for n, stored in enumerate(files, start=1) if stored.id == file_id), None)
    if number is None:
        abort(404)
    stage = db.get_or_404(Stage, entry.stage_id)
    sees_names = can_see_entry_author(current_user, entry, stage)
    stored = files[number - 1]
    return send_stored(stored, download_name=blind.file_name(stored, entry_id=entry.id, number=number,
                                                             sees_names=sees_names))


def _action(stage_id: int, run: Any, form_class: type, prefix: str):  # type: ignore[no-untyped-def]
    stage, contest = _stage(stage_id)
    _organised(contest)
    form = form_class(prefix=prefix)
    if not form.validate_on_submit():
        for field_errors in form.errors.values():
            for message in field_errors:
                flash(message, "danger")
        return redirect(url_for("contests.stage", stage_id=stage.id))
    try:
        run(stage, contest, form)
    except DomainError as error:
        flash(error.message, "danger")
    else:
        flash(_("Done."), "success")
    return redirect(url_for("contests.stage", stage_id=stage.id))


@bp.route("/stages/<int:stage_id>/close", methods=["POST"])
@login_required
def stage_close(stage_id: int):  # type: ignore[no-untyped-def]
    return _action(stage_id, lambda s, c, f: clock.close_stage(s, actor=current_user, now=utcnow(),
                                                                   reason=f.reason.data or ""), forms.CloseForm, "close")


@bp.route("/stages/<int:stage_id>/reopen", methods=["POST"])
@login_required
def stage_reopen(stage_id: int):  # type: ignore[no-untyped-def]
    return _action(stage_id, lambda s, c, f: clock.reopen_stage(
        s, actor=current_user, now=utcnow(), reason=f.reason.data or "",
        new_closes_at=parse_local(f.closes_at.data, c.timezone)), forms.ReopenForm, "reopen")


@bp.route("/stages/<int:stage_id>/extend", methods=["POST"])
@login_required
def stage_extend(stage_id: int):  # type: ignore[no-untyped-def]
    return _action(stage_id, lambda s, c, f: clock.extend_stage(
        s, actor=current_user, now=utcnow(), new_closes_at=parse_local(f.closes_at.data, c.timezone),
        reason=f.reason.data or ""), forms.ExtendForm, "extend")


@bp.route("/stages/<int:stage_id>/publish", methods=["POST"])
@login_required
def stage_publish(stage_id: int):  # type: ignore[no-untyped-def]
    return _action(stage_id, lambda s, c, f: results.publish_results(
        s, actor=current_user, now=utcnow(), appeal_hours=f.appeal_hours.data), forms.PublishForm, "publish")


def _round_form(stage: Stage, contest: Contest) -> forms.RoundForm:
    form = forms.RoundForm(prefix="round")
    if contest.bank_id is not None:
        from courses.quiz.models import Question

        form.question_ids.choices = forms.options((q.id, q.name) for q in db.session.scalars(
            select(Question).where(Question.bank_id == contest.bank_id, Question.hidden.is_(False))
            .order_by(Question.id).limit(500)))
    else:
        form.question_ids.choices = []
    return form


@bp.route("/stages/<int:stage_id>/round", methods=["POST"])
@login_required
def stage_round(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = _stage(stage_id)
    _organised(contest)
    form = _round_form(stage, contest)
    if not form.validate_on_submit():
        for field_errors in form.errors.values():
            for message in field_errors:
                flash(message, "danger")
        return redirect(url_for("contests.stage", stage_id=stage.id))
    try:
        olympiad.create_round(stage, contest, question_ids=form.question_ids.data or [],
                              time_limit_minutes=form.time_limit_minutes.data, max_grade=form.max_grade.data,
                              shuffle=form.shuffle.data, actor=current_user, now=utcnow())
    except DomainError as error:
        flash(error.message, "danger")
    else:
        flash(_("The round is ready."), "success")
    return redirect(url_for("contests.stage", stage_id=stage.id))


@bp.route("/<int:contest_id>/questions", methods=["GET", "POST"])
@login_required
def questions(contest_id: int):  # type: ignore[no-untyped-def]
    contest = _contest(contest_id)
    _organised(contest)
    form = forms.QuestionsForm()
    errors: list[tuple[int, str]] = []
    if form.validate_on_submit():
        report = olympiad.import_questions(contest, form.gift.data or "", actor=current_user)
        if report.errors:
            errors = report.errors
            form.gift.errors = [_("Nothing was imported: fix the lines below.")]
        else:
            flash(_("Imported: %(n)s.", n=len(report.imported)), "success")
            return redirect(url_for("contests.questions", contest_id=contest.id))
    bank = olympiad.contest_bank(contest)
    return render_template("contests/questions.html", contest=contest, form=form, errors=errors, bank=bank), (
        422 if errors or form.errors else 200)


# --------------------------------------------------------------------------- advancement and results


@bp.route("/stages/<int:stage_id>/advance", methods=["GET", "POST"])
@login_required
def advance(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = _stage(stage_id)
    _organised(contest)
    now = utcnow()
    form = forms.AdvanceForm()
    from app.accounts import User

    people = db.session.execute(select(Participation.id, User.full_name).join(User, User.id == Participation.user_id)
                                .where(Participation.contest_id == contest.id).order_by(User.full_name)).all()
    form.chosen.choices = forms.options(people)
    try:
        if form.validate_on_submit():
            outcome = advancing.confirm_advancement(stage, actor=current_user, now=now, chosen=form.chosen.data or None)
            if outcome.confirmed:
                flash(_("Advancement confirmed: %(n)s advance.", n=len(outcome.advanced)), "success")
                return redirect(url_for("contests.results_view", stage_id=stage.id))
            flash(_("Some entries are still missing jury scores."), "danger")
        preview = advancing.preview_advancement(stage, now=now, chosen=form.chosen.data or None)
    except DomainError as error:
        flash(error.message, "danger")
        return redirect(url_for("contests.stage", stage_id=stage.id))
    return render_template("contests/advance.html", stage=stage, contest=contest, preview=preview, form=form)


@bp.route("/stages/<int:stage_id>/results")
def results_view(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = _stage(stage_id)
    now = utcnow()
    clock.run_clock(now, contest_id=contest.id)
    db.session.refresh(stage)
    full = can.can_see_full_results(current_user, stage)
    organiser = can.can_organise_contest(current_user, contest.id)
    page, per_page = page_args(request.args, 50)
    division_id = request.args.get("division", type=int)
    search = request.args.get("q", "").strip()
    found = own = None
    if full:
        results.ensure_results(stage, now=now)
        found = results.results_page(stage, page=page, per_page=per_page, division_id=division_id, search=search)
    elif current_user.is_authenticated:
        participation = queries.find_participation(contest.id, current_user.id)
        own = results.own_result(stage.id, participation.id) if participation else None
    return render_template("contests/results.html", stage=stage, contest=contest, page=found, own=own,
                           divisions=queries.contest_divisions(contest.id), division_id=division_id, q=search,
                           organiser=organiser, labels=messages.status_labels(),
                           publish_form=forms.PublishForm(prefix="publish"))


@bp.route("/stages/<int:stage_id>/results/refresh", methods=["POST"])
@login_required
def results_refresh(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = _stage(stage_id)
    _organised(contest)
    from flask_wtf import FlaskForm

    if FlaskForm().validate_on_submit() and stage.state not in queries.OPEN_STATES:
        results.refresh_results(stage, now=utcnow())
        flash(_("The ranking is recalculated."), "success")
    else:
        flash(_("The stage is still open."), "danger")
    return redirect(url_for("contests.results_view", stage_id=stage.id))


@bp.route("/stages/<int:stage_id>/results.<any(csv, xlsx):fmt>")
@login_required
def results_export(stage_id: int, fmt: str):  # type: ignore[no-untyped-def]
    stage, contest = _stage(stage_id)
    require(can.can_see_full_results(current_user, stage))
    results.ensure_results(stage, now=utcnow())
    name = f"results-{contest.id}-{stage.position}.{fmt}"
    headers = {"Content-Disposition": f"attachment; filename={name}"}
    if fmt == "csv":
        return Response(results.results_csv(stage), mimetype="text/csv", headers=headers)
    return Response(results.results_xlsx(stage), headers=headers,
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# --------------------------------------------------------------------------- awards and audit


@bp.route("/<int:contest_id>/awards", methods=["GET", "POST"])
def awards(contest_id: int):  # type: ignore[no-untyped-def]
    contest = _contest(contest_id)
    organiser = can.can_organise_contest(current_user, contest.id)
    if request.method == "POST":
        require(organiser)
        from flask_wtf import FlaskForm

        if FlaskForm().validate_on_submit():
            try:
                items = compute_awards(contest, actor=current_user, now=utcnow())
            except DomainError as error:
                flash(error.message, "danger")
            else:
                flash(_("Awards computed: %(n)s.", n=len(items)), "success")
        return redirect(url_for("contests.awards", contest_id=contest.id))
    stages = queries.contest_stages(contest.id)
    final = queries.final_stage(stages)
    visible = organiser or (final is not None and final.results_published_at is not None)
    items = contest_awards(contest.id) if visible else []
    mine = None
    if current_user.is_authenticated and not organiser:
        participation = queries.find_participation(contest.id, current_user.id)
        mine = participation.id if participation else None
    award_ids = dict(db.session.execute(select(Award.participation_id, Award.id).where(Award.contest_id == contest.id)).all())
    return render_template("contests/awards.html", contest=contest, items=items, organiser=organiser,
                           visible=visible, mine=mine, award_ids=award_ids)


@bp.route("/awards/<int:award_id>/diploma.pdf")
@login_required
def diploma(award_id: int):  # type: ignore[no-untyped-def]
    award = db.session.get(Award, award_id)
    if award is None:
        abort(404)
    contest = _contest(award.contest_id)
    participation = db.session.get(Participation, award.participation_id)
    if not (can.can_organise_contest(current_user, contest.id)
            or (participation is not None and participation.user_id == current_user.id)):
        abort(404)
    pdf = diplomas.diploma_pdf(award, contest, verify_url=url_for("verify", code=award.certificate_code, _external=True))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename=diploma-{award.certificate_code}.pdf"})


@bp.route("/<int:contest_id>/audit")
@login_required
def audit(contest_id: int):  # type: ignore[no-untyped-def]
    contest = _contest(contest_id)
    _organised(contest)
    page, per_page = page_args(request.args, 50)
    return render_template("contests/audit.html", contest=contest,
                           page=queries.audit_page(contest.id, page=page, per_page=per_page))


# --------------------------------------------------------------------------- dashboard


@panel
def contests_panel(user: Any) -> Panel | None:
    """The participant's contests: current stage, deadline, status, diplomas."""
    overview = participant.participant_overview(user, utcnow())
    organised = []
    if can.can_create_contest(user):
        organised = list(db.session.scalars(
            select(Contest).join(ContestOrganiser, ContestOrganiser.contest_id == Contest.id)
            .where(ContestOrganiser.user_id == user.id).order_by(Contest.created_at.desc()).limit(10)))
    if not overview and not organised:
        return None
    return Panel("contests/_panel.html", order=30, context={"overview": overview, "organised": organised,
                                                            "StageState": StageState})
