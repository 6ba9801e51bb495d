"""Thin views of the jury room: the juror's queue and scoring, the organiser's jury pages, the
demo-lesson schedule, appeals and jurors' certificates."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.domain_errors import DomainError
from app.extensions import db
from app.forms_common import apply_domain_error, form_status
from app.i18n import _
from app.jury import bp
from app.jury.forms import (
    AppealForm,
    AssignSlotForm,
    ConflictForm,
    CriterionForm,
    InviteForm,
    MoveForm,
    ReasonForm,
    SettingsForm,
    SlotForm,
    choices,
    resolve_form_class,
    score_form_class,
)
from app.jury.mail import send_invitation, send_reminders
from app.main.dashboard import Panel, panel
from app.pagination import Page, page_args, paginate
from app.permissions import is_admin, require
from app.permissions import jury as can
from app.timeutil import parse_local, to_form_time, utcnow
from app.uploads import send_stored
from contest_engine.jury import appeals as appeal_rules
from contest_engine.jury import blind, conflicts, services
from contest_engine.jury import schedule as slot_rules
from contest_engine.jury.models import (
    Appeal,
    ConflictSource,
    DemoSlot,
    JuryAssignment,
    JuryCriterion,
    StageJuror,
)
from contest_engine.models import Contest, Entry, EntryFile, Participation, Stage
from contest_engine.services import contest_divisions

OVERVIEW_PER_PAGE = 100


def _stage_and_contest(stage_id: int) -> tuple[Stage, Contest]:
    stage = db.get_or_404(Stage, stage_id)
    contest = db.session.get(Contest, stage.contest_id)
    assert contest is not None
    return stage, contest


def _managed(stage_id: int) -> tuple[Stage, Contest]:
    stage, contest = _stage_and_contest(stage_id)
    require(can.can_manage_jury(current_user, stage))
    return stage, contest


# --- the juror ----------------------------------------------------------------------------------

@bp.route("/")
@login_required
def queue():  # type: ignore[no-untyped-def]
    page, per_page = page_args(request.args)
    result = paginate(services.juror_queue_query(current_user.id), page, per_page, scalars=False)
    items = Page([services.queue_item(row) for row in result.items], result.page, result.per_page, result.total)
    stages = db.session.execute(select(Stage.id, Stage.title, Contest.title).join(Contest, Contest.id == Stage.contest_id)
                                .join(StageJuror, StageJuror.stage_id == Stage.id)
                                .where(StageJuror.user_id == current_user.id).order_by(Stage.id)).all()
    return render_template("jury/queue.html", page=items, stages=stages,
                           organised=services.organised_jury_stages(current_user, is_admin(current_user)),
                           certificates=services.juror_certificates(current_user.id))


@panel
def queue_panel(user: Any) -> Panel | None:
    """The juror's dashboard card: how many entries wait for their scores."""
    if not getattr(user, "is_authenticated", False):
        return None
    result = paginate(services.juror_queue_query(user.id), 1, 5, scalars=False)
    if not result.total:
        return None
    return Panel("jury/_panel.html", order=30,
                 context={"items": [services.queue_item(row) for row in result.items], "total": result.total})


@panel
def participant_panel(user: Any) -> Panel | None:
    """A participant's jury-related actions: demo-lesson schedules and open appeal windows."""
    if not getattr(user, "is_authenticated", False):
        return None
    items = services.participant_jury_links(user.id, utcnow())
    if not items:
        return None
    return Panel("jury/_participant_panel.html", order=35, context={"items": items})


def _entry_files(entry_id: int, sees_names: bool) -> list[tuple[EntryFile, str]]:
    """The entry's files with the names this viewer is shown (neutral ones for a blind juror)."""
    files = db.session.scalars(select(EntryFile).where(EntryFile.entry_id == entry_id).order_by(EntryFile.position))
    return [(attached, blind.file_name(attached.file, entry_id=entry_id, number=number, sees_names=sees_names))
            for number, attached in enumerate(files, start=1)]


@bp.route("/entries/<int:entry_id>", methods=["GET", "POST"])
@login_required
def entry(entry_id: int):  # type: ignore[no-untyped-def]
    """The juror's entry page: materials, criteria with their levels, the scoring form."""
    entry_row = db.get_or_404(Entry, entry_id)
    require(can.can_score_entry(current_user, entry_row))
    stage, contest = _stage_and_contest(entry_row.stage_id)
    criteria = services.stage_criteria(stage.id)
    sheet, points = services.sheet_for(entry_row.id, current_user.id)
    form = score_form_class(criteria)(data={f"c{c.id}": str(points[c.id]) for c in criteria if c.id in points}
                                      | {"comment": sheet.comment if sheet else ""})
    closed = services.scoring_closed(stage)
    if form.validate_on_submit():
        marks = {c.name: form[f"c{c.id}"].data for c in criteria if (form[f"c{c.id}"].data or "").strip()}
        try:
            services.save_scores(entry_row, current_user, marks, form.comment.data or "",
                                 submit=request.form.get("action") == "submit", now=utcnow())
        except DomainError as error:
            by_name = {f"criteria.{c.name}": f"c{c.id}" for c in criteria}
            error.fields = {by_name.get(k, k): v for k, v in error.fields.items()}
            apply_domain_error(form, error)
        else:
            flash(_("Scores submitted.") if request.form.get("action") == "submit" else _("Draft saved."), "success")
            return redirect(url_for("jury.entry", entry_id=entry_row.id))
    sees_names = can.can_see_names(current_user, stage)
    participant = None
    if sees_names:
        from app.accounts import User

        participation = db.session.get(Participation, entry_row.participation_id)
        assert participation is not None
        person = db.session.get(User, participation.user_id)
        participant = (person.full_name if person else "", participation.institution_name)
    return render_template("jury/entry.html", entry=entry_row, stage=stage, contest=contest, criteria=criteria,
                           form=form, sheet=sheet, closed=closed, sees_names=sees_names, participant=participant,
                           files=_entry_files(entry_row.id, sees_names), conflict_form=ReasonForm()), form_status(form)


@bp.route("/entries/<int:entry_id>/files/<int:file_id>")
@login_required
def entry_file(entry_id: int, file_id: int):  # type: ignore[no-untyped-def]
    entry_row = db.get_or_404(Entry, entry_id)
    require(can.can_score_entry(current_user, entry_row))
    stage = db.get_or_404(Stage, entry_row.stage_id)
    named = {attached.id: (attached, name)
             for attached, name in _entry_files(entry_id, can.can_see_names(current_user, stage))}
    if file_id not in named:
        abort(404)
    attached, name = named[file_id]
    return send_stored(attached.file, download_name=name)


@bp.route("/entries/<int:entry_id>/conflict", methods=["POST"])
@login_required
def declare_own_conflict(entry_id: int):  # type: ignore[no-untyped-def]
    """"I know this participant": the juror withdraws from the entry."""
    entry_row = db.get_or_404(Entry, entry_id)
    require(can.can_score_entry(current_user, entry_row))
    stage = db.session.get(Stage, entry_row.stage_id)
    assert stage is not None
    try:
        conflicts.declare_conflict(stage.contest_id, current_user.id, entry_row.participation_id,
                                  source=ConflictSource.DECLARED_BY_JUROR, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
        return redirect(url_for("jury.entry", entry_id=entry_id))
    flash(_("Thank you: the entry was withdrawn from your queue and the organiser will reassign it."), "success")
    return redirect(url_for("jury.queue"))


# --- the organiser: settings and criteria -------------------------------------------------------

def _settings_data(stage: Stage, contest: Contest) -> dict[str, Any]:
    """The settings form's values from the stage's stored jury config (times in the contest's zone)."""
    config = services.jury_config(stage)
    return {
        "aggregation": config.aggregation.value if config.aggregation else "mean",
        "jurors_per_entry": config.jurors_per_entry, "blind": bool(config.blind),
        "disagreement_threshold": str(config.disagreement_threshold) if config.disagreement_threshold is not None else "",
        "scoring_due_at": to_form_time(config.scoring_due_at, contest.timezone),
        "slot_pick_deadline": to_form_time(config.slot_pick_deadline, contest.timezone),
    }


@bp.route("/stages/<int:stage_id>", methods=["GET", "POST"])
@login_required
def setup(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = _managed(stage_id)
    form = SettingsForm(data=_settings_data(stage, contest))
    if form.validate_on_submit():
        threshold = None
        raw = (form.disagreement_threshold.data or "").strip().replace(",", ".")
        try:
            threshold = Decimal(raw) if raw else None
        except InvalidOperation:
            form.disagreement_threshold.errors = [_("Must be a number.")]
        if not form.disagreement_threshold.errors:
            try:
                services.save_jury_settings(
                    stage, aggregation=form.aggregation.data or "mean", jurors_per_entry=form.jurors_per_entry.data,
                    blind=bool(form.blind.data), disagreement_threshold=threshold,
                    scoring_due_at=parse_local(form.scoring_due_at.data, contest.timezone),
                    slot_pick_deadline=parse_local(form.slot_pick_deadline.data, contest.timezone),
                    actor=current_user)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                flash(_("Jury settings saved."), "success")
                return redirect(url_for("jury.setup", stage_id=stage.id))
    return render_template("jury/setup.html", stage=stage, contest=contest, form=form,
                           criteria=services.stage_criteria(stage.id), criterion_form=CriterionForm(),
                           active="setup"), form_status(form)


@bp.route("/stages/<int:stage_id>/criteria", methods=["POST"])
@login_required
def add_criterion(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = _managed(stage_id)
    criterion_form = CriterionForm()
    if criterion_form.validate_on_submit():
        try:
            services.add_criterion(stage, name=criterion_form.name.data or "", max_points=criterion_form.max_points.data,
                                   weight=criterion_form.weight.data, description=criterion_form.description.data or "",
                                   levels=criterion_form.levels.data or "", actor=current_user)
        except DomainError as error:
            apply_domain_error(criterion_form, error)
        else:
            flash(_("Criterion added."), "success")
            return redirect(url_for("jury.setup", stage_id=stage.id))
    form = SettingsForm(formdata=None, data=_settings_data(stage, contest))
    return render_template("jury/setup.html", stage=stage, contest=contest, form=form,
                           criteria=services.stage_criteria(stage.id), criterion_form=criterion_form,
                           active="setup"), 422


@bp.route("/criteria/<int:criterion_id>/delete", methods=["POST"])
@login_required
def delete_criterion(criterion_id: int):  # type: ignore[no-untyped-def]
    criterion = db.get_or_404(JuryCriterion, criterion_id)
    stage, _contest = _managed(criterion.stage_id)
    try:
        services.delete_criterion(criterion, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
    else:
        flash(_("Criterion deleted."), "success")
    return redirect(url_for("jury.setup", stage_id=stage.id))


# --- the organiser: jurors, conflicts, allocation -----------------------------------------------

def _jurors_page(stage: Stage, contest: Contest, invite: InviteForm, conflict: ConflictForm, status: int = 200):  # type: ignore[no-untyped-def]
    jurors = services.stage_jurors(stage.id)
    divisions = {d.id: d.name for d in contest_divisions(contest.id)}
    page, per_page = page_args(request.args)
    assignments = paginate(select(JuryAssignment).where(JuryAssignment.stage_id == stage.id)
                           .order_by(JuryAssignment.entry_id, JuryAssignment.juror_id), page, per_page)
    return render_template("jury/jurors.html", stage=stage, contest=contest, jurors=jurors, divisions=divisions,
                           invite=invite, conflict=conflict, conflicts=conflicts.contest_conflicts(contest.id),
                           assignments=assignments, names={u.id: u.full_name for _j, u in jurors},
                           move=MoveForm(), active="jurors"), status


def _invite_form(contest: Contest) -> InviteForm:
    form = InviteForm()
    form.division_id.choices = choices([(0, _("— all sections —"))] + [(d.id, d.name) for d in contest_divisions(contest.id)])
    return form


def _conflict_form(stage: Stage, contest: Contest) -> ConflictForm:
    form = ConflictForm()
    form.juror_id.choices = choices([(u.id, u.full_name) for _j, u in services.stage_jurors(stage.id)])
    from app.accounts import User

    rows = db.session.execute(select(Participation.id, User.full_name).join(User, User.id == Participation.user_id)
                              .where(Participation.contest_id == contest.id).order_by(User.full_name)).all()
    form.participation_id.choices = choices([(row[0], row[1]) for row in rows])
    return form


@bp.route("/stages/<int:stage_id>/jurors", methods=["GET", "POST"])
@login_required
def jurors(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = _managed(stage_id)
    invite, conflict = _invite_form(contest), _conflict_form(stage, contest)
    if request.method == "POST" and invite.validate_on_submit():
        try:
            invitation = services.invite_juror(stage, email=invite.email.data or "", full_name=invite.full_name.data or "",
                                               division_id=invite.division_id.data or None,
                                               is_chair=bool(invite.is_chair.data), actor=current_user)
        except DomainError as error:
            apply_domain_error(invite, error, "email")
        else:
            send_invitation(invitation, stage, contest)
            flash(_("%(name)s is invited to the jury.", name=invitation.user.full_name), "success")
            return redirect(url_for("jury.jurors", stage_id=stage.id))
    return _jurors_page(stage, contest, invite, conflict, form_status(invite))


@bp.route("/stages/<int:stage_id>/conflicts", methods=["POST"])
@login_required
def add_conflict(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = _managed(stage_id)
    invite, conflict = _invite_form(contest), _conflict_form(stage, contest)
    if conflict.validate_on_submit():
        try:
            conflicts.declare_conflict(contest.id, conflict.juror_id.data, conflict.participation_id.data,
                                      source=ConflictSource.DECLARED_BY_ORGANISER, actor=current_user)
        except DomainError as error:
            apply_domain_error(conflict, error, "participation_id")
        else:
            flash(_("Conflict of interest recorded."), "success")
            return redirect(url_for("jury.jurors", stage_id=stage.id))
    return _jurors_page(stage, contest, invite, conflict, 422)


@bp.route("/stage-jurors/<int:juror_id>/remove", methods=["POST"])
@login_required
def remove_juror(juror_id: int):  # type: ignore[no-untyped-def]
    juror = db.get_or_404(StageJuror, juror_id)
    stage, _contest = _managed(juror.stage_id)
    try:
        services.remove_stage_juror(juror, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
    else:
        flash(_("Juror removed."), "success")
    return redirect(url_for("jury.jurors", stage_id=stage.id))


@bp.route("/stages/<int:stage_id>/allocate", methods=["POST"])
@login_required
def allocate(stage_id: int):  # type: ignore[no-untyped-def]
    stage, _contest = _managed(stage_id)
    try:
        assignments = services.allocate_stage(stage, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
    else:
        flash(_("Allocation done: %(n)d assignments.", n=len(assignments)), "success")
    return redirect(url_for("jury.jurors", stage_id=stage.id))


@bp.route("/assignments/<int:assignment_id>/move", methods=["POST"])
@login_required
def move(assignment_id: int):  # type: ignore[no-untyped-def]
    assignment = db.get_or_404(JuryAssignment, assignment_id)
    stage, _contest = _managed(assignment.stage_id)
    form = MoveForm()
    form.juror_id.choices = choices([(u.id, u.full_name) for _j, u in services.stage_jurors(stage.id)])
    if not form.validate_on_submit():
        flash(_("Choose a juror of this stage."), "danger")
    else:
        try:
            services.move_assignment(assignment, form.juror_id.data, actor=current_user)
        except DomainError as error:
            flash(error.message, "danger")
        else:
            flash(_("Assignment moved."), "success")
    return redirect(url_for("jury.jurors", stage_id=stage.id))


# --- the organiser: progress, overview, closing, certificates -----------------------------------

@bp.route("/stages/<int:stage_id>/progress")
@login_required
def progress(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = _managed(stage_id)
    config = services.jury_config(stage)
    return render_template("jury/progress.html", stage=stage, contest=contest, config=config,
                           rows=services.jury_progress(stage, utcnow()), closed=services.scoring_closed(stage, config),
                           reopen=ReasonForm(), active="progress")


@bp.route("/stages/<int:stage_id>/remind", methods=["POST"])
@login_required
def remind(stage_id: int):  # type: ignore[no-untyped-def]
    stage, _contest = _managed(stage_id)
    late = services.remind_late_jurors(stage, actor=current_user, now=utcnow())
    send_reminders(late, stage)
    flash(_("Reminders sent: %(n)d.", n=len(late)), "success")
    return redirect(url_for("jury.progress", stage_id=stage.id))


@bp.route("/stages/<int:stage_id>/close", methods=["POST"])
@login_required
def close(stage_id: int):  # type: ignore[no-untyped-def]
    stage, _contest = _managed(stage_id)
    try:
        services.close_scoring(stage, actor=current_user, now=utcnow())
    except DomainError as error:
        flash(error.message, "danger")
    else:
        flash(_("Scoring is closed."), "success")
    return redirect(url_for("jury.progress", stage_id=stage.id))


@bp.route("/stages/<int:stage_id>/reopen", methods=["POST"])
@login_required
def reopen(stage_id: int):  # type: ignore[no-untyped-def]
    stage, _contest = _managed(stage_id)
    form = ReasonForm()
    try:
        services.reopen_scoring(stage, actor=current_user, reason=form.reason.data or "")
    except DomainError as error:
        flash(error.message, "danger")
    else:
        flash(_("Scoring is open again."), "success")
    return redirect(url_for("jury.progress", stage_id=stage.id))


@bp.route("/stages/<int:stage_id>/overview")
@login_required
def overview(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = _managed(stage_id)
    page, _per_page = page_args(request.args, default_per_page=OVERVIEW_PER_PAGE)
    data = services.scores_overview(stage, page=page, per_page=OVERVIEW_PER_PAGE)
    rows = Page(data.rows[(page - 1) * OVERVIEW_PER_PAGE: page * OVERVIEW_PER_PAGE], page, OVERVIEW_PER_PAGE, len(data.rows))
    return render_template("jury/overview.html", stage=stage, contest=contest, data=data, page=rows,
                           flagged=sum(1 for r in data.rows if r.disagreement),
                           blocked=sum(1 for r in data.rows if r.score is None), active="overview")


@bp.route("/stages/<int:stage_id>/certificates", methods=["GET", "POST"])
@login_required
def certificates(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = _managed(stage_id)
    if request.method == "POST":
        from flask_wtf import FlaskForm

        if FlaskForm().validate_on_submit():
            try:
                issued = services.issue_jury_certificates(stage, actor=current_user, now=utcnow())
            except DomainError as error:
                flash(error.message, "danger")
            else:
                flash(_("Certificates issued: %(n)d.", n=len(issued)), "success")
        return redirect(url_for("jury.certificates", stage_id=stage.id))
    return render_template("jury/certificates.html", stage=stage, contest=contest,
                           items=services.jury_certificates(stage.id), active="certificates")


@bp.route("/certificates/<code>.pdf")
@login_required
def certificate_pdf(code: str):  # type: ignore[no-untyped-def]
    from app.certificates import CertificateKind, find

    certificate = find(code)
    if certificate is None or certificate.kind != CertificateKind.JURY or certificate.source_type != "jury_stage":
        abort(404)
    stage = db.get_or_404(Stage, certificate.source_id)
    require(certificate.user_id == current_user.id or can.can_manage_jury(current_user, stage))
    from app.pdf import render_certificate_pdf

    data = render_certificate_pdf(
        heading=_("Certificate of jury work"), holder=certificate.holder, title=certificate.title,
        lines=[certificate.details], code=certificate.code,
        verify_url=url_for("main.index", _external=True).rstrip("/") + f"/verify/{certificate.code}",
        issued_on=certificate.issued_at.date())
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f"attachment; filename=jury-{certificate.code}.pdf"})


# --- demo lessons -------------------------------------------------------------------------------

def _slot_forms(stage: Stage, contest: Contest, slot_form: SlotForm | None = None) -> dict[str, Any]:
    assign = AssignSlotForm(formdata=None)
    assign.participation_id.choices = choices([(0, _("— free —"))] + slot_rules.finalists(stage))
    return {"slot_form": slot_form or SlotForm(formdata=None), "assign": assign}


@bp.route("/stages/<int:stage_id>/schedule", methods=["GET", "POST"])
@login_required
def schedule(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = _stage_and_contest(stage_id)
    require(can.can_view_schedule(current_user, stage))
    manages = can.can_manage_jury(current_user, stage)
    slot_form = SlotForm()
    if request.method == "POST":
        require(manages)
        if slot_form.validate_on_submit():
            try:
                slot_rules.create_slot(stage, starts_at=parse_local(slot_form.starts_at.data, contest.timezone),
                                     duration_minutes=slot_form.duration_minutes.data or 0,
                                     location=slot_form.location.data or "", actor=current_user)
            except DomainError as error:
                apply_domain_error(slot_form, error)
            else:
                flash(_("Slot added."), "success")
                return redirect(url_for("jury.schedule", stage_id=stage.id))
    config = services.jury_config(stage)
    slots = slot_rules.stage_slots(stage, current_user, show_names=can.can_see_names(current_user, stage))
    is_juror = can.is_stage_juror(current_user, stage.id)
    is_finalist = not manages and not is_juror
    can_pick = is_finalist and config.slot_pick_deadline is not None and utcnow() <= config.slot_pick_deadline
    return render_template("jury/schedule.html", stage=stage, contest=contest, slots=slots, manages=manages,
                           config=config, can_pick=can_pick, is_juror=is_juror, is_finalist=is_finalist,
                           active="schedule",
                           **_slot_forms(stage, contest, slot_form)), form_status(slot_form)


@bp.route("/stages/<int:stage_id>/schedule.ics")
@login_required
def schedule_ics(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = _stage_and_contest(stage_id)
    require(can.can_view_schedule(current_user, stage))
    everyone = can.can_manage_jury(current_user, stage) or can.is_stage_juror(current_user, stage.id)
    slots = [view.slot for view in slot_rules.stage_slots(stage, current_user, show_names=False)
             if everyone or view.mine]
    text = slot_rules.slots_ics(slots, title=_("Demo lesson: %(contest)s", contest=contest.title),
                              host=request.host.split(":")[0] or "vmeste", now=utcnow())
    return Response(text, mimetype="text/calendar",
                    headers={"Content-Disposition": f"attachment; filename=demo-lessons-{stage.id}.ics"})


@bp.route("/slots/<int:slot_id>/assign", methods=["POST"])
@login_required
def assign_slot(slot_id: int):  # type: ignore[no-untyped-def]
    slot = db.get_or_404(DemoSlot, slot_id)
    stage, _contest = _managed(slot.stage_id)
    form = AssignSlotForm()
    form.participation_id.choices = choices([(0, "")] + slot_rules.finalists(stage))
    if not form.validate_on_submit():
        flash(_("Choose a finalist."), "danger")
    else:
        try:
            slot_rules.assign_slot(slot, form.participation_id.data or None, actor=current_user)
        except DomainError as error:
            flash(error.message, "danger")
        else:
            flash(_("Schedule updated."), "success")
    return redirect(url_for("jury.schedule", stage_id=stage.id))


@bp.route("/slots/<int:slot_id>/delete", methods=["POST"])
@login_required
def delete_slot(slot_id: int):  # type: ignore[no-untyped-def]
    slot = db.get_or_404(DemoSlot, slot_id)
    stage, _contest = _managed(slot.stage_id)
    slot_rules.delete_slot(slot, actor=current_user)
    flash(_("Slot deleted."), "success")
    return redirect(url_for("jury.schedule", stage_id=stage.id))


@bp.route("/slots/<int:slot_id>/pick", methods=["POST"])
@login_required
def pick_slot(slot_id: int):  # type: ignore[no-untyped-def]
    slot = db.get_or_404(DemoSlot, slot_id)
    stage = db.get_or_404(Stage, slot.stage_id)
    require(can.can_view_schedule(current_user, stage))
    try:
        slot_rules.pick_slot(slot, current_user, now=utcnow())
    except DomainError as error:
        if error.status == 403:
            abort(403)
        flash(error.message, "danger")
    else:
        flash(_("The slot is yours."), "success")
    return redirect(url_for("jury.schedule", stage_id=stage.id))


# --- appeals ------------------------------------------------------------------------------------

@bp.route("/entries/<int:entry_id>/appeal", methods=["GET", "POST"])
@login_required
def appeal_entry(entry_id: int):  # type: ignore[no-untyped-def]
    """The participant's side: file an appeal during the window, then read the decision."""
    entry_row = db.get_or_404(Entry, entry_id)
    participation = db.session.get(Participation, entry_row.participation_id)
    require(participation is not None and participation.user_id == current_user.id)
    stage, contest = _stage_and_contest(entry_row.stage_id)
    existing = appeal_rules.entry_appeal(entry_row.id)
    form = AppealForm()
    if existing is None and form.validate_on_submit():
        try:
            appeal_rules.file_appeal(entry_row, current_user, form.text.data or "", now=utcnow())
        except DomainError as error:
            apply_domain_error(form, error, "text")
        else:
            flash(_("Your appeal has been filed."), "success")
            return redirect(url_for("jury.appeal_entry", entry_id=entry_row.id))
    return render_template("jury/appeal_file.html", entry=entry_row, stage=stage, contest=contest, appeal=existing,
                           form=form, window_open=appeal_rules.appeal_window_open(stage, utcnow())), form_status(form)


@bp.route("/stages/<int:stage_id>/appeals")
@login_required
def appeals(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = _stage_and_contest(stage_id)
    require(can.can_resolve_appeal(current_user, stage))
    return render_template("jury/appeals.html", stage=stage, contest=contest, items=appeal_rules.stage_appeals(stage.id),
                           show_names=can.can_see_names(current_user, stage), active="appeals")


@bp.route("/appeals/<int:appeal_id>", methods=["GET", "POST"])
@login_required
def appeal(appeal_id: int):  # type: ignore[no-untyped-def]
    appeal_row = db.get_or_404(Appeal, appeal_id)
    stage, contest = _stage_and_contest(appeal_row.stage_id)
    participation = db.session.get(Participation, appeal_row.participation_id)
    assert participation is not None
    require(can.can_see_appeal(current_user, appeal_row, participation.user_id, stage))
    resolver = can.can_resolve_appeal(current_user, stage)
    overview_row, criteria = services.entry_scores(stage, appeal_row.entry_id)
    marks = [m for m in (overview_row.marks if overview_row else []) if m.state == "submitted"]
    form_class = resolve_form_class([m.juror_id for m in marks], criteria)
    form = form_class(data={f"j{m.juror_id}_c{c.id}": str(m.points.get(c.name, "")) for m in marks for c in criteria})
    if request.method == "POST":
        require(resolver)
        if form.validate_on_submit():
            changes: dict[str, dict[str, str]] = {}
            for mark in marks:
                for criterion in criteria:
                    raw = (form[f"j{mark.juror_id}_c{criterion.id}"].data or "").strip()
                    if raw and raw != str(mark.points.get(criterion.name, "")):
                        changes.setdefault(str(mark.juror_id), {})[criterion.name] = raw
            try:
                appeal_rules.resolve_appeal(appeal_row, decision=form.decision.data or "", score_changes=changes,
                                        reason=form.reason.data or "", actor=current_user, now=utcnow())
            except DomainError as error:
                fields = {}
                for key, message in error.fields.items():
                    parts = key.split(".")
                    if len(parts) == 3:
                        criterion_id = next((c.id for c in criteria if c.name == parts[2]), None)
                        fields[f"j{parts[1]}_c{criterion_id}"] = message
                    else:
                        fields[key] = message
                error.fields = fields
                apply_domain_error(form, error, "reason")
            else:
                flash(_("The appeal is resolved."), "success")
                return redirect(url_for("jury.appeal", appeal_id=appeal_row.id))
    from app.accounts import User

    participant = db.session.get(User, participation.user_id)
    return render_template("jury/appeal.html", appeal=appeal_row, stage=stage, contest=contest, form=form,
                           resolver=resolver, marks=marks, criteria=criteria, row=overview_row,
                           participant=participant, active="appeals",
                           show_names=participation.user_id == current_user.id
                           or can.can_see_names(current_user, stage)), form_status(form)
