"""Contest pages for participants: registering, a stage's page with the entry form and its
versions, and downloading an entry's files (also for organisers and assigned jurors)."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from app.contests import bp, forms
from app.contests.access import contest_or_404, round_form, stage_or_404
from app.extensions import db
from app.forms_common import form_status
from app.i18n import _
from app.permissions import contests as can
from app.permissions import require
from app.permissions.jury import can_see_entry_author
from app.timeutil import utcnow
from app.uploads import send_stored
from app.view_actions import submit
from contest_engine.clock import run_clock, see_clock
from contest_engine.entries import Upload, entry_files, entry_versions, files_by_entry, submit_entry
from contest_engine.jury import blind
from contest_engine.messages import kind_label, state_label
from contest_engine.models import Contest, Entry, Participation, Stage
from contest_engine.queries import contest_divisions, count_stage_entries, find_participation, is_admitted
from contest_engine.registration import register as register_participant
from contest_engine.rules.stages import StageKind


@bp.route("/<int:contest_id>/register", methods=["GET", "POST"])
@login_required
def register(contest_id: int):  # type: ignore[no-untyped-def]
    contest = contest_or_404(contest_id)
    require(can.can_register(current_user))
    if find_participation(contest.id, current_user.id) is not None:
        flash(_("You are already registered."), "info")
        return redirect(url_for("contests.view", contest_id=contest.id))
    form = forms.RegistrationForm()
    form.division.choices = forms.options((d.id, d.name) for d in contest_divisions(contest.id))
    if request.method == "GET" and current_user.institution is not None:
        form.institution.data = current_user.institution.name
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: register_participant(
                contest,
                current_user,
                division=form.division.data,
                institution=form.institution.data or "",
                grade=form.grade.data or "",
                subject=form.subject.data or "",
                consent=form.consent.data,
                now=utcnow(),
            ),
            done=_("You are registered."),
            then=url_for("contests.view", contest_id=contest.id),
        )
        if done:
            return done
    return render_template("contests/register.html", form=form, contest=contest), form_status(form)


@bp.route("/stages/<int:stage_id>", methods=["GET", "POST"])
def stage(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = stage_or_404(stage_id)
    now = utcnow()
    if request.method == "POST":
        run_clock(now, contest_id=contest.id)  # the hand-in acts on the stage: the move is written
        db.session.refresh(stage)
    else:
        see_clock([stage], now)  # a read: the clock's move is seen, the tick job writes it
    participation = find_participation(contest.id, current_user.id) if current_user.is_authenticated else None
    form = forms.EntryForm()
    if request.method == "POST":
        if participation is None:
            abort(403)
        if form.validate_on_submit():
            uploads = Upload.all_of(request.files.getlist(form.files.name))
            done = submit(
                form,
                lambda: submit_entry(
                    stage,
                    participation,
                    text=form.text.data or "",
                    link=form.link.data or "",
                    files=uploads,
                    actor=current_user,
                    now=now,
                ),
                done=_("Your entry is saved."),
                then=url_for("contests.stage", stage_id=stage.id),
            )
            if done:
                return done
    return stage_page(stage, contest, participation, form=form, now=now)


def stage_page(
    stage: Stage,
    contest: Contest,
    participation: Participation | None,
    *,
    form: forms.EntryForm,
    now: datetime,
    refused_round: forms.RoundForm | None = None,
) -> tuple[str, int]:
    """The stage page; with `refused_round`, the organiser's round form again with its messages by
    the fields (and a 422)."""
    versions = entry_versions(stage.id, participation.id) if participation else []
    organiser = can.can_organise_contest(current_user, contest.id)
    if refused_round is None and organiser and stage.kind == StageKind.OLYMPIAD:
        refused_round = round_form(contest, submitted=False)
    return render_template(
        "contests/stage.html",
        stage=stage,
        contest=contest,
        form=form,
        participation=participation,
        versions=versions,
        files=files_by_entry([v.id for v in versions]),
        admitted=participation is not None and is_admitted(stage, participation),
        organiser=organiser,
        now=now,
        kind_label=kind_label,
        state_label=state_label,
        close_form=forms.CloseForm(prefix="close"),
        reopen_form=forms.ReopenForm(prefix="reopen"),
        extend_form=forms.ExtendForm(prefix="extend"),
        publish_form=forms.PublishForm(prefix="publish"),
        round_form=refused_round if organiser else None,
        entry_count=count_stage_entries([stage.id]).get(stage.id, 0),
    ), (422 if refused_round is not None and refused_round.errors else form_status(form))


@bp.route("/entries/<int:entry_id>/files/<int:file_id>")
@login_required
def entry_file(entry_id: int, file_id: int):  # type: ignore[no-untyped-def]
    entry = db.session.get(Entry, entry_id, options=[joinedload(Entry.participation)])
    if entry is None or not can.can_read_entry(current_user, entry):
        abort(404)
    files = entry_files(entry.id)
    number = next((n for n, stored in enumerate(files, start=1) if stored.id == file_id), None)
    if number is None:
        abort(404)
    stage = db.get_or_404(Stage, entry.stage_id)
    stored = files[number - 1]
    sees_names = can_see_entry_author(current_user, entry, stage)
    return send_stored(
        stored, download_name=blind.file_name(stored, entry_id=entry.id, number=number, sees_names=sees_names)
    )
